// Writes the JSON report, the single source every other output is rendered from, and the HTML report rendered from it.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Report } from '../core/types.js';
import { renderHtmlReport } from './html.js';

/** Writes atomically (temp file, then rename), so a reader never sees half a report. */
export function writeReport(path: string, report: Report): void {
  writeAtomically(path, JSON.stringify(report, null, 1) + '\n');
}

/** The self-contained HTML report (html.ts) of a report, written atomically like the JSON. */
export function writeHtmlReport(path: string, report: Report): void {
  writeAtomically(path, renderHtmlReport(report));
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
