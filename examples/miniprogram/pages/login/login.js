const { login } = require('../../utils/im.js');

Page({
  data: { userId: '', token: '', busy: false, error: '' },

  onLoad() {
    this.setData({ userId: wx.getStorageSync('demo_user') || '' });
  },

  onUserId(e) {
    this.setData({ userId: e.detail.value.trim() });
  },

  onToken(e) {
    this.setData({ token: e.detail.value.trim() });
  },

  async login() {
    const { userId, token } = this.data;
    if (!userId && !token) {
      this.setData({ error: 'a user id or a token' });
      return;
    }
    this.setData({ busy: true, error: '' });
    try {
      const me = await login({ userId, token });
      getApp().globalData.userId = me;
      if (userId) wx.setStorageSync('demo_user', userId);
      wx.redirectTo({ url: '/pages/conversations/conversations' });
    } catch (err) {
      this.setData({ error: String(err && err.message) });
    } finally {
      this.setData({ busy: false });
    }
  },
});
