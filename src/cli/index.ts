// Entry point of the `leakgate` command.
import { main } from './main.js';
import { onInterrupt } from './interrupt-signals.js';

const interrupt = onInterrupt((code) => process.exit(code));
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, signal: interrupt.signal });
// Exit explicitly: a load library's timers must not keep a finished CLI alive.
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
