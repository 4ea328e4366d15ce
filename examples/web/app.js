// The web chat example: log in, a conversation list with unread badges, a chat thread with text,
// image and voice messages. Plain ES modules; `rongimlib-wasm` is the package's browser build (see the
// import map in index.html).
//
// Logging in: `?appKey=…&navi=host:port&token=…` in the URL or the form; or a user id and a token
// endpoint. `npm run demo` serves `/demo/config` and `/demo/token?user=ID` for that, and prints
// `?user=alice&peer=bob` URLs that log in and open the chat at once.
//
// Images and long voice recordings are uploaded to im-server (POST /upload on the navigation
// server's host:port, with the protocol logged in with) and their messages carry the download URL.
import RongIMLib from 'rongimlib-wasm';
import { imageContent } from './images.js';
import { uploadEndpoint } from './upload.js';
import { canRecord, record, voiceMessage, voiceUrl } from './voice.js';

const { RongIMClient, ConversationType, ConnectionStatus, TextMessage, ImageMessage, VoiceMessage, HQVoiceMessage } = RongIMLib;
const PRIVATE = ConversationType.PRIVATE;
const $ = (sel) => document.querySelector(sel);
const params = new URLSearchParams(location.search);

const state = {
  me: '',
  current: '',
  /** Where files are uploaded: im-server's POST /upload. */
  upload: '',
  /** targetId → messages (oldest first), deduplicated by messageUId. */
  threads: new Map(),
  conversations: [],
};

const STATUS_NAMES = Object.fromEntries(Object.entries(ConnectionStatus).map(([k, v]) => [v, k]));

// ---- logging in ----

async function demoConfig() {
  try {
    const res = await fetch('/demo/config', { cache: 'no-store' });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

async function tokenFor(user) {
  const res = await fetch(`/demo/token?user=${encodeURIComponent(user)}`, { cache: 'no-store' });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || `token endpoint: ${res.status}`);
  return body.token;
}

async function boot() {
  const demo = await demoConfig();
  const form = $('#login');
  form.appKey.value = params.get('appKey') || (demo && demo.appKey) || '';
  form.navi.value = params.get('navi') || (demo && demo.navi) || '';
  form.protocol.value = params.get('protocol') || (demo && demo.protocol) || location.protocol;
  form.token.value = params.get('token') || '';
  form.user.value = params.get('user') || '';
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    login(form).catch(showLoginError);
  });
  if (form.appKey.value && form.navi.value && (form.token.value || (demo && form.user.value))) {
    login(form).catch(showLoginError);
  } else {
    form.hidden = false;
  }
}

function showLoginError(err) {
  $('#login').hidden = false;
  $('#login-error').textContent = String((err && (err.message || err.code)) || err);
}

async function login(form) {
  $('#login-error').textContent = '';
  const token = form.token.value || (await tokenFor(form.user.value));
  RongIMClient.init(form.appKey.value, null, { navi: form.navi.value, protocol: form.protocol.value });
  state.upload = uploadEndpoint(form.navi.value, form.protocol.value);
  RongIMClient.setConnectionStatusListener({ onChanged: showStatus });
  RongIMClient.setOnReceiveMessageListener({ onReceived });
  const userId = await new Promise((resolve, reject) => {
    RongIMClient.connect(token, {
      onSuccess: resolve,
      onTokenIncorrect: () => reject(new Error('the token was refused')),
      onError: (code) => reject(new Error(`connect failed: ${code}`)),
    });
  });
  state.me = userId;
  document.title = `${userId} · rongimlib-wasm chat`;
  $('#me').textContent = userId;
  $('#login').hidden = true;
  $('#app').hidden = false;
  await refreshConversations();
  const peer = params.get('peer');
  if (peer && peer !== userId) await openThread(peer);
}

function showStatus(status) {
  const el = $('#status');
  el.textContent = STATUS_NAMES[status] || String(status);
  el.classList.toggle('online', status === ConnectionStatus.CONNECTED);
}

// ---- conversations ----

async function refreshConversations() {
  const im = RongIMClient.getInstance();
  try {
    state.conversations = await im.getConversationList(null, [PRIVATE]);
  } catch {
    // Offline: keep the last list.
  }
  renderConversations();
}

function preview(message) {
  if (!message) return '';
  const c = message.content || {};
  if (message.objectName === 'RC:TxtMsg') return c.content || '';
  if (message.objectName === 'RC:ImgMsg') return '[image]';
  if (message.objectName === 'RC:VcMsg' || message.objectName === 'RC:HQVCMsg') return '[voice]';
  return `[${message.objectName}]`;
}

function renderConversations() {
  const list = $('#conversations');
  list.replaceChildren(
    ...state.conversations.map((c) => {
      const li = document.createElement('li');
      li.className = 'conversation';
      li.dataset.target = c.targetId;
      li.classList.toggle('current', c.targetId === state.current);
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = c.conversationTitle || c.targetId;
      const text = document.createElement('span');
      text.className = 'preview';
      text.textContent = preview(c.latestMessage);
      li.append(name, text);
      const unread = c.targetId === state.current ? 0 : c.unreadMessageCount;
      if (unread > 0) {
        const badge = document.createElement('span');
        badge.className = 'badge';
        badge.textContent = String(unread);
        li.append(badge);
      }
      li.addEventListener('click', () => openThread(c.targetId));
      return li;
    }),
  );
}

// ---- the thread ----

function thread(targetId) {
  if (!state.threads.has(targetId)) state.threads.set(targetId, []);
  return state.threads.get(targetId);
}

function remember(message) {
  const list = thread(message.targetId);
  if (message.messageUId && list.some((m) => m.messageUId === message.messageUId)) return false;
  list.push(message);
  list.sort((a, b) => a.sentTime - b.sentTime);
  return true;
}

async function openThread(targetId) {
  const im = RongIMClient.getInstance();
  state.current = targetId;
  $('#thread-title').textContent = targetId;
  $('#composer').hidden = false;
  await im.clearUnreadCount(PRIVATE, targetId);
  renderConversations();
  renderThread();
  try {
    const { list } = await im.getHistoryMessages(PRIVATE, targetId, 0, 20);
    list.forEach(remember);
  } catch {
    // No history (offline, or a new conversation).
  }
  if (state.current === targetId) renderThread();
  $('#text').focus();
}

function renderThread() {
  const ol = $('#messages');
  ol.replaceChildren(...thread(state.current).map(messageItem));
  ol.scrollTop = ol.scrollHeight;
}

function messageItem(m) {
  const li = document.createElement('li');
  li.className = 'message';
  li.classList.toggle('mine', m.senderUserId === state.me);
  li.dataset.from = m.senderUserId;
  li.dataset.objectName = m.objectName;
  const c = m.content || {};
  if (m.objectName === 'RC:ImgMsg') {
    li.classList.add('image');
    const img = document.createElement('img');
    img.alt = 'image';
    img.src = /^(data:|https?:)/.test(c.imageUri || '') ? c.imageUri : `data:image/jpeg;base64,${c.content}`;
    li.append(img);
  } else if (m.objectName === 'RC:VcMsg' || m.objectName === 'RC:HQVCMsg') {
    li.classList.add('voice');
    const label = document.createElement('span');
    label.className = 'body';
    label.textContent = `voice, ${c.duration || 0} s`;
    const audio = document.createElement('audio');
    audio.controls = true;
    audio.preload = 'none';
    audio.src = m.objectName === 'RC:HQVCMsg' ? c.remoteUrl || '' : voiceUrl(c.content || '');
    li.append(label, audio);
  } else {
    li.classList.add('text');
    const body = document.createElement('span');
    body.className = 'body';
    body.textContent = m.objectName === 'RC:TxtMsg' ? c.content : `[${m.objectName}]`;
    li.append(body);
  }
  const time = document.createElement('time');
  time.textContent = new Date(m.sentTime).toLocaleTimeString();
  li.append(time);
  return li;
}

function onReceived(message) {
  if (message.conversationType !== PRIVATE) return;
  remember(message);
  if (message.targetId === state.current) {
    RongIMClient.getInstance().clearUnreadCount(PRIVATE, message.targetId);
    renderThread();
  }
  refreshConversations();
}

/** A line under the thread for what the user should know (an upload that failed). */
function notice(text) {
  const el = $('#notice');
  el.textContent = text;
  el.hidden = !text;
}

async function send(content) {
  const target = state.current;
  const sent = await RongIMClient.getInstance().sendMessage(PRIVATE, target, content);
  remember(sent);
  if (state.current === target) renderThread();
  await refreshConversations();
}

$('#composer').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = $('#text');
  const text = input.value.trim();
  if (!text || !state.current) return;
  input.value = '';
  notice('');
  send(TextMessage.obtain(text)).catch((err) => alert(`not sent: ${err.code}`));
});

$('#image').addEventListener('change', async (ev) => {
  const file = ev.target.files && ev.target.files[0];
  ev.target.value = '';
  if (!file || !state.current) return;
  try {
    const { content, imageUri, uploaded } = await imageContent(file, RongIMClient.getInstance(), state.upload);
    if (!uploaded) notice('The image upload failed: a smaller copy was sent in the message.');
    await send(new ImageMessage({ content, imageUri }));
  } catch (err) {
    alert(`not sent: ${err.code || err.message}`);
  }
});

// Voice: press to start recording, press again to send.
let recording = null;
$('#voice').hidden = !canRecord();
$('#voice').addEventListener('click', async () => {
  const button = $('#voice');
  try {
    if (!recording) {
      recording = await record();
      button.textContent = 'Stop and send';
      return;
    }
    const voice = await recording.stop();
    recording = null;
    button.textContent = 'Voice';
    if (!state.current || voice.duration < 1) return;
    const im = RongIMClient.getInstance();
    const { message, uploaded } = await voiceMessage(voice, im, state.upload, { VoiceMessage, HQVoiceMessage });
    if (uploaded === false) notice('The voice upload failed: sending it in the message.');
    await send(message);
  } catch (err) {
    recording = null;
    button.textContent = 'Voice';
    alert(`voice: ${err.code || err.message}`);
  }
});

$('#new-chat').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const target = ev.target.target.value.trim();
  ev.target.target.value = '';
  if (target && target !== state.me) openThread(target);
});

boot();
