// Example app: an HTTP server whose leak is objects of a named class. Each request creates a
// SessionRecord; with LEAK=1 every record is kept forever in a module-level Map (the leak), with
// LEAK=0 only the last 100 are kept (a bounded cache: memory stays flat). No dependencies.
import http from 'node:http';

const leak = (process.env.LEAK ?? '1') !== '0';
const payloadBytes = Number(process.env.PAYLOAD_BYTES ?? '2048');
const port = Number(process.env.PORT ?? '3000');
const KEEP_WHEN_CLEAN = 100;

if (!Number.isInteger(payloadBytes) || payloadBytes < 0) {
  console.error(`PAYLOAD_BYTES must be a whole number of bytes >= 0, got '${process.env.PAYLOAD_BYTES}'`);
  process.exit(2);
}

class SessionRecord {
  constructor(id, req) {
    this.id = id;
    this.url = req.url;
    this.headers = { ...req.headers };
    this.createdAt = Date.now();
    // A flat one-byte string of payloadBytes characters (String#repeat may build a rope instead).
    this.payload = Buffer.alloc(payloadBytes, 0x78).toString('latin1');
  }
}

/** Sessions by id: the container that leaks when LEAK=1. */
const sessions = new Map();
let served = 0;

const server = http.createServer((req, res) => {
  served += 1;
  if (req.url === '/healthz') {
    res.end('ok');
    return;
  }
  sessions.set(served, new SessionRecord(served, req));
  if (!leak && sessions.size > KEEP_WHEN_CLEAN) sessions.delete(sessions.keys().next().value);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ served, sessions: sessions.size }));
});

server.listen(port, '127.0.0.1', () => {
  console.log(`node-leak-objects listening on ${port} (${leak ? `leaking a SessionRecord of ~${payloadBytes} bytes per request` : 'clean: keeping the last 100 sessions'})`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
