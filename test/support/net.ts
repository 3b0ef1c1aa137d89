// A free loopback port for a test or benchmark server, below the kernel's ephemeral range.
//
// Listening on port 0 and handing that port on is racy: once closed, the kernel may give the same port to the next
// bind(0) or outgoing connection before the server under test binds it. CI saw it: the app's Node inspector
// (--inspect=127.0.0.1:0) took the port the test had just chosen for the app, which then failed to listen. Ports
// below ip_local_port_range are never handed out that way, so one that is free now stays free for the test.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 10_000;

/** The first port of the kernel's ephemeral range (32768 when it cannot be read). */
function ephemeralStart(): number {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > LOWEST + 1000 ? first : 32_768;
  } catch {
    return 32_768;
  }
}

function tryListen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

export async function freePort(): Promise<number> {
  const top = ephemeralStart();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (top - LOWEST));
    if (await tryListen(port)) return port;
  }
  throw new Error(`no free loopback port between ${LOWEST} and ${top - 1} after 200 tries`);
}
