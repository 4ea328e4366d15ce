// npm run bench, part 3: the package's mini-program build in JavaScriptCore, with and without its
// JIT (WeChat on iOS runs mini programs in JSC with the JIT off), and in Node, on the same inputs.
// No server and no sockets: this script builds the server's frames with the diagnostics build of
// the wire codec (.build/wasm-node) and writes them to a temporary directory; then
// tests/bench/jsc-harness.js runs each workload in a fresh process, with a fake `wx` whose
// SocketTask delivers those frames and answers what the SDK sends:
//   live-1, live-1000           20,000 `s_msg` frames from 1 or 1,000 senders, replayed in one
//                               task after the connection is up (counted at onReceived);
//   live-1-task, live-1000-task the same, one frame per task (each frame its own setTimeout);
//   pull                        connect() of a user with 50 × 200 messages waiting: the time to
//                               the last onReceived, navigation and CONNACK included;
//   send                        5,000 sendMessage calls at once, each PUBLISH answered in its own
//                               task by a PUBACK (the time to the last onSuccess).
// The figures are printed (messages per second) next to the original RongIMLib 2.5.3's, measured
// on this kind of machine in JSC without JIT on the same workloads; never asserted. A wrong count
// or an error callback fails the run.
//
// Environment: BENCH_SCALE (default 1) scales every workload's size (0.05 for a quick run);
// BENCH_HOSTS (default "node,jit,nojit") and BENCH_WORKLOADS (comma-separated names) select;
// BENCH_STORE=0 turns the engine's local message store off.
// JSC is /usr/bin/jsc (or $JSC) from Debian's libjavascriptcoregtk-4.0-bin, installed here with
// apt-get when missing and this process may (root, or sudo without a password).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os, { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { brotliDecompressSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
// /proc's unit of CPU time (`getconf CLK_TCK`; 100 on every Linux this runs on).
const CLOCK_TICKS = Number(process.env.CLK_TCK || 100);
const root = join(here, '..', '..');
const harness = join(here, 'jsc-harness.js');
let nodeFlags = [];

// `node jsc.mjs --shell config.js harness.js -- workload`: the JSC shell's host functions in Node.
if (process.argv[2] === '--shell') {
  const dash = process.argv.indexOf('--');
  const files = process.argv.slice(3, dash);
  globalThis.arguments = process.argv.slice(dash + 1);
  globalThis.print = (...a) => console.log(...a);
  globalThis.readFile = (p, mode) => (mode === 'binary' ? new Uint8Array(readFileSync(p)) : readFileSync(p, 'utf8'));
  globalThis.preciseTime = () => performance.now() / 1000;
  globalThis.quit = (code = 0) => process.exit(code);
  globalThis.readline = () => {
    const one = Buffer.alloc(1);
    let line = '';
    while (readSync(0, one, 0, 1) === 1 && one[0] !== 10) line += String.fromCharCode(one[0]);
    return line;
  };
  for (const f of files) vm.runInThisContext(readFileSync(f, 'utf8'), { filename: f });
} else {
  await main();
}

async function main() {
  const scale = Number(process.env.BENCH_SCALE || 1);
  if (!(scale > 0)) throw new Error(`BENCH_SCALE must be a positive number, not ${process.env.BENCH_SCALE}`);
  const LIVE = Math.max(1, Math.round(20000 * scale));
  const PULL_REPLIES = Math.max(1, Math.round(50 * scale));
  const PULL_SIZE = 200;
  const SENDS = Math.max(1, Math.round(5000 * scale));

  const bundle = join(root, 'pkg', 'miniprogram_dist', 'index.js');
  // BENCH_WASM runs another build of the same module instead, e.g. one that keeps its name
  // section, so that JSC's sampling profiler (JSC_useSamplingProfiler=true) names functions.
  // BENCH_NODE_FLAGS: flags for the Node runs, e.g. `--cpu-prof --cpu-prof-dir=DIR`.
  nodeFlags = (process.env.BENCH_NODE_FLAGS || '').split(' ').filter(Boolean);
  const wasm = process.env.BENCH_WASM || join(root, 'pkg', 'dist', 'im_wasm_bg.wasm');
  const diagnosticsGlue = join(root, '.build', 'wasm-node', 'im_wasm.js');
  for (const f of [bundle, wasm, diagnosticsGlue]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run npm run build first`);
  }
  // The raw wasm the shell instantiates must be the module the mini program gets compressed.
  const br = readFileSync(join(root, 'pkg', 'miniprogram_dist', 'im_wasm_bg.wasm.br'));
  if (!process.env.BENCH_WASM && !brotliDecompressSync(br).equals(readFileSync(wasm))) {
    throw new Error('pkg/dist/im_wasm_bg.wasm differs from miniprogram_dist/im_wasm_bg.wasm.br');
  }

  const dir = mkdtempSync(join(tmpdir(), 'im-bench-jsc-'));
  try {
    writeInputs(dir, { bundle, wasm, diagnosticsGlue, LIVE, PULL_REPLIES, PULL_SIZE, SENDS });
    const workloads = [
      ['live-1', `${fmt(LIVE)} live s_msg, 1 sender, in one task`, 9.3],
      ['live-1-task', `${fmt(LIVE)} live s_msg, 1 sender, one frame per task`, 9.3],
      ['live-1000', `${fmt(LIVE)} live s_msg, 1,000 senders, in one task`, 15.7],
      ['live-1000-task', `${fmt(LIVE)} live s_msg, 1,000 senders, one frame per task`, 15.7],
      ['pull', `connect-time pull, ${PULL_REPLIES} ${PULL_REPLIES === 1 ? 'reply' : 'replies'} × ${PULL_SIZE}`, 6.1],
      ['send', `${fmt(SENDS)} sends at once, each answered by a PUBACK`, 1.66],
      ['send-task', `${fmt(SENDS)} sends, one per task after the last PUBACK`, 1.66],
    ].filter(([name]) => !process.env.BENCH_WORKLOADS || process.env.BENCH_WORKLOADS.split(',').includes(name));
    // The original's times (s, JIT off) were measured at the full sizes: 20,000, 50 × 200, 5,000.
    const originalRate = { live: 20000, pull: 10000, send: 5000 };

    const wanted = (process.env.BENCH_HOSTS || 'node,jit,nojit').split(',');
    const jsc = wanted.some((h) => h !== 'node') ? findJsc() : null;
    const hosts = [
      ['node', 'Node', [process.execPath, [...nodeFlags, fileURLToPath(import.meta.url), '--shell']], {}],
      ['jit', 'JSC JIT', jsc && [jsc, []], {}],
      ['nojit', 'JSC no JIT', jsc && [jsc, []], { JSC_useJIT: 'false' }],
    ].filter(([key]) => wanted.includes(key));

    const results = {};
    const failures = [];
    const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
    console.log(`jsc bench: load average before ${load()} on ${os.cpus().length} CPUs`);
    for (const [name, label] of workloads) {
      results[name] = {};
      for (const [key, hostLabel, cmd, env] of hosts) {
        if (!cmd) {
          results[name][key] = 'skipped (no jsc)';
          continue;
        }
        try {
          const r = await runOne(cmd, env, dir, name);
          results[name][key] = r;
          const notes = [];
          if (r.issueSeconds != null) notes.push(`the calls took ${r.issueSeconds.toFixed(2)} s`);
          notes.push(`${(r.storageWrites / r.n).toFixed(1)} wx.setStorageSync per message, ${fmt(Math.round(r.storageChars / r.n))} chars`);
          if (r.otherQueries && Object.keys(r.otherQueries).length) notes.push(`other queries answered empty: ${JSON.stringify(r.otherQueries)}`);
          console.log(`jsc bench: ${label} — ${hostLabel}: ${fmt(r.n)} in ${r.seconds.toFixed(2)} s = ` +
            `${fmt(Math.round(r.perSecond))} msg/s; main thread CPU ${r.cpuSeconds.toFixed(2)} s = ` +
            `${fmt(Math.round(r.n / r.cpuSeconds))} msg/s${notes.length ? ` (${notes.join('; ')})` : ''}`);
        } catch (err) {
          results[name][key] = 'FAILED';
          failures.push(err.message);
          console.log(`jsc bench: ${label} — ${hostLabel}: FAILED\n${err.message}`);
        }
      }
    }
    console.log(`jsc bench: load average after ${load()}`);

    // Each cell: messages per second of wall-clock time, and per second of the main thread's CPU
    // time (what the figure would approach on an idle machine).
    const cols = hosts.map(([, label]) => label);
    const rate = (r) => `${fmt(Math.round(r.perSecond))} (CPU ${fmt(Math.round(r.n / r.cpuSeconds))})`;
    const rows = workloads.map(([name, label, originalSeconds]) => {
      const original = originalRate[name.split('-')[0]] / originalSeconds;
      const cells = hosts.map(([key]) => (typeof results[name][key] === 'string' ? results[name][key] : rate(results[name][key])));
      const r = results[name].nojit;
      const ratio = r && typeof r !== 'string'
        ? `${(r.perSecond / original).toFixed(2)} (CPU ${(r.n / r.cpuSeconds / original).toFixed(2)})`
        : '–';
      return [label, ...cells, `${fmt(Math.round(original))} (${originalSeconds} s)`, ratio];
    });
    console.log('');
    const store = process.env.BENCH_STORE === '0' ? '; the local message store off (BENCH_STORE=0)' : '';
    console.log(`messages per second: by wall-clock time (by the main thread's CPU time)${store}`);
    console.log(table(['workload', ...cols, 'original 2.5.3, JSC no JIT', 'ours ÷ original, no JIT'], rows));
    console.log(
      '\nNode runs the same bundle and harness (with its native TextDecoder). The original\'s figures were ' +
        'measured by wall clock at the full sizes (20,000 / 50 × 200 / 5,000) in the same JSC without JIT on ' +
        'this kind of machine, without a comparable load. JSC here is WebKitGTK\'s on x86-64, not an iPhone: ' +
        'compare ratios rather than absolute figures.',
    );
    if (failures.length) process.exitCode = 1;
  } finally {
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

/** The path of the JSC shell, installing Debian's package when it is missing and we may. */
function findJsc() {
  const path = process.env.JSC || '/usr/bin/jsc';
  if (existsSync(path)) return path;
  if (process.env.JSC) {
    console.log(`jsc bench: SKIPPING the JavaScriptCore columns: JSC=${path} does not exist.`);
    return null;
  }
  const install = 'apt-get install -y libjavascriptcoregtk-4.0-bin';
  const root = process.getuid && process.getuid() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (root || sudo) {
    console.log(`jsc bench: ${path} is missing; running ${sudo ? 'sudo ' : ''}${install}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const run = (args) => spawnSync(sudo ? 'sudo' : args[0], sudo ? ['-n', ...args] : args.slice(1), { stdio: 'inherit', env });
    // Without a fresh package index the install may not find the package: update, then retry.
    if (run(install.split(' ')).status !== 0 && run(['apt-get', 'update']).status === 0) run(install.split(' '));
    if (existsSync(path)) return path;
  }
  console.log(`jsc bench: SKIPPING the JavaScriptCore columns: ${path} is missing and could not be installed ` +
    `(run \`sudo ${install}\`, or set JSC to a JSC shell).`);
  return null;
}

/**
 * Runs one workload in a fresh process. The harness stops at the start and the end of the timed
 * span (`MARK`) until this reads the CPU time of its main thread (the thread the SDK runs on; the
 * shell's collector and compiler threads are left out) from /proc, so that the figures can also
 * be read per CPU second on a busy machine.
 */
function runOne([cmd, pre], env, dir, workload) {
  const args = [...pre, join(dir, 'config.js'), harness, '--', workload];
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let pending = '';
  let result = null;
  const cpu = [];
  const threadCpu = () => {
    try {
      const stat = readFileSync(`/proc/${child.pid}/task/${child.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS; // utime + stime
    } catch {
      return NaN; // not Linux
    }
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => (out += d));
  child.stdout.on('data', (d) => {
    out += d;
    pending += d;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.startsWith('MARK ')) {
        cpu.push(threadCpu());
        child.stdin.write('\n');
      } else if (line.startsWith('RESULT ')) result = JSON.parse(line.slice('RESULT '.length));
    }
  });
  child.stdin.on('error', () => {});
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0 || !result || /^FAIL /m.test(out)) {
        // The shell's quit() exits with 0 whatever it is given: the FAIL line is what counts.
        const how = env.JSC_useJIT ? ` (JSC_useJIT=${env.JSC_useJIT})` : '';
        const text = out.split('\n').filter((l) => !l.startsWith('MARK ')).join('\n').trim();
        reject(new Error(`${workload} failed in ${cmd}${how}${status ? ` with status ${status}` : ''}:\n${text}`));
        return;
      }
      result.cpuSeconds = cpu.length === 2 ? cpu[1] - cpu[0] : NaN;
      resolve(result);
    });
  });
}

function fmt(n) {
  return n.toLocaleString('en-US');
}

function table(head, rows) {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

// ---- the inputs: the server's frames, built with the same codec the server uses ----

function writeInputs(dir, { bundle, wasm, diagnosticsGlue, LIVE, PULL_REPLIES, PULL_SIZE, SENDS }) {
  const codec = createRequire(import.meta.url)(diagnosticsGlue);
  const user = 'bench-rx';
  const host = 'cmp.bench.invalid';
  // The server's clock at CONNACK; live messages are newer, pulled ones older (offline).
  const T0 = Date.now();
  const smsg = (i, from, dataTime, uid) =>
    codec.encodeSMsgFrame(JSON.stringify({
      msgId: (i % 65535) + 1,
      toUserId: user,
      fromUserId: from,
      conversationType: 1,
      objectName: 'RC:TxtMsg',
      content: JSON.stringify({ content: `message ${i}`, extra: '' }),
      dataTime,
      messageUId: uid,
    }));
  const live = (senders) =>
    Array.from({ length: LIVE }, (_, i) =>
      smsg(i, senders > 1 ? `bench-sender-${i % senders}` : 'bench-sender', T0 + 1000 + i, `BENCH-LIVE-${i}`));

  // pullMsg replies: DownStreamMessages{list = the s_msg payloads, syncTime, finished}.
  const pulled = [];
  let g = 0;
  const start = T0 - 10 * 60 * 1000;
  for (let k = 0; k < PULL_REPLIES; k++) {
    const list = [];
    for (let j = 0; j < PULL_SIZE; j++, g++) {
      list.push(publishPayload(smsg(g, `pull-sender-${g % 1000}`, start + g, `BENCH-PULL-${g}`)));
    }
    pulled.push(queryAck(downStreamMessages(list, start + g - 1, k === PULL_REPLIES - 1), T0));
  }
  const pubacks = Array.from({ length: SENDS }, (_, i) => puback(T0 + 2000 + i, `BENCH-SEND-${i}`));
  const connect = [
    connack(user, T0),
    Uint8Array.of(0xd0), // PINGRESP
    queryAck(downStreamMessages([], start - 1, true), T0),
    queryAck(new Uint8Array(0), T0),
  ];
  // Spot checks with the codec's own decoder (the harness checks the payloads by what arrives).
  const kinds = [connect[0], connect[2], pulled[0], pubacks[0]].map((f) => codec.describeServerFrame(f).split('(')[0]);
  if (kinds.join() !== 'ConnAck,QueryAck,QueryAck,PubAck') throw new Error(`built frames decode as ${kinds.join()}`);

  const write = (name, list) => {
    const total = list.reduce((n, f) => n + 4 + f.length, 0);
    const out = Buffer.alloc(total);
    let at = 0;
    for (const f of list) {
      out.writeUInt32BE(f.length, at);
      out.set(f, at + 4);
      at += 4 + f.length;
    }
    writeFileSync(join(dir, name), out);
  };
  write('connect.bin', connect);
  write('smsg-1.bin', live(1));
  write('smsg-1000.bin', live(1000));
  write('pull.bin', pulled);
  write('puback.bin', pubacks);
  const config = {
    dir,
    bundle,
    wasm,
    appKey: 'benchappkey',
    token: 'bench-token',
    naviHost: 'navi.bench.invalid',
    naviBody: `getServerEndpoint(${JSON.stringify({ code: 200, server: host, backupServer: '', userId: user })});`,
    storeOff: process.env.BENCH_STORE === '0',
    pullReplies: PULL_REPLIES,
    pullSize: PULL_SIZE,
    // BENCH_JSC_PROFILE=FILE (with JSC_useSamplingProfiler=true): the shell's sampling profile
    // of the timed span, stack traces as JSON, for tests/bench/jsc-profile.mjs.
    profile: process.env.BENCH_JSC_PROFILE || null,
  };
  writeFileSync(join(dir, 'config.js'), `var BENCH = ${JSON.stringify(config)};\n`);
}

function u16(n) {
  return [(n >> 8) & 255, n & 255];
}

function u32(n) {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

function utf(s) {
  const b = Buffer.from(s, 'utf8');
  return [...u16(b.length), ...b];
}

function varint(n) {
  const out = [];
  while (n >= 128) {
    out.push((n % 128) + 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** The payload of a server PUBLISH: after `hdr | u32 date | UTF topic | UTF target | u16 id`. */
function publishPayload(f) {
  let at = 5;
  at += 2 + ((f[at] << 8) | f[at + 1]);
  at += 2 + ((f[at] << 8) | f[at + 1]);
  return f.subarray(at + 2);
}

function downStreamMessages(list, syncTime, finished) {
  const out = [];
  for (const m of list) out.push(0x0a, ...varint(m.length), ...m);
  out.push(0x10, ...varint(syncTime), 0x18, finished ? 1 : 0);
  return Uint8Array.from(out);
}

/** QUERYACK, QoS 1: `62 | u16 id | u32 date | u16 status | payload`; the id is set when sent. */
function queryAck(payload, now) {
  return Uint8Array.from([0x62, 0, 0, ...u32(Math.floor(now / 1000)), 0, 0, ...payload]);
}

/** PUBACK: `40 | u16 id | u32 date_seconds | u16 status | u16 ms | UTF messageUId`. */
function puback(time, uid) {
  return Uint8Array.from([0x40, 0, 0, ...u32(Math.floor(time / 1000)), 0, 0, ...u16(time % 1000), ...utf(uid)]);
}

/** CONNACK 0: `20 00 00 | UTF userId | UTF sessionId | u64 timestamp_ms`. */
function connack(userId, time) {
  const hi = Math.floor(time / 2 ** 32);
  return Uint8Array.from([0x20, 0, 0, ...utf(userId), ...utf('bench-session'), ...u32(hi), ...u32(time % 2 ** 32)]);
}
