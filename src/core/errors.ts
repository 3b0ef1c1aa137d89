// Error kinds that decide the exit status: a ConfigError or a MeasureError means leakgate could not
// give a verdict (exit 2); anything else thrown is a bug and is reported as such.

/** Invalid configuration: names the field, the value and what would be valid. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The app could not be measured: it never became ready, crashed, or the load failed. */
export class MeasureError extends Error {
  override name = 'MeasureError';
}

/** Message of any thrown value, Error or not. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
