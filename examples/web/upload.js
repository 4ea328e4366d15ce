// Files through im-server: getFileToken(type) gives an upload token, the file goes as a qiniu-style
// form (token, file) to POST /upload on the server's own host:port, and getFileUrl(type, key)
// answers the URL that serves the bytes. Messages then carry that URL instead of base64.

/** 2.x FileType values. */
export const FileType = { IMAGE: 1, AUDIO: 2, VIDEO: 3, FILE: 4 };

/** The upload URL of the im-server whose navigation address is `navi` (host:port). */
export function uploadEndpoint(navi, protocol) {
  return `${protocol === 'https:' ? 'https:' : 'http:'}//${navi}/upload`;
}

/** Uploads `blob` as `fileType`; resolves with its download URL. */
export async function upload(im, endpoint, fileType, blob, name) {
  const { token } = await im.getFileToken(fileType);
  const form = new FormData();
  form.append('token', token);
  form.append('file', blob, name);
  const res = await fetch(endpoint, { method: 'POST', body: form });
  if (!res.ok) throw new Error(`upload: HTTP ${res.status} ${await res.text()}`);
  const { key } = await res.json();
  const { downloadUrl } = await im.getFileUrl(fileType, key, null);
  return downloadUrl;
}
