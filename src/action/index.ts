// Entry point of the GitHub Action.
import { run } from './main.js';
import { onInterrupt } from '../pipeline/interrupt-signals.js';

// A cancelled workflow signals the step (SIGINT, then SIGTERM 7.5 s later): the first stops the run, which
// tears the app down and writes its report (verdict interrupted); the second exits at once, through
// process.exit so the targets' exit hooks kill the app's process group.
const interrupt = onInterrupt(() => process.exit(1));
await run(interrupt.signal);
// The load library's timers must not keep a finished step alive.
process.exit();
