// A small app that exposes its process memory for Prometheus through prom-client's default metrics
// (process_resident_memory_bytes, nodejs_heap_size_used_bytes, ...). With LEAK_BYTES_PER_SECOND it
// keeps that many bytes a second, written (so the pages are resident), on a 100 ms timer: a leak at a
// known rate. Listens on 127.0.0.1:PORT and prints "listening" once it does.
import { createServer } from 'node:http';
import client from 'prom-client';

const port = Number(process.env.PORT ?? 0);
const rate = Number(process.env.LEAK_BYTES_PER_SECOND ?? 0);
client.collectDefaultMetrics();

// Started with --expose-gc, it collects every 500 ms, so the young generation's fill-and-collect cycle (~1 MiB of
// RSS over ~10 s at a scrape a second) does not ride on the series: the clean app is flat, the leak is the leak.
if (typeof globalThis.gc === 'function') setInterval(() => globalThis.gc(), 500);

const kept = [];
if (rate > 0) {
  const tickMs = 100;
  setInterval(() => kept.push(Buffer.alloc(Math.round((rate * tickMs) / 1000), 0x5a)), tickMs);
}

const server = createServer(async (req, res) => {
  if (req.url === '/metrics') {
    res.setHeader('content-type', client.register.contentType);
    res.end(await client.register.metrics());
    return;
  }
  res.end('ok\n');
});
server.listen(port, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
