// Ctrl-C or a cancelled CI job (SIGINT, SIGTERM), for the entry points: the first signal aborts the run,
// which stops the load, tears the app down and writes the report with what was measured (verdict
// 'interrupted'). If that takes longer than FORCE_AFTER_MS, or a second signal comes, `exit` is called at
// once: process.exit's handlers (and the keeper, if even they cannot run) still end the app's process group.
import { Interrupted } from './interrupt.js';

/** How long an interrupted run may take to tear down and write its report before leakgate exits anyway. */
export const FORCE_AFTER_MS = 30_000;

export function onInterrupt(exit: (signal: NodeJS.Signals) => void, forceAfterMs = FORCE_AFTER_MS): { signal: AbortSignal } {
  const controller = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (controller.signal.aborted) return exit(sig);
      process.stderr.write(`\nleakgate: ${sig}: stopping the load and the app, writing the report (again to exit at once)\n`);
      controller.abort(new Interrupted(sig));
      setTimeout(() => exit(sig), forceAfterMs).unref();
    });
  }
  return { signal: controller.signal };
}
