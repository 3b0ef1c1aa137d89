// A realistic Node service: an Express app whose handlers do real per-request work (parse the query and a JSON
// body, filter and transform a catalogue, serialise a few KB of JSON), at 4-10k req/s on one core. It can keep
// memory per request, as real leaks do:
//   LEAK_BYTES=N         keeps N bytes per request in the V8 heap (N rounded to 8), exactly: request figures
//                        appended to an in-memory log that is never trimmed (8 bytes a figure)
//   LEAK_SESSIONS=1      keeps a session-like entry per request in a module-level Map (~190 bytes with its
//                        key, object and strings), as an in-memory session store does
//   LEAK_BUFFER_BYTES=N  keeps a Buffer of N bytes per request (memory outside the V8 heap, counted as external)
// All unset: clean. PORT (default 3920).
import express from 'express';

const port = Number(process.env.PORT ?? 3920);
const leakBytes = Number(process.env.LEAK_BYTES ?? 0);
const leakBufferBytes = Number(process.env.LEAK_BUFFER_BYTES ?? 0);
const leakSessions = process.env.LEAK_SESSIONS === '1';

// A catalogue the handlers work on, built once.
const categories = ['books', 'games', 'garden', 'kitchen', 'music', 'outdoor', 'toys', 'tools'];
const catalogue = Array.from({ length: 400 }, (_, i) => ({
  id: i + 1,
  name: `item-${(i * 7919) % 1000}`,
  category: categories[i % categories.length],
  price: Math.round(((i * 37) % 500) + 0.99 * 100) / 100,
  stock: (i * 13) % 40,
  tags: [`t${i % 5}`, `t${i % 11}`],
}));

// What leaks: entries that are never removed, as an in-memory log, session store or unbounded cache keeps them.
const sessions = new Map();
const buffers = [];
let served = 0;

// The log: fixed chunks of 1024 slots (8 KiB each, allocated when the previous one is full), so the heap after GC
// grows by exactly 8 bytes per figure kept, in steps of 8 KiB.
const CHUNK = 1024;
const log = [];
let chunk = [];
let used = CHUNK;

/** Keeps `bytes` bytes (rounded down to 8) in the V8 heap: small integers in the log's chunks. */
function keep(bytes) {
  for (let i = 0; i < bytes / 8; i++) {
    if (used === CHUNK) {
      chunk = new Array(CHUNK).fill(0);
      log.push(chunk);
      used = 0;
    }
    chunk[used++] = served & 0x3fffffff;
  }
}

/** A session-like entry: its key, a small object and a short string. */
function keepSession() {
  sessions.set(`s${served}`, { at: served, user: `user-${served % 997}`, cart: [served % 13] });
}

function leak() {
  if (leakBytes > 0) keep(leakBytes);
  if (leakSessions) keepSession();
  if (leakBufferBytes > 0) buffers.push(Buffer.alloc(leakBufferBytes, served & 0xff));
}

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '64kb' }));

app.get('/healthz', (_req, res) => res.type('text').send('ok'));

// The default endpoint: filter, sort, page and serialise part of the catalogue.
app.get('/', (req, res) => {
  served++;
  const category = typeof req.query.category === 'string' ? req.query.category : categories[served % categories.length];
  const maxPrice = Number(req.query.max ?? 400);
  const items = catalogue
    .filter((p) => p.category === category && p.price <= maxPrice)
    .map((p) => ({ ...p, label: `${p.name} (${p.category})`, inStock: p.stock > 0, priceCents: Math.round(p.price * 100) }))
    .sort((a, b) => a.priceCents - b.priceCents || a.id - b.id)
    .slice(0, 25);
  const body = { category, count: items.length, total: items.reduce((n, p) => n + p.priceCents, 0), items, served };
  leak();
  res.json(body);
});

// A write endpoint: parse a JSON order, validate, price it, answer.
app.post('/orders', (req, res) => {
  served++;
  const lines = Array.isArray(req.body?.lines) ? req.body.lines : [];
  const priced = lines
    .map((l) => ({ item: catalogue[(Number(l.id) - 1) % catalogue.length], qty: Math.max(1, Number(l.qty) || 1) }))
    .filter((l) => l.item)
    .map((l) => ({ id: l.item.id, qty: l.qty, cents: Math.round(l.item.price * 100) * l.qty }));
  leak();
  res.status(201).json({ lines: priced, total: priced.reduce((n, l) => n + l.cents, 0) });
});

const server = app.listen(port, '127.0.0.1', () => console.log(`express-app listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
