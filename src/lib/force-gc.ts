// Forcing a full garbage collection in the current process, so a sample point reads live memory only:
// `global.gc` when the process runs with --expose-gc, else the inspector on the current thread
// (HeapProfiler.collectGarbage), which needs no flag and so works inside any test runner's worker.
import { Session } from 'node:inspector';

export type GcMethod = 'expose-gc' | 'inspector';

export interface ForceGc {
  method: GcMethod;
  collect: () => Promise<void>;
  close: () => void;
}

export function openForceGc(): ForceGc {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') return { method: 'expose-gc', collect: async () => gc(), close: () => {} };
  const session = new Session();
  session.connect();
  const collect = (): Promise<void> =>
    new Promise((resolve, reject) => {
      session.post('HeapProfiler.collectGarbage', (err) => (err ? reject(err) : resolve()));
    });
  return { method: 'inspector', collect, close: () => session.disconnect() };
}
