// Voice messages. A short recording goes inline: VoiceMessage (RC:VcMsg), `content` the recording
// in base64 and `duration` its length in seconds. A longer one (base64 beyond VOICE_INLINE_MAX) is
// uploaded to im-server and sent as HQVoiceMessage (RC:HQVCMsg) with its `remoteUrl`. This page
// records with MediaRecorder (webm/opus where the browser has it); the mini program example records
// mp3. Each side plays what its host can decode.
import { FileType, upload } from './upload.js';

/** The largest recording sent inline, in base64 characters; longer ones are uploaded. */
export const VOICE_INLINE_MAX = 32 * 1024;

const MIME_BY_MAGIC = [
  ['SUQz', 'audio/mpeg'], // "ID3"
  ['//', 'audio/mpeg'], // an MPEG frame
  ['GkXf', 'audio/webm'],
  ['T2dn', 'audio/ogg'],
  ['IyFBTVI', 'audio/amr'], // "#!AMR", 2.x's own format
];

/** A data: URL for the base64 recording, with its type told from its first bytes. */
export function voiceUrl(base64) {
  const found = MIME_BY_MAGIC.find(([magic]) => base64.startsWith(magic));
  return `data:${found ? found[1] : 'application/octet-stream'};base64,${base64}`;
}

export const canRecord = () =>
  typeof MediaRecorder === 'function' && !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);

/**
 * The message for `recording` (from `record()`): inline when small, else uploaded; an upload that
 * fails falls back to inline (`uploaded: false`), which a long recording may not fit.
 */
export async function voiceMessage(recording, im, endpoint, { VoiceMessage, HQVoiceMessage }) {
  const { blob, content, duration, type } = recording;
  if (content.length <= VOICE_INLINE_MAX) return { message: new VoiceMessage({ content, duration }), uploaded: null };
  try {
    const remoteUrl = await upload(im, endpoint, FileType.AUDIO, blob, `voice.${type}`);
    return { message: new HQVoiceMessage({ remoteUrl, duration, type }), uploaded: true };
  } catch (err) {
    console.warn('voice upload failed, sending it inline:', err);
    return { message: new VoiceMessage({ content, duration }), uploaded: false };
  }
}

/** Starts recording; `stop()` resolves with `{blob, content, duration, type}` for `voiceMessage`. */
export async function record() {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const recorder = new MediaRecorder(stream, { audioBitsPerSecond: 16000 });
  const chunks = [];
  const started = Date.now();
  recorder.ondataavailable = (ev) => chunks.push(ev.data);
  const stopped = new Promise((resolve) => {
    recorder.onstop = resolve;
  });
  recorder.start();
  return {
    async stop() {
      recorder.stop();
      await stopped;
      stream.getTracks().forEach((t) => t.stop());
      const blob = new Blob(chunks, { type: recorder.mimeType });
      const dataUrl = await new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result);
        reader.onerror = () => reject(reader.error);
        reader.readAsDataURL(blob);
      });
      const type = (/^audio\/(\w+)/.exec(blob.type) || [])[1] || 'webm';
      const duration = Math.round((Date.now() - started) / 1000);
      return { blob, content: dataUrl.slice(dataUrl.indexOf(',') + 1), duration, type };
    },
  };
}
