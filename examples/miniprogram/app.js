// The app: the SDK is started once (utils/im.js); pages subscribe to its events.
App({
  globalData: {
    userId: '',
  },
});
