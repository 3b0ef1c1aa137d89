// Example app: an HTTP server that keeps CONN_LEAK_BYTES bytes for every new TCP connection and nothing per request
// (per-connection state never released: a socket listener, a per-connection cache). A keep-alive load that keeps its
// connections for the whole run never sees it; connection churn (load.reconnect-every, on by default) does.
// CONN_LEAK_BYTES=0 makes it a clean server.
import http from 'node:http';

const leakBytes = Number(process.env.CONN_LEAK_BYTES ?? '16384');
const port = Number(process.env.PORT ?? '3000');
const retained = [];
let connections = 0;

const server = http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ connections }));
});

server.on('connection', () => {
  connections += 1;
  // Filled, not just allocated: untouched pages would not count as resident memory.
  if (leakBytes > 0) retained.push(Buffer.alloc(leakBytes, 0x61));
});

server.listen(port, '127.0.0.1', () => {
  console.log(`node-conn-leak listening on http://127.0.0.1:${port} (keeping ${leakBytes} bytes per connection)`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
