// One private conversation: history, received messages, and sending text, an image (chooseMedia:
// a compressed base64 thumbnail as ImageMessage.content, the picked file uploaded to im-server and
// its URL as imageUri) and voice (the recorder's mp3: base64 as VoiceMessage.content when short,
// else uploaded and sent as HQVoiceMessage with its remoteUrl; the duration in seconds).
const { RongIMLib, FileType, upload, on, im } = require('../../utils/im.js');

const { ConversationType, TextMessage, ImageMessage, VoiceMessage, HQVoiceMessage } = RongIMLib;
const PRIVATE = ConversationType.PRIVATE;
const fs = wx.getFileSystemManager();
const recorder = wx.getRecorderManager();
// Low-bitrate mp3: 40 s is 80 KB, which still fits a message (at most 128 KB) when an upload fails.
const VOICE = { duration: 40000, sampleRate: 8000, numberOfChannels: 1, encodeBitRate: 16000, format: 'mp3' };
/** The largest recording sent inline, in base64 characters; longer ones are uploaded. */
const VOICE_INLINE_MAX = 32 * 1024;

/** The view of a message for chat.wxml. */
function view(message, me) {
  const c = message.content || {};
  const v = { key: message.messageUId || message.messageId || String(message.sentTime), mine: message.senderUserId === me, uid: message.messageUId };
  if (message.objectName === 'RC:TxtMsg') return Object.assign(v, { kind: 'text', text: c.content });
  if (message.objectName === 'RC:ImgMsg') {
    const src = /^https?:/.test(c.imageUri || '') ? c.imageUri : `data:image/jpeg;base64,${c.content}`;
    return Object.assign(v, { kind: 'image', src });
  }
  if (message.objectName === 'RC:VcMsg') return Object.assign(v, { kind: 'voice', duration: c.duration || 0, audio: c.content });
  if (message.objectName === 'RC:HQVCMsg') return Object.assign(v, { kind: 'voice', duration: c.duration || 0, remote: c.remoteUrl || '' });
  return Object.assign(v, { kind: 'other', text: `[${message.objectName}]` });
}

Page({
  data: { target: '', text: '', messages: [], bottom: '', recording: false },

  onLoad(query) {
    const target = decodeURIComponent(query.target || '');
    this.me = getApp().globalData.userId;
    this.setData({ target });
    wx.setNavigationBarTitle({ title: target });
    this.off = on((type, message) => {
      if (type !== 'message' || message.conversationType !== PRIVATE || message.targetId !== target) return;
      this.add([message]);
      im().clearUnreadCount(PRIVATE, target);
    });
    recorder.onStop((res) => this.voiceRecorded(res));
    this.loadHistory();
  },

  onUnload() {
    if (this.off) this.off();
    if (this.audio) this.audio.destroy();
  },

  async loadHistory() {
    const target = this.data.target;
    await im().clearUnreadCount(PRIVATE, target);
    try {
      const { list } = await im().getHistoryMessages(PRIVATE, target, 0, 20);
      this.add(list);
    } catch (err) {
      // A new conversation, or offline.
    }
  },

  /** Adds messages (deduplicated by messageUId), oldest first, and scrolls to the newest. */
  add(messages) {
    const all = this.data.messages.slice();
    messages.forEach((m) => {
      const v = view(m, this.me);
      if (!v.uid || !all.some((x) => x.uid === v.uid)) all.push(Object.assign(v, { sentTime: m.sentTime }));
    });
    all.sort((a, b) => a.sentTime - b.sentTime);
    this.setData({ messages: all, bottom: all.length ? `m${all.length - 1}` : '' });
  },

  async send(content) {
    try {
      const sent = await im().sendMessage(PRIVATE, this.data.target, content);
      this.add([sent]);
    } catch (err) {
      wx.showToast({ title: `not sent: ${err.code}`, icon: 'none' });
    }
  },

  onText(e) {
    this.setData({ text: e.detail.value });
  },

  sendText() {
    const text = this.data.text.trim();
    if (!text) return;
    this.setData({ text: '' });
    this.send(TextMessage.obtain(text));
  },

  sendImage() {
    wx.chooseMedia({
      count: 1,
      mediaType: ['image'],
      sizeType: ['compressed'],
      success: (res) => {
        const file = res.tempFiles[0];
        // The thumbnail travels in the message; the picked file is uploaded and its URL is imageUri.
        wx.compressImage({
          src: file.tempFilePath,
          quality: 30,
          compressedWidth: 240,
          success: async (small) => {
            const content = fs.readFileSync(small.tempFilePath, 'base64');
            let imageUri = '';
            try {
              imageUri = await upload(FileType.IMAGE, file.tempFilePath);
            } catch (err) {
              console.warn('image upload failed, sending the thumbnail only:', err);
              wx.showToast({ title: 'upload failed: thumbnail only', icon: 'none' });
            }
            this.send(new ImageMessage({ content, imageUri }));
          },
          fail: (err) => wx.showToast({ title: err.errMsg, icon: 'none' }),
        });
      },
    });
  },

  startVoice() {
    this.setData({ recording: true });
    recorder.start(VOICE);
  },

  stopVoice() {
    this.setData({ recording: false });
    recorder.stop();
  },

  async voiceRecorded(res) {
    const duration = Math.round(res.duration / 1000);
    if (duration < 1) return;
    const content = fs.readFileSync(res.tempFilePath, 'base64');
    if (content.length > VOICE_INLINE_MAX) {
      try {
        const remoteUrl = await upload(FileType.AUDIO, res.tempFilePath);
        this.send(new HQVoiceMessage({ remoteUrl, duration, type: VOICE.format }));
        return;
      } catch (err) {
        console.warn('voice upload failed, sending it inline:', err);
        wx.showToast({ title: 'upload failed: sent inline', icon: 'none' });
      }
    }
    this.send(new VoiceMessage({ content, duration }));
  },

  play(e) {
    const item = this.data.messages[e.currentTarget.dataset.index];
    if (!this.audio) this.audio = wx.createInnerAudioContext();
    if (item.remote) {
      this.audio.src = item.remote;
      this.audio.play();
      return;
    }
    const path = `${wx.env.USER_DATA_PATH}/voice-${item.key}.mp3`;
    try {
      fs.accessSync(path);
    } catch (err) {
      fs.writeFileSync(path, item.audio, 'base64');
    }
    this.audio.src = path;
    this.audio.play();
  },

  preview(e) {
    wx.previewImage({ urls: [e.currentTarget.dataset.src] });
  },
});
