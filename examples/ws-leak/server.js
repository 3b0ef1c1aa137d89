// Example app: a WebSocket echo server that keeps SESSION_BYTES of state per session (a JS array in a map)
// and, with LEAK=1 (the default), forgets to delete it when the session closes: memory grows per session, not per
// message. LEAK=0 deletes the state on close: a clean server. GET /healthz answers 'ok' for readiness.
import http from 'node:http';
import { WebSocketServer } from 'ws';

const leak = process.env.LEAK !== '0';
const sessionBytes = Number(process.env.SESSION_BYTES ?? '4096');
const port = Number(process.env.PORT ?? '3000');
const sessions = new Map();
let nextId = 0;

const server = http.createServer((req, res) => {
  res.end(req.url === '/healthz' ? 'ok' : 'websocket endpoint: ws://host/ws\n');
});
const wss = new WebSocketServer({ server, path: '/ws' });

wss.on('connection', (ws) => {
  const id = nextId++;
  // A JS array of small integers (8 bytes a slot): on the V8 heap, like most per-session state in a Node app.
  sessions.set(id, { state: new Array(Math.ceil(sessionBytes / 8)).fill(id & 0xffff), messages: 0 });
  ws.on('message', (data) => {
    const s = sessions.get(id);
    if (s) s.messages += 1;
    ws.send(data);
  });
  ws.on('close', () => {
    if (!leak) sessions.delete(id);
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`ws-leak listening on ws://127.0.0.1:${port}/ws (${leak ? 'keeping' : 'freeing'} ${sessionBytes} bytes per session)`);
});
process.on('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  server.close(() => process.exit(0));
});
