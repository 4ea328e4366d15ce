// ImageMessage contents from a picked file: `content` is a small base64 JPEG thumbnail, as 2.x
// apps send it; `imageUri` is where the full picture is: the file uploaded to im-server (scaled
// down first when larger than FULL_MAX pixels). Without an upload, a data: URL of a downscaled copy
// (a message's content is at most 128 KB).
import { FileType, upload } from './upload.js';

/** The longest side of the picture that is uploaded; larger ones are scaled down to it. */
export const FULL_MAX = 1600;

/** Draws `bitmap` scaled to fit `max` pixels on a canvas. */
function draw(bitmap, max) {
  const scale = Math.min(1, max / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return canvas;
}

const jpegBlob = (canvas, quality) =>
  new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/jpeg', quality));

/**
 * `{content, imageUri}` for `new ImageMessage(...)`, and `uploaded: false` when the upload failed
 * (`imageUri` is then a data: URL).
 */
export async function imageContent(file, im, endpoint) {
  const bitmap = await createImageBitmap(file);
  try {
    const thumbnail = draw(bitmap, 160).toDataURL('image/jpeg', 0.6);
    const content = thumbnail.slice(thumbnail.indexOf(',') + 1);
    try {
      const large = Math.max(bitmap.width, bitmap.height) > FULL_MAX;
      const full = large ? await jpegBlob(draw(bitmap, FULL_MAX), 0.85) : file;
      const imageUri = await upload(im, endpoint, FileType.IMAGE, full, large ? 'image.jpg' : file.name || 'image');
      return { content, imageUri, uploaded: true };
    } catch (err) {
      console.warn('image upload failed, sending a downscaled copy inline:', err);
      let imageUri = draw(bitmap, 800).toDataURL('image/jpeg', 0.7);
      if (imageUri.length > 80 * 1024) imageUri = thumbnail;
      return { content, imageUri, uploaded: false };
    }
  } finally {
    bitmap.close();
  }
}
