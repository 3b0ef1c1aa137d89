// The keeper: a tiny detached Node process that ends the app's process tree if leakgate dies without
// stopping it (SIGKILL, the OOM killer, a hard job timeout), where no exit handler of leakgate's runs.
// It holds the read end of a pipe whose write end only leakgate holds: the kernel closes that end when
// leakgate dies however it dies, the keeper reads EOF, and sends SIGTERM to the app's process group and
// to the processes carrying the run's marker, then SIGKILL after the grace. When leakgate stops the app
// itself it writes '.' first: the keeper then exits without touching anything. (Linux's
// PR_SET_PDEATHSIG would do this for one process, but Node cannot call prctl without native code, and
// it would not cover the app's children.)
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { MARKER_ENV } from './marked-processes.js';

/** Written to the keeper's stdin when leakgate stops the app itself: the keeper exits and kills nothing. */
const STAND_DOWN = '.';

// Plain JavaScript run with `node -e`: no imports from the bundle, so it works from dist/ as from src/.
// argv: pgid, marker entry (LEAKGATE_RUN_ID=...), grace ms. Zombies are skipped: they cannot be signalled.
const KEEPER_SOURCE = `
const fs = require('fs');
const [pgid, entry, grace] = [Number(process.argv[1]), process.argv[2], Number(process.argv[3])];
for (const s of ['SIGINT', 'SIGHUP', 'SIGPIPE']) process.on(s, () => {});
const live = () => {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = fs.readFileSync('/proc/' + name + '/stat', 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z' || rest[0] === 'X') continue;
      if (Number(rest[2]) === pgid) { out.push(Number(name)); continue; }
      const env = fs.readFileSync('/proc/' + name + '/environ', 'latin1').split('\\0');
      if (env.includes(entry)) out.push(Number(name));
    } catch {}
  }
  return out;
};
const send = (sig) => {
  try { process.kill(-pgid, sig); } catch {}
  for (const pid of live()) { try { process.kill(pid, sig); } catch {} }
};
let standDown = false;
process.stdin.on('data', (d) => { if (d.includes(${JSON.stringify(STAND_DOWN)})) standDown = true; });
process.stdin.on('error', () => {});
process.stdin.on('close', () => {
  if (standDown) process.exit(0);
  send('SIGTERM');
  const end = Date.now() + grace;
  const tick = () => {
    if (live().length === 0) process.exit(0);
    if (Date.now() >= end) { send('SIGKILL'); setTimeout(() => { send('SIGKILL'); process.exit(0); }, 200); return; }
    setTimeout(tick, 50);
  };
  tick();
});
`;

export interface Keeper {
  readonly pid: number | undefined;
  /** leakgate stops the app itself: the keeper exits and kills nothing. */
  standDown(): void;
}

/** Starts the keeper of process group `pgid` and the processes marked `marker`. Never throws: without a keeper, the exit handler still covers ordinary exits. */
export function startKeeper(pgid: number, marker: string, graceMs: number, logger: Logger): Keeper {
  let child: ChildProcess;
  try {
    // Its own session (detached): Ctrl-C in a terminal signals leakgate's group, not the keeper. No marker
    // in its environment, so teardown never takes it for part of the app.
    child = spawn(process.execPath, ['-e', KEEPER_SOURCE, String(pgid), `${MARKER_ENV}=${marker}`, String(Math.max(0, Math.round(graceMs)))], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
  } catch (err) {
    logger.warn(`could not start the keeper that ends the app if leakgate is killed: ${errorMessage(err)}`);
    return { pid: undefined, standDown: () => {} };
  }
  child.on('error', (err) => logger.debug(`keeper: ${errorMessage(err)}`));
  const stdin = child.stdin as Socket | null;
  stdin?.on('error', () => {});
  // Neither the keeper nor its pipe may keep leakgate's event loop alive.
  child.unref();
  stdin?.unref();
  let done = false;
  return {
    pid: child.pid,
    standDown: () => {
      if (done) return;
      done = true;
      stdin?.end(STAND_DOWN);
    },
  };
}
