// The one logging interface core modules take, so the CLI (stderr) and the Action (@actions/core)
// can each supply their own without the core importing either.
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };
