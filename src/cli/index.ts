// Entry point of the `leakgate` command.
import { main } from './main.js';
import { onInterrupt } from '../pipeline/interrupt-signals.js';
import { EXIT_INTERRUPTED } from './exit-code.js';

// Ctrl-C or a cancelled CI job: the run stops and writes its report (verdict interrupted), then exits 130/143.
const interrupt = onInterrupt((signal) => process.exit(EXIT_INTERRUPTED[signal] ?? 143));
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, signal: interrupt.signal });
// Exit explicitly: a load library's timers must not keep a finished CLI alive.
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
