// Voice messages: VoiceMessage.content is the recording in base64 and `duration` its length in
// seconds. This page records with MediaRecorder (webm/opus where the browser has it); the mini
// program example records mp3. Each side plays what its host can decode.

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

/** Starts recording; `stop()` resolves with `{content, duration}` for `new VoiceMessage(...)`. */
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
      return { content: dataUrl.slice(dataUrl.indexOf(',') + 1), duration: Math.round((Date.now() - started) / 1000) };
    },
  };
}
