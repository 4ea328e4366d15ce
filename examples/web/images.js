// ImageMessage contents from a picked file: `content` is a small base64 JPEG thumbnail, as 2.x
// apps send it; `imageUri` is where the full picture is. This example has no upload server, so
// `imageUri` is a data: URL of a downscaled copy (a message's content is at most 128 KB); an app
// uploads the file and puts its URL there instead.

/** Draws `file` scaled to fit `max` pixels and returns a JPEG data: URL. */
async function scaled(file, max, quality) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, max / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvas.toDataURL('image/jpeg', quality);
}

/** `{content, imageUri}` for `new ImageMessage(...)`. */
export async function imageContent(file) {
  const thumbnail = await scaled(file, 160, 0.6);
  let imageUri = await scaled(file, 800, 0.7);
  if (imageUri.length > 80 * 1024) imageUri = thumbnail;
  return { content: thumbnail.slice(thumbnail.indexOf(',') + 1), imageUri };
}
