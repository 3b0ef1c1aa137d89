// Ctrl-C or a cancelled CI job (SIGINT, SIGTERM): the first signal aborts the run, which stops the load,
// tears the app down and writes the report with what was measured (verdict 'interrupted'). If that takes
// longer than FORCE_AFTER_MS, or a second signal comes, leakgate exits at once through process.exit, whose
// handlers (and the keeper, if even they cannot run) still end the app's process group.
import { Interrupted } from '../pipeline/interrupt.js';
import { EXIT_INTERRUPTED } from './exit-code.js';

/** How long an interrupted run may take to tear down and write its report before leakgate exits anyway. */
export const FORCE_AFTER_MS = 30_000;

export function onInterrupt(exit: (code: number) => void, forceAfterMs = FORCE_AFTER_MS): { signal: AbortSignal } {
  const controller = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      const code = EXIT_INTERRUPTED[sig] ?? 143;
      if (controller.signal.aborted) return exit(code);
      process.stderr.write(`\nleakgate: ${sig}: stopping the load and the app, writing the report (again to exit at once)\n`);
      controller.abort(new Interrupted(sig));
      setTimeout(() => exit(code), forceAfterMs).unref();
    });
  }
  return { signal: controller.signal };
}
