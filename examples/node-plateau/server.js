// Example app that does not leak: it fills a bounded cache (CACHE_ENTRIES entries of ENTRY_BYTES)
// during warm-up, then replaces entries in place, so memory plateaus. A naive "end > start" gate
// calls this a leak; leakgate should not.
import http from 'node:http';

const entries = Number(process.env.CACHE_ENTRIES ?? '50000');
const entryBytes = Number(process.env.ENTRY_BYTES ?? '256');
const port = Number(process.env.PORT ?? '3000');
const cache = new Map();
let served = 0;

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.end('ok');
    return;
  }
  served += 1;
  const key = served % entries;
  cache.set(key, Buffer.alloc(entryBytes, key & 0xff));
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ served, cached: cache.size }));
});

server.listen(port, '127.0.0.1', () => {
  console.log(`node-plateau listening on http://127.0.0.1:${port} (cache of ${entries} x ${entryBytes} bytes)`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
