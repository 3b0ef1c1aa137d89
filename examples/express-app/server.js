// A realistic Node service: an Express app whose handlers do real per-request work (parse the query and a JSON
// body, filter and transform a catalogue, serialise a few KB of JSON), at 4-10k req/s on one core. It can keep
// memory per request, as real leaks do:
//   LEAK_BYTES=N         keeps about N bytes per request in JS objects (a session-like entry in a module-level Map)
//   LEAK_BUFFER_BYTES=N  keeps a Buffer of N bytes per request (memory outside the V8 heap, counted as external)
// Both 0 (the default): clean. PORT (default 3920).
import express from 'express';

const port = Number(process.env.PORT ?? 3920);
const leakBytes = Number(process.env.LEAK_BYTES ?? 0);
const leakBufferBytes = Number(process.env.LEAK_BUFFER_BYTES ?? 0);

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

// What leaks: entries that are never removed, as an in-memory session store or an unbounded cache keeps them.
const sessions = new Map();
const buffers = [];
let served = 0;

/**
 * Keeps about `bytes` bytes in the V8 heap: a Map entry (key string, value object) whose string payload makes up
 * the rest. A Map entry with a small object costs ~80 bytes in V8 (entry slots, key and value objects), so below
 * that the entry alone is kept, with a shared empty payload.
 */
function keep(bytes) {
  const id = `s${served}`;
  const payload = bytes > 96 ? 'x'.repeat(bytes - 96) + served : '';
  sessions.set(id, { at: served, payload });
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
  if (leakBytes > 0) keep(leakBytes);
  if (leakBufferBytes > 0) buffers.push(Buffer.alloc(leakBufferBytes, served & 0xff));
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
  if (leakBytes > 0) keep(leakBytes);
  if (leakBufferBytes > 0) buffers.push(Buffer.alloc(leakBufferBytes, served & 0xff));
  res.status(201).json({ lines: priced, total: priced.reduce((n, l) => n + l.cents, 0) });
});

const server = app.listen(port, '127.0.0.1', () => console.log(`express-app listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
