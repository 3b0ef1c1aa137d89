// Entry point of the `leakgate` command.
import { main } from './main.js';

// Ctrl-C or a cancelled CI job: exit through process.exit so the targets' exit hooks kill the app's
// process group instead of leaving it running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
}
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
// Exit explicitly: a load library's timers must not keep a finished CLI alive.
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
