// The conversation list with unread badges; refreshed on every received message and on show.
const { RongIMLib, on, im, preview } = require('../../utils/im.js');

const { ConversationType, ConnectionStatus } = RongIMLib;
const STATUS_NAMES = {};
Object.keys(ConnectionStatus).forEach((k) => {
  STATUS_NAMES[ConnectionStatus[k]] = k;
});

Page({
  data: { me: '', status: '', online: false, target: '', conversations: [] },

  onLoad() {
    this.setData({ me: getApp().globalData.userId });
    this.showStatus(im().getCurrentConnectionStatus());
    this.off = on((type, value) => {
      if (type === 'status') this.showStatus(value);
      if (type === 'message') this.refresh();
    });
  },

  onUnload() {
    if (this.off) this.off();
  },

  onShow() {
    this.refresh();
  },

  async onPullDownRefresh() {
    await this.refresh();
    wx.stopPullDownRefresh();
  },

  showStatus(status) {
    this.setData({ status: STATUS_NAMES[status] || String(status), online: status === ConnectionStatus.CONNECTED });
  },

  async refresh() {
    try {
      const list = await im().getConversationList(null, [ConversationType.PRIVATE]);
      this.setData({
        conversations: list.map((c) => ({
          targetId: c.targetId,
          title: c.conversationTitle || c.targetId,
          preview: preview(c.latestMessage),
          unread: c.unreadMessageCount,
        })),
      });
    } catch (err) {
      // Offline: the list stays as it was.
    }
  },

  onTarget(e) {
    this.setData({ target: e.detail.value.trim() });
  },

  openNew() {
    const target = this.data.target;
    if (!target || target === this.data.me) return;
    this.setData({ target: '' });
    wx.navigateTo({ url: `/pages/chat/chat?target=${encodeURIComponent(target)}` });
  },

  open(e) {
    wx.navigateTo({ url: `/pages/chat/chat?target=${encodeURIComponent(e.currentTarget.dataset.target)}` });
  },
});
