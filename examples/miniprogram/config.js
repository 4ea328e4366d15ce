// Where the SDK finds the server. These defaults match `npm run demo` in the repository on this
// machine: DevTools reaches http://127.0.0.1 with "Do not verify valid domain names" ticked. On a
// device, use your server's domain with protocol 'https:' and list it as the request and socket
// domains in the admin console (see the package README).
module.exports = {
  // The app key; empty: asked from `demoUrl` + '/demo/config'.
  appKey: '',
  // host[:port] of the navigation server (im-server); empty: from /demo/config.
  navi: '',
  protocol: 'http:',
  // The demo's web server: /demo/config and /demo/token?user=ID. Your app server instead hands
  // out tokens from the Server API's user/getToken.
  demoUrl: 'http://127.0.0.1:8080',
};
