// Example app: an HTTP server that keeps LEAK_BYTES bytes per request forever (a leak on purpose).
// LEAK_BYTES=0 makes it a clean server. CRASH_AFTER_REQUESTS=N makes it exit with status 3 after N
// requests, to show how leakgate reports an app that dies under load.
import http from 'node:http';

const leakBytes = Number(process.env.LEAK_BYTES ?? '1024');
const crashAfter = Number(process.env.CRASH_AFTER_REQUESTS ?? '0');
const port = Number(process.env.PORT ?? '3000');
const retained = [];
let served = 0;

const server = http.createServer((req, res) => {
  served += 1;
  if (req.url === '/healthz') {
    res.end('ok');
    return;
  }
  // Filled, not just allocated: untouched pages would not count as resident memory.
  if (leakBytes > 0) retained.push(Buffer.alloc(leakBytes, 0x61));
  if (crashAfter > 0 && served >= crashAfter) {
    console.error(`crashing on purpose after ${served} requests`);
    process.exit(3);
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ served, retained: retained.length }));
});

server.listen(port, '127.0.0.1', () => {
  console.log(`node-leak listening on http://127.0.0.1:${port} (leaking ${leakBytes} bytes per request)`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
