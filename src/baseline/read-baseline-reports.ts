// Reads baseline reports (JSON reports of earlier runs on the base branch). A missing file is "no
// baseline yet", which never fails a gate; a file that is not a leakgate report of a schema we read
// is an error that names the file and what is wrong. Files are only read, never written.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, errorMessage } from '../core/errors.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../core/types.js';

export interface BaselineReports {
  reports: Report[];
  /** One line for the report and the summary. */
  note: string | null;
}

export function readBaselineReports(paths: readonly string[], cwd: string): BaselineReports {
  if (paths.length === 0) return { reports: [], note: null };
  const reports: Report[] = [];
  const missing: string[] = [];
  for (const path of paths) {
    const full = resolve(cwd, path);
    if (!existsSync(full)) {
      missing.push(path);
      continue;
    }
    reports.push(parseBaselineReport(readFileSync(full, 'utf8'), path));
  }
  if (reports.length === 0) {
    return { reports, note: `no baseline yet: ${missing.join(', ')} does not exist; this run's report can become it` };
  }
  const note = `compared with ${reports.length} baseline report(s): ${paths.filter((p) => !missing.includes(p)).join(', ')}` + (missing.length ? ` (missing: ${missing.join(', ')})` : '');
  return { reports, note };
}

/** Validates the shape this version needs; pure, so it is tested on strings. */
export function parseBaselineReport(text: string, label: string, kind = 'baseline report'): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${kind} '${label}' is not valid JSON (${errorMessage(e)}); it was left untouched`);
  }
  const r = data as Partial<Report> | null;
  if (typeof r !== 'object' || r === null || r.tool?.name !== 'leakgate') {
    throw new ConfigError(`${kind} '${label}' is not a leakgate report (no tool.name 'leakgate'); it was left untouched`);
  }
  if (r.schemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new ConfigError(
      `${kind} '${label}' has schema version ${JSON.stringify(r.schemaVersion)}, this leakgate (schema ${REPORT_SCHEMA_VERSION}) cannot compare with it; re-run the baseline with this version`,
    );
  }
  if (!Array.isArray(r.trials) || r.trials.some((t) => typeof t?.analysis?.bytesPerRequest !== 'number' || !Array.isArray(t.samples))) {
    throw new ConfigError(`${kind} '${label}' is truncated or corrupt: its trials lack analyses or samples; it was left untouched`);
  }
  return r as Report;
}
