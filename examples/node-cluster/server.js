// Example app: a node:cluster server whose primary forks WORKERS workers (default 3) and hands
// connections to them round-robin; only worker number LEAK_WORKER (1-based, default 2) keeps
// LEAK_BYTES bytes per request (default 1024). The tree's memory grows in one worker only: leakgate
// names that worker's pid. Each worker prints "worker N pid P leaking|clean" when it listens. /healthz answers
// 503 until every worker listens: round-robin hands connections only to workers already listening, so a load that
// opened its keep-alive connections earlier would never reach a worker that started late (the leaking one, say).
import cluster from 'node:cluster';
import http from 'node:http';

const workers = Number(process.env.WORKERS ?? '3');
const leakWorker = Number(process.env.LEAK_WORKER ?? '2');
const leakBytes = Number(process.env.LEAK_BYTES ?? '1024');
const port = Number(process.env.PORT ?? '3000');

if (cluster.isPrimary) {
  // Round-robin is the default on Linux; set it anyway so the example behaves the same everywhere.
  cluster.schedulingPolicy = cluster.SCHED_RR;
  let shuttingDown = false;
  let listening = 0;
  for (let n = 1; n <= workers; n++) {
    const worker = cluster.fork({ WORKER_NUMBER: String(n) });
    worker.on('listening', () => {
      if (++listening < workers) return;
      for (const w of Object.values(cluster.workers ?? {})) w?.send('all-listening');
      console.log(`primary pid ${process.pid}: ${workers} workers on http://127.0.0.1:${port}`);
    });
  }
  // A worker that dies takes the example down: a leak detector must not watch a silently restarted app.
  cluster.on('exit', (worker, code, signal) => {
    if (shuttingDown) return;
    console.error(`worker pid ${worker.process.pid} exited (${signal ?? code}); stopping`);
    process.exit(1);
  });
  process.on('SIGTERM', () => {
    shuttingDown = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const number = Number(process.env.WORKER_NUMBER);
  const leaking = number === leakWorker && leakBytes > 0;
  const retained = [];
  let served = 0;
  let allListening = false;
  process.on('message', (m) => {
    if (m === 'all-listening') allListening = true;
  });
  const server = http.createServer((req, res) => {
    served += 1;
    if (req.url === '/healthz') {
      res.statusCode = allListening ? 200 : 503;
      res.end(allListening ? 'ok' : 'starting');
      return;
    }
    // Filled, not just allocated: untouched pages would not count as resident memory.
    if (leaking) retained.push(Buffer.alloc(leakBytes, 0x61));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ worker: number, pid: process.pid, served }));
  });
  server.listen(port, '127.0.0.1', () => {
    console.log(`worker ${number} pid ${process.pid} ${leaking ? 'leaking' : 'clean'}`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
