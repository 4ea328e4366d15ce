// One workload of tests/bench/jsc.mjs, run as a plain script by the JavaScriptCore shell (`jsc
// config.js jsc-harness.js -- <workload>`) or by Node through the runner's shell emulation. It
// loads the package's mini-program bundle (miniprogram_dist/index.js, CommonJS) with a fake `wx`
// whose request and SocketTask answer from the pre-built frames the runner wrote (the config file
// defines BENCH), and a `WXWebAssembly` that instantiates the raw wasm bytes (the shell cannot
// decompress the `.wasm.br`). The shell's host functions used: print, readFile, readline,
// preciseTime, quit, setTimeout. It prints one line `RESULT {json}` and quits, or `FAIL …` and
// quits with status 1. Before and after the timed span it prints `MARK` and waits for a line on
// stdin, while the runner reads the CPU time of this process's main thread.
var BENCH_ARGS = typeof arguments !== 'undefined' ? Array.prototype.slice.call(arguments) : [];

(function (global) {
  'use strict';
  var cfg = global.BENCH;
  var workload = BENCH_ARGS[0] || cfg.workload;
  var nativeSetTimeout = global.setTimeout;
  // A new task: Node clamps setTimeout(0) to 1 ms, so there setImmediate (the shell has none).
  var later =
    typeof setImmediate === 'function'
      ? setImmediate
      : function (fn) {
          nativeSetTimeout(fn, 0);
        };

  function fail(message) {
    print('FAIL ' + workload + ': ' + message);
    quit(1);
  }

  // The shell's setTimeout returns nothing and it has no clearTimeout (a mini program has both).
  if (typeof global.clearTimeout !== 'function') {
    var nextTimer = 1;
    var cancelled = new Set();
    global.setTimeout = function (fn, ms) {
      var id = nextTimer++;
      nativeSetTimeout(function () {
        if (cancelled.delete(id)) return;
        fn();
      }, ms || 0);
      return id;
    };
    global.clearTimeout = function (id) {
      if (id) cancelled.add(id);
    };
  }

  /** The frames of one input file: each a u32 big-endian length, then the bytes. */
  function frames(name) {
    var b = readFile(cfg.dir + '/' + name, 'binary');
    var out = [];
    for (var i = 0; i < b.length; ) {
      var n = ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
      i += 4;
      out.push(b.buffer.slice(b.byteOffset + i, b.byteOffset + i + n));
      i += n;
    }
    return out;
  }

  /** A copy of `frame` (an ArrayBuffer) with the message id at bytes 1–2 set to `id`. */
  function withId(frame, id) {
    var copy = frame.slice(0);
    var v = new Uint8Array(copy);
    v[1] = id >> 8;
    v[2] = id & 255;
    return copy;
  }

  var utf8 = function (b, at, n) {
    var s = '';
    for (var i = 0; i < n; i++) s += String.fromCharCode(b[at + i]);
    return s;
  };

  // ---- the host: WXWebAssembly over WebAssembly, and a `wx` answered from the canned frames ----

  global.WXWebAssembly = {
    instantiate: function (path, imports) {
      return WebAssembly.instantiate(readFile(cfg.wasm, 'binary'), imports);
    },
  };

  /**
   * A `wx` whose request answers the navigation and the probe, and whose SocketTask plays the
   * server: CONNACK on open, PINGRESP for PINGREQ, `server.pull(id)` for each pullMsg QUERY and
   * `server.publish(id)` for each PUBLISH; every answer arrives in its own task.
   */
  /** wx.setStorageSync calls and the characters written, over every fake `wx`. */
  var storageWrites = { count: 0, chars: 0 };
  var writesAtStart = null;

  function fakeWx(server) {
    var storage = new Map();
    var hidden = [];
    var shown = [];
    var wx = {
      socket: null,
      // The app going to the background and back: the SDK writes what it holds when hidden.
      onAppHide: function (f) { hidden.push(f); },
      offAppHide: function () {},
      onAppShow: function (f) { shown.push(f); },
      offAppShow: function () {},
      hideAndShow: function () {
        for (var i = 0; i < hidden.length; i++) hidden[i]({});
        for (var j = 0; j < shown.length; j++) shown[j]({});
      },
      request: function (o) {
        later(function () {
          if (o.url.indexOf('/navi') >= 0) o.success({ statusCode: 200, data: cfg.naviBody });
          else if (o.url.indexOf('/ping') >= 0) o.success({ statusCode: 200, data: '' });
          else o.success({ statusCode: 404, data: '' });
        });
        return { abort: function () {} };
      },
      connectSocket: function () {
        var on = { open: [], message: [], close: [], error: [] };
        var closed = false;
        var deliver = function (data) {
          if (closed) return;
          var res = { data: data };
          for (var i = 0; i < on.message.length; i++) on.message[i](res);
        };
        var task = {
          deliver: deliver,
          onOpen: function (f) { on.open.push(f); },
          onMessage: function (f) { on.message.push(f); },
          onClose: function (f) { on.close.push(f); },
          onError: function (f) { on.error.push(f); },
          send: function (o) {
            var b = new Uint8Array(o.data);
            var type = b[0] >> 4;
            var answer = null;
            if (type === 12) answer = server.pingresp;
            else if (type === 3 || type === 5) {
              // PUBLISH and QUERY: UTF topic, UTF targetId, u16 id, payload.
              var tn = (b[1] << 8) | b[2];
              var topic = utf8(b, 3, tn);
              var at = 3 + tn;
              at += 2 + ((b[at] << 8) | b[at + 1]);
              var id = (b[at] << 8) | b[at + 1];
              if (type === 3) answer = server.publish(id, topic);
              else if (topic === 'pullMsg') answer = server.pull(id);
              else {
                server.otherQueries[topic] = (server.otherQueries[topic] || 0) + 1;
                answer = withId(server.emptyQueryAck, id);
              }
            }
            // QUERYCON (7) and PUBACK (4) need no answer.
            if (answer) later(function () { deliver(answer); });
            if (o.success) later(o.success);
          },
          close: function () {
            closed = true;
          },
        };
        wx.socket = task;
        later(function () {
          for (var i = 0; i < on.open.length; i++) on.open[i]({});
          later(function () { deliver(server.connack); });
        });
        return task;
      },
      getStorageSync: function (k) { return storage.has(k) ? storage.get(k) : ''; },
      setStorageSync: function (k, v) {
        storageWrites.count++;
        storageWrites.chars += String(v).length;
        storage.set(k, v);
      },
      removeStorageSync: function (k) { storage.delete(k); },
      getStorageInfoSync: function () { return { keys: Array.from(storage.keys()) }; },
    };
    return wx;
  }

  // BENCH_STORE=0: the engine's local message store off (`storeBudget: 0`, as run.mjs does for
  // the engine alone). The façade has no such option; its config reaches the engine as JSON.
  if (cfg.storeOff) {
    var stringify = JSON.stringify;
    JSON.stringify = function (value) {
      if (value && typeof value === 'object' && 'appKey' in value && 'seed' in value && 'storage' in value) {
        value = Object.assign({}, value, { storeBudget: 0 });
      }
      return stringify.apply(JSON, [value].concat(Array.prototype.slice.call(arguments, 1)));
    };
  }

  // ---- the bundle, as a mini program's `require` would give it ----

  var module = { exports: {} };
  var factory = (0, eval)('(function (module, exports, require) {' + readFile(cfg.bundle) + '\n})');
  factory(module, module.exports, function (name) {
    throw new Error('the bundle required ' + name);
  });
  var bundle = module.exports;

  var conn = frames('connect.bin'); // CONNACK, PINGRESP, an empty finished pull reply, an empty QUERYACK
  function baseServer() {
    return {
      connack: conn[0],
      pingresp: conn[1],
      emptyQueryAck: conn[3],
      otherQueries: {},
      pulls: 0,
      pull: function (id) {
        this.pulls++;
        return withId(conn[2], id);
      },
      publish: function () {
        return null;
      },
    };
  }

  /** A fresh namespace connected through `server`; `then(lib, wx)` once the first pull is done. */
  /** The fake `wx` of the last connect. */
  var currentWx = null;

  function connect(server, listener, then) {
    var wx = (currentWx = fakeWx(server));
    var lib = bundle.createRongIMLib({ wx: wx });
    lib.RongIMClient.init(cfg.appKey, null, { navi: cfg.naviHost });
    lib.RongIMClient.setConnectionStatusListener({ onChanged: function () {} });
    lib.RongIMClient.setOnReceiveMessageListener({ onReceived: listener });
    lib.RongIMClient.connect(cfg.token, {
      onSuccess: function () {
        then(lib, wx);
      },
      onTokenIncorrect: function () {
        fail('onTokenIncorrect');
      },
      onError: function (code) {
        fail('connect onError ' + code);
      },
    });
  }

  /** Waits for the first pull to have been answered and handled, then for one more task. */
  function settled(server, then) {
    var polls = 0;
    (function poll() {
      if (server.pulls > 0) return later(function () { later(then); });
      if (++polls > 500) fail('no pullMsg after CONNACK');
      nativeSetTimeout(poll, 2);
    })();
  }

  /**
   * Stops until the runner has read this thread's CPU time (it answers on stdin): called just
   * before the timed span starts and right after it ends.
   */
  function mark(name) {
    print('MARK ' + name);
    readline();
  }

  function start() {
    mark('start');
    writesAtStart = { count: storageWrites.count, chars: storageWrites.chars };
    if (cfg.profile && typeof startSamplingProfiler === 'function') startSamplingProfiler();
    return preciseTime();
  }

  function report(n, seconds, extra) {
    mark('end');
    var r = {
      workload: workload,
      n: n,
      seconds: seconds,
      perSecond: n / seconds,
      storageWrites: storageWrites.count - writesAtStart.count,
      storageChars: storageWrites.chars - writesAtStart.chars,
    };
    for (var k in extra) r[k] = extra[k];
    if (cfg.profile && typeof samplingProfilerStackTraces === 'function') {
      writeFile(cfg.profile, JSON.stringify(samplingProfilerStackTraces()));
    }
    print('RESULT ' + JSON.stringify(r));
    quit(0);
  }

  /** Fails when `count()` is short of `n` and has not moved for `idle` seconds. */
  function watchdog(n, count, idle) {
    var seen = -1;
    (function check() {
      var c = count();
      if (c >= n) return;
      if (c === seen) fail(c + ' of ' + n + ' after ' + idle + ' s without progress');
      seen = c;
      nativeSetTimeout(check, idle * 1000);
    })();
  }

  // ---- the workloads ----

  function live(file, senders, perTask) {
    var input = frames(file);
    var from = new Set();
    var n = input.length;
    var received = 0;
    var last = null;
    var t0 = 0;
    var server = baseServer();
    var onReceived = function (message) {
      last = message;
      from.add(message.senderUserId);
      if (++received === n) {
        // Everything the SDK holds is written within the timed span (it writes when hidden).
        currentWx.hideAndShow();
        var seconds = preciseTime() - t0;
        if (last.content.content !== 'message ' + (n - 1)) fail('the last message is ' + JSON.stringify(last.content));
        if (from.size !== Math.min(senders, n)) fail('messages from ' + from.size + ' senders, not ' + senders);
        report(n, seconds, { otherQueries: server.otherQueries });
      } else if (received > n) fail('more messages than frames');
    };
    connect(server, onReceived, function (lib, wx) {
      settled(server, function () {
        if (received !== 0) fail(received + ' messages before the replay');
        var socket = wx.socket;
        t0 = start();
        watchdog(n, function () { return received; }, 30);
        if (!perTask) {
          for (var i = 0; i < n; i++) socket.deliver(input[i]);
          return;
        }
        var next = 0;
        (function one() {
          socket.deliver(input[next++]);
          if (next < n) later(one);
        })();
      });
    });
  }

  function pull() {
    var replies = frames('pull.bin');
    var n = cfg.pullReplies * cfg.pullSize;
    var received = 0;
    var t0 = 0;
    var server = baseServer();
    server.pull = function (id) {
      // The replies in order, then empty finished ones.
      return withId(this.pulls < replies.length ? replies[this.pulls++] : conn[2], id);
    };
    var onReceived = function () {
      if (++received === n) {
        // Everything the SDK holds is written within the timed span (it writes when hidden).
        currentWx.hideAndShow();
        var seconds = preciseTime() - t0;
        if (server.pulls !== replies.length) fail('the last message arrived after ' + server.pulls + ' replies');
        report(n, seconds, { replies: server.pulls, otherQueries: server.otherQueries });
      } else if (received > n) fail('more messages than pulled');
    };
    t0 = start();
    watchdog(n, function () { return received; }, 30);
    connect(server, onReceived, function () {});
  }

  /**
   * `n` sendMessage calls, each PUBLISH answered by a PUBACK in its own task: all issued in one
   * task (`perTask` false: all in flight at once), or each in its own task after the previous
   * one's PUBACK has been handled (one in flight).
   */
  function send(perTask) {
    var acks = frames('puback.bin');
    var n = acks.length;
    var server = baseServer();
    var published = 0;
    server.publish = function (id) {
      if (published >= n) fail('more PUBLISH frames than sends');
      return withId(acks[published++], id);
    };
    connect(server, function () {}, function (lib) {
      settled(server, function () {
        var im = lib.RongIMClient.getInstance();
        var ok = 0;
        var issued = 0;
        var issueSeconds = null;
        var t0 = start();
        var callbacks = {
          onSuccess: function (message) {
            if (++ok === n) {
              // Everything the SDK holds is written within the timed span (it writes when hidden).
              currentWx.hideAndShow();
              var seconds = preciseTime() - t0;
              if (!message.messageUId || message.messageUId.indexOf('BENCH-SEND-') !== 0) {
                fail('the last sent message has messageUId ' + message.messageUId);
              }
              report(n, seconds, { issueSeconds: issueSeconds, otherQueries: server.otherQueries });
            }
          },
          onError: function (code) {
            fail(
              'sendMessage onError ' + code + ' after ' + ok + ' successes' +
                (issueSeconds === null ? '' : '; issuing the ' + n + ' sends took ' + issueSeconds.toFixed(2) + ' s') +
                (code === -1 ? ' (-1: the 30 s request timeout)' : ''),
            );
          },
        };
        var one = function () {
          im.sendMessage(1, 'bench-peer', lib.TextMessage.obtain('send ' + issued++), callbacks);
        };
        watchdog(n, function () { return ok; }, 30);
        if (!perTask) {
          while (issued < n) one();
          issueSeconds = preciseTime() - t0;
          return;
        }
        (function next() {
          one();
          // Queued after the PUBACK the fake server has just queued for this send.
          if (issued < n) later(next);
        })();
      });
    });
  }

  var workloads = {
    'live-1': function () { live('smsg-1.bin', 1, false); },
    'live-1-task': function () { live('smsg-1.bin', 1, true); },
    'live-1000': function () { live('smsg-1000.bin', 1000, false); },
    'live-1000-task': function () { live('smsg-1000.bin', 1000, true); },
    pull: pull,
    send: function () { send(false); },
    'send-task': function () { send(true); },
  };
  if (!workloads[workload]) fail('unknown workload');
  workloads[workload]();
})(this);
