'use strict';
// The socket.io 4 peer of the website chat in the webchat-vs-socket.io benchmark: the minimal server a user would write
// for the same job. Each visitor connects with `auth: {visitor, hb}`, joins a room named after itself (a visitor's tabs
// share it, as a website chat session's streams do) and receives agent replies as `message` events.
// It answers the same line protocol on stdin as the website chat's WebchatLoadServer, one line on stdout each:
//   targets FILE          the visitor ids replies go to, one a line        -> ok N
//   heap                  heap in use after GC, connected sockets          -> heap BYTES streams N
//   jvm                   (the website chat's GC and JIT counters)         -> jvm n/a
//   r INDEX PHASE DUE     send one agent reply now (paced by the client)   -> (no answer)
//   quit                                                                   -> bye
// Run with --expose-gc so `heap` measures live objects.
const http = require('http');
const fs = require('fs');
const readline = require('readline');
const { Server } = require('socket.io');

const httpServer = http.createServer();
// socket.io's defaults except the transport: the visitors open a WebSocket straight away (as the website chat's widget
// does), so both peers carry the same frames over the same transport. pingInterval 25 s is socket.io's default
// heartbeat and the widget's ping period.
const io = new Server(httpServer, { transports: ['websocket'], serveClient: false, pingInterval: 25000 });

io.on('connection', (socket) => {
  const { visitor, hb } = socket.handshake.auth || {};
  socket.join(String(visitor));
  const offset = Number(hb);
  if (Number.isFinite(offset) && offset >= 0) {
    rephaseHeartbeat(socket.conn, offset);
  }
});

// socket.io starts each socket's heartbeat timer at its handshake, so visitors opened in one connection storm would
// all be pinged within the same few seconds every 25 s. Visitors of a real site arrive over time and are pinged evenly;
// the load generator gives both peers the same per-visitor phase (`hb`, ms) and this moves the first ping there. The
// interval, frames and timeout handling after it are socket.io's own (engine.io 6: schedulePing/resetPingTimeout).
function rephaseHeartbeat(conn, offsetMs) {
  clearTimeout(conn.pingIntervalTimer);
  conn.pingIntervalTimer = setTimeout(() => {
    if (conn.readyState !== 'open') return;
    conn.hasRefreshedPingTimeout = false;
    conn.sendPacket('ping');
    conn.resetPingTimeout();
    conn.schedulePing();
  }, offsetMs);
}

let targets = [];
let replyId = 0;
const out = (line) => process.stdout.write(line + '\n');

httpServer.listen(0, '127.0.0.1', () => {
  out('port ' + httpServer.address().port);
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    const cmd = line.trim().split(' ');
    switch (cmd[0]) {
      case 'r': {
        const visitor = targets[Number(cmd[1])];
        io.to(visitor).emit('message', {
          type: 'message', from: 'agent', id: 'r' + (++replyId), text: 't:' + cmd[2] + ':' + cmd[3], at: Date.now(),
        });
        break;
      }
      case 'targets':
        targets = fs.readFileSync(cmd[1], 'utf8').split('\n').filter((s) => s.length > 0);
        out('ok ' + targets.length);
        break;
      case 'heap': {
        for (let i = 0; i < 4; i++) global.gc();
        out('heap ' + process.memoryUsage().heapUsed + ' streams ' + io.engine.clientsCount);
        break;
      }
      case 'jvm':
        out('jvm n/a');
        break;
      case 'quit':
        io.close(() => { out('bye'); process.exit(0); });
        setTimeout(() => { out('bye'); process.exit(0); }, 2000).unref();
        break;
      default:
        out('error unknown command ' + cmd[0]);
    }
  });
  rl.on('close', () => process.exit(0));
});
