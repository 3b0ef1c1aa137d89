// Entry point of the GitHub Action.
import { run } from './main.js';

// A cancelled workflow signals the step: exit through process.exit so the app's process group is
// killed by the targets' exit hooks.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(1));
}
await run();
// The load library's timers must not keep a finished step alive.
process.exit();
