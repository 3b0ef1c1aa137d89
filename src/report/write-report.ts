// Writes the JSON report: the single source every other output is rendered from.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Report } from '../core/types.js';

/** Writes atomically (temp file, then rename), so a reader never sees half a report. */
export function writeReport(path: string, report: Report): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(report, null, 1) + '\n');
  renameSync(tmp, path);
}
