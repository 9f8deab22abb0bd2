'use strict';
// One load generator for both peers of the webchat-vs-socket.io benchmark (docs/benchmarks/webchat.md). For each peer in
// turn it starts the server process, opens N visitors (the website chat: session over HTTP, then the visitor stream
// WebSocket with after=0, as the widget does; socket.io: socket.io-client over WebSocket), keeps the widget's heartbeat
// going (one per visitor every 25 s, phases spread evenly), then paces agent replies through the server at a fixed
// rate and measures scheduled-send -> visitor-socket latency, the server's CPU per delivered reply and its RSS.
//
//   node load.js [--peers webchat,socketio] [--visitors 1000] [--rate 200] [--seconds 10] [--warmup 10]
//                [--warmup-rate RATE] [--jar ../target/benchmarks.jar] [--jvm "-Xss256k -XX:+UseSerialGC ..."]
//
// Pacing and stamping happen here, in one process for both peers: reply i of a phase is due at start + i/rate, is
// written to the server's stdin at its due time (or as soon after as this event loop gets to it) and carries its due
// time in CLOCK_MONOTONIC nanoseconds; its arrival on the visitor's socket is stamped with the same clock. So a reply
// that waits anywhere (timer, pipe, server queue, socket, this client) counts the wait: no coordinated omission.
const { spawn, execSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const readline = require('readline');
const WebSocket = require('ws');
const { io: ioClient } = require('socket.io-client');

const args = parseArgs(process.argv.slice(2));
const VISITORS = int(args.visitors, 1000);
const RATE = int(args.rate, 200);
const SECONDS = int(args.seconds, 10);
const WARMUP = int(args.warmup, 10);
const WARMUP_RATE = int(args['warmup-rate'], RATE); // JIT compilers count invocations: a faster warm-up is a shorter one
const HEARTBEAT_MS = 25000;
const PEERS = (args.peers || 'webchat,socketio').split(',');
const JAR = path.resolve(args.jar || path.join(__dirname, '..', 'target', 'benchmarks.jar'));
// The JVM flags docs/benchmarks/webchat.md recommends for the website chat server (why: see there).
const RECOMMENDED_JVM = '-Xss256k -XX:+UseSerialGC -Xms16m -Xmx512m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30';
const JVM = (args.jvm || process.env.SERVER_JVM_OPTS || RECOMMENDED_JVM).split(/\s+/).filter(Boolean);
const CONCURRENCY = 200;
const CLK_TCK = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

const now = () => Number(process.hrtime.bigint());
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  console.log(`${VISITORS} visitors, heartbeat every ${HEARTBEAT_MS / 1000} s each, agent replies at ${RATE}/s for ` +
    `${SECONDS} s after a ${WARMUP} s warm-up at ${WARMUP_RATE}/s; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, ` +
    `${os.cpus().length} CPUs`);
  const results = [];
  for (const peer of PEERS) {
    results.push(await runPeer(peer));
  }
  printTable(results);
}

async function runPeer(peer) {
  const server = await startServer(peer);
  const r = { peer, pid: server.pid, command: server.command };
  try {
    r.rssEmpty = rss(server.pid);
    const rec = new Recorder();
    const t0 = now();
    const visitors = await connectAll(peer, server.port, rec, t0);
    r.connectSeconds = (now() - t0) / 1e9;
    const targetsFile = path.join(os.tmpdir(), `webchat-vs-socketio-${process.pid}-${peer}.txt`);
    fs.writeFileSync(targetsFile, visitors.map((v) => v.target).join('\n') + '\n');
    await server.ask(`targets ${targetsFile}`);
    fs.unlinkSync(targetsFile);
    await sleep(1000);
    r.rssIdle = rss(server.pid); // before the forced GC of `heap`: the footprint the OS sees
    const heap = (await server.ask('heap')).split(' ');
    r.heapIdle = Number(heap[1]);
    r.streams = Number(heap[3]);
    console.log(`${peer}: pid ${server.pid}, ${visitors.length} visitors in ${r.connectSeconds.toFixed(1)} s ` +
      `(server reports ${r.streams}), RSS ${mib(r.rssIdle)} (empty server ${mib(r.rssEmpty)}), heap after GC ` +
      `${mib(r.heapIdle)}`);

    const warm = await phase(server, rec, 1, WARMUP_RATE, WARMUP, visitors.length);
    console.log(`${peer}: warm-up (discarded) ${warm.stats}`);
    const jvm0 = await server.ask('jvm');
    const cpu0 = cpuTicks(server.pid);
    const hb0 = rec.heartbeats;
    const m = await phase(server, rec, 2, RATE, SECONDS, visitors.length);
    const cpu1 = cpuTicks(server.pid);
    const jvm1 = await server.ask('jvm');
    r.heartbeats = rec.heartbeats - hb0;
    r.rssAfter = rss(server.pid);
    r.measured = m;
    r.cpuSeconds = (cpu1 - cpu0) / CLK_TCK;
    r.cpuMicrosPerMsg = m.delivered > 0 ? (r.cpuSeconds * 1e6) / m.delivered : NaN;
    const jit = jvmField(jvm1, 5) - jvmField(jvm0, 5); // ms of JIT compilation in the phase (JVM only)
    r.jitMicrosPerMsg = m.delivered > 0 ? (jit * 1e3) / m.delivered : NaN;
    console.log(`${peer}: target ${m.stats}; late from the warm-up ${m.lateFromEarlier}; server CPU ` +
      `${r.cpuSeconds.toFixed(2)} s over ${m.wallSeconds.toFixed(1)} s; heartbeats answered ${r.heartbeats}; ` +
      `RSS after ${mib(r.rssAfter)}${jvmDelta(jvm0, jvm1)}`);
    for (const v of visitors) v.close();
    await server.ask('quit').catch(() => {});
  } finally {
    server.kill();
  }
  return r;
}

// ------------------------------------------------------------------------------------------------ servers

function startServer(peer) {
  let cmd;
  let argv;
  if (peer === 'webchat') {
    if (!fs.existsSync(JAR)) throw new Error(`${JAR} not found: build the benchmarks module first`);
    cmd = 'java';
    argv = [...JVM, '-cp', JAR, 'dev.switchboard.bench.webchat.WebchatLoadServer'];
  } else if (peer === 'socketio') {
    cmd = process.execPath;
    argv = ['--expose-gc', path.join(__dirname, 'socketio-server.js')];
  } else {
    throw new Error(`unknown peer ${peer}: webchat or socketio`);
  }
  const child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => {
    // answers only; anything else on the server's stdout (a logger writing to the console) is passed on, not taken
    // for the answer to the pending command
    if (!/^(port|ok|heap|jvm|bye|error) /.test(line + ' ')) {
      process.stderr.write(`[${peer} stdout] ${line}\n`);
      return;
    }
    const w = waiting.shift();
    if (w) w(line);
  });
  const next = () => new Promise((resolve) => waiting.push(resolve));
  const exited = new Promise((resolve, reject) => child.once('exit', (code, signal) => reject(
    new Error(`${peer} server exited before it listened (${signal || 'exit code ' + code}): ${cmd} ${argv.join(' ')}`))));
  exited.catch(() => {}); // only the start-up race below reports it
  return Promise.race([next(), exited]).then((first) => ({
    pid: child.pid,
    command: [path.basename(cmd), ...argv].join(' '),
    port: Number(first.split(' ')[1]),
    ask: (line) => { const p = next(); child.stdin.write(line + '\n'); return p; },
    write: (text) => child.stdin.write(text),
    kill: () => { try { child.kill('SIGKILL'); } catch (e) { /* gone */ } },
  }));
}

// ------------------------------------------------------------------------------------------------ visitors

// Heartbeats run on one schedule anchored at the start of the connect storm: visitor i pings at t0 + i/N * 25 s + k * 25 s
// (its first slot after it connected), on both peers, so after the storm both see a steady N/25 heartbeats per second,
// as a site whose visitors arrived over time does, whatever each peer's connect time.
async function connectAll(peer, port, rec, t0) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  const visitors = new Array(VISITORS);
  let nextIndex = 0;
  async function worker() {
    while (nextIndex < VISITORS) {
      const i = nextIndex++;
      const slot = (i / VISITORS) * HEARTBEAT_MS;
      const firstPing = () => Math.floor(((((slot - (now() - t0) / 1e6) % HEARTBEAT_MS) + HEARTBEAT_MS) % HEARTBEAT_MS));
      visitors[i] = peer === 'webchat'
        ? await webchatVisitor(port, agent, rec, firstPing)
        : await socketioVisitor(port, i, rec, firstPing);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  return visitors;
}

// The widget's path: POST /webchat/session, then GET /webchat/ws?token=T&after=0; `ready` first; `{"type":"ping"}`
// every 25 s (the widget's setInterval), answered by a transient `pong`.
async function webchatVisitor(port, agent, rec, firstPing) {
  const session = await new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/webchat/session', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': 2 } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body))
        : reject(new Error(`session: HTTP ${res.statusCode} ${body}`))));
    });
    req.on('error', reject);
    req.end('{}');
  });
  const ws = new WebSocket(`ws://127.0.0.1:${port}/webchat/ws?token=${session.token}&after=0`,
    { perMessageDeflate: false });
  let timer = null;
  await new Promise((resolve, reject) => {
    ws.on('message', (data) => {
      const arrived = now();
      const frame = JSON.parse(data.toString());
      if (frame.type === 'message') rec.reply(frame.text, arrived);
      else if (frame.type === 'pong') rec.heartbeats++;
      else if (frame.type === 'ready') resolve();
    });
    ws.on('error', reject);
  });
  timer = setTimeout(function ping() {
    if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"ping"}');
    timer = setTimeout(ping, HEARTBEAT_MS);
  }, firstPing());
  return { target: session.sessionId, close: () => { clearTimeout(timer); ws.terminate(); } };
}

// socket.io-client over WebSocket; the server pings every 25 s (socket.io's heartbeat, the first one `hb` ms after the
// handshake), the client answers with a pong.
async function socketioVisitor(port, i, rec, firstPing) {
  const visitor = 'v' + i;
  const socket = ioClient(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false,
    forceNew: true, auth: { visitor, hb: firstPing() }, perMessageDeflate: false });
  socket.on('message', (frame) => rec.reply(frame.text, now()));
  socket.io.on('ping', () => { rec.heartbeats++; });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { target: visitor, close: () => socket.disconnect() };
}

// ------------------------------------------------------------------------------------------------ measurement

class Recorder {
  constructor() {
    this.phase = 0;
    this.latencies = [];
    this.lateFromEarlier = 0;
    this.heartbeats = 0;
  }

  reply(text, arrivedNanos) {
    if (typeof text !== 'string' || !text.startsWith('t:')) return;
    const colon = text.indexOf(':', 2);
    const phase = Number(text.substring(2, colon));
    const due = Number(text.substring(colon + 1));
    if (phase === this.phase) this.latencies.push((arrivedNanos - due) / 1e6);
    else if (phase < this.phase) this.lateFromEarlier++;
  }

  start(phase) {
    this.phase = phase;
    this.latencies = [];
    this.lateFromEarlier = 0;
  }
}

// Sends rate*seconds replies round-robin over the visitors, each at its scheduled time, then waits (at most 15 s) for
// the stragglers; replies of this phase arriving after that are counted as late in the next phase, not in either.
async function phase(server, rec, id, rate, seconds, targets) {
  rec.start(id);
  const total = rate * seconds;
  const intervalNanos = 1e9 / rate;
  const start = now();
  let i = 0;
  await new Promise((resolve) => {
    (function tick() {
      const t = now();
      let batch = '';
      while (i < total && start + i * intervalNanos <= t) {
        batch += `r ${i % targets} ${id} ${Math.round(start + i * intervalNanos)}\n`;
        i++;
      }
      if (batch) server.write(batch);
      if (i >= total) return resolve();
      setTimeout(tick, Math.max(0, (start + i * intervalNanos - now()) / 1e6));
    })();
  });
  const sentSeconds = (now() - start) / 1e9;
  const deadline = now() + 15e9;
  while (rec.latencies.length < total && now() < deadline) await sleep(10);
  const wallSeconds = (now() - start) / 1e9;
  const lat = Float64Array.from(rec.latencies).sort();
  return {
    expected: total,
    delivered: lat.length,
    lateFromEarlier: rec.lateFromEarlier,
    wallSeconds,
    sentSeconds,
    p50: pct(lat, 50), p99: pct(lat, 99), p999: pct(lat, 99.9), max: lat.length ? lat[lat.length - 1] : NaN,
    get stats() {
      return `${rate}/s: delivered ${this.delivered}/${this.expected} p50=${f2(this.p50)} p99=${f2(this.p99)} ` +
        `p99.9=${f2(this.p999)} max=${f2(this.max)} ms (paced in ${sentSeconds.toFixed(2)} s)`;
    },
  };
}

// "jvm gc N MS jit MS" before and after -> what the JVM spent on GC and JIT compilation during the phase
function jvmDelta(before, after) {
  const a = before.split(' ');
  const b = after.split(' ');
  if (a[1] !== 'gc' || b[1] !== 'gc') return '';
  return `; in the phase: ${b[2] - a[2]} GCs, ${b[3] - a[3]} ms GC, ${b[5] - a[5]} ms JIT compilation`;
}

function jvmField(line, i) {
  const f = line.split(' ');
  return f[1] === 'gc' ? Number(f[i]) : NaN;
}

function pct(sorted, p) {
  if (sorted.length === 0) return NaN;
  const idx = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
}

function rss(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.substring(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of proc(5))
}

// ------------------------------------------------------------------------------------------------ output

function printTable(results) {
  const base = results.find((r) => r.peer === 'socketio');
  const rows = [
    ['connect N visitors, s', (r) => r.connectSeconds, 1],
    ['RSS, empty server, MiB', (r) => r.rssEmpty / 1048576, 1],
    ['RSS, N idle visitors, MiB', (r) => r.rssIdle / 1048576, 1],
    ['heap after GC, N idle, MiB', (r) => r.heapIdle / 1048576, 1],
    ['RSS after the load, MiB', (r) => r.rssAfter / 1048576, 1],
    ['server CPU per delivered reply, us', (r) => r.cpuMicrosPerMsg, 1],
    ['  of which JIT compilation (JVM), us', (r) => r.jitMicrosPerMsg, 1],
    ['latency p50, ms', (r) => r.measured.p50, 2],
    ['latency p99, ms', (r) => r.measured.p99, 2],
    ['latency p99.9, ms', (r) => r.measured.p999, 2],
    ['latency max, ms', (r) => r.measured.max, 2],
    ['delivered / expected', (r) => r.measured.delivered / r.measured.expected, 3],
    ['heartbeats answered in the phase', (r) => r.heartbeats, 0],
  ];
  console.log(`\nN=${VISITORS}, ${RATE} replies/s for ${SECONDS} s after ${WARMUP} s at ${WARMUP_RATE}/s; ` +
    `load average now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const head = ['', ...results.map((r) => r.peer), ...(base ? results.filter((r) => r !== base)
    .map((r) => `${r.peer}/socketio`) : [])];
  const fmt = (x, digits, suffix = '') => (Number.isFinite(x) ? x.toFixed(digits) + suffix : 'n/a');
  const table = rows.map(([name, get, digits]) => [name, ...results.map((r) => fmt(get(r), digits)),
    ...(base ? results.filter((r) => r !== base).map((r) => fmt(get(r) / get(base), 2, 'x')) : [])]);
  const widths = head.map((_, c) => Math.max(...[head, ...table].map((row) => String(row[c]).length)));
  for (const row of [head, ...table]) {
    console.log(row.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c])))
      .join('  '));
  }
  for (const r of results) console.log(`${r.peer} server: ${r.command}`);
}

function mib(bytes) { return `${(bytes / 1048576).toFixed(1)} MiB`; }
function f2(x) { return Number.isFinite(x) ? x.toFixed(2) : 'n/a'; }
function int(v, d) { return v === undefined ? d : Number.parseInt(v, 10); }
function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) out[argv[i].slice(2)] = argv[i + 1];
    i++;
  }
  return out;
}

main().catch((e) => { console.error(e); process.exit(1); });
