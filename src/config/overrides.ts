// The common settings that CLI flags and Action inputs share, by one name each, and where each lands
// in the config file's shape. Both entry points build overrides here, so `--duration 10` and the
// input `duration: 10` mean the same and fail with the same message.
import { ConfigError } from '../core/errors.js';
import type { SourceLabels } from './config.js';
import { splitCommandLine } from '../process/split-command-line.js';

export const OVERRIDE_FIELDS = {
  name: ['name'],
  command: ['app', 'command'],
  shell: ['app', 'shell'],
  cwd: ['app', 'cwd'],
  'ready-url': ['app', 'ready', 'url'],
  'ready-port': ['app', 'ready', 'port'],
  'ready-log': ['app', 'ready', 'log'],
  'ready-timeout': ['app', 'ready', 'timeout'],
  url: ['load', 'url'],
  duration: ['load', 'duration'],
  amount: ['load', 'amount'],
  connections: ['load', 'connections'],
  interval: ['sample', 'interval'],
  metric: ['analysis', 'metric'],
  warmup: ['analysis', 'warmup'],
  trials: ['trials'],
  'confirm-trials': ['confirm-trials'],
  'memory-limit': ['memory-limit'],
  baseline: ['baseline', 'reports'],
  'baseline-store': ['baseline', 'store'],
  'baseline-branch': ['baseline', 'branch'],
  'base-branch': ['baseline', 'base-branch'],
  'save-baseline': ['baseline', 'save'],
  comment: ['comment'],
  native: ['native', 'tool'],
  runtime: ['runtime', 'kind'],
  'cgroup-limit': ['cgroup', 'limit'],
  'fail-on': ['fail-on'],
  report: ['report'],
} as const;

export type OverrideName = keyof typeof OVERRIDE_FIELDS;
/** The settings that each choose how readiness is checked; one given as an override replaces the file's. */
const READY_CHOICES: readonly OverrideName[] = ['ready-url', 'ready-port', 'ready-log'];
export const OVERRIDE_NAMES = Object.keys(OVERRIDE_FIELDS) as OverrideName[];

export interface Overrides {
  overrides: Record<string, unknown>;
  labels: SourceLabels;
}

/**
 * Turns `{ duration: '10s', command: 'node server.js' }` into the file-shaped overrides. Empty
 * strings mean "not given". `label(name)` says how the user spelled it ("flag --duration").
 * A command given as one string is split into arguments like a shell would split words, without
 * running a shell (unless shell is true, when it stays one string for /bin/sh -c).
 */
export function buildOverrides(
  values: Partial<Record<OverrideName, string>>,
  label: (name: OverrideName) => string,
  env: Record<string, string> = {},
): Overrides {
  const overrides: Record<string, unknown> = {};
  const labels: SourceLabels = {};
  const shell = values.shell === 'true';
  for (const name of OVERRIDE_NAMES) {
    const raw = values[name];
    if (raw === undefined || raw === '') continue;
    const path = OVERRIDE_FIELDS[name];
    let value: unknown = raw;
    if (name === 'command' && !shell) {
      try {
        value = splitCommandLine(raw);
      } catch (e) {
        throw new ConfigError(`${label(name)} ${(e as Error).message}, got '${raw}'`);
      }
    }
    setPath(overrides, path, value);
    labels[path.join('.')] = label(name);
  }
  // A readiness check given here replaces the file's, instead of clashing with it ("must set only one of url, port
  // or log"): the others are blanked, which the config treats as unset. Two given here still clash.
  const readyChoices = READY_CHOICES.filter((n) => values[n] !== undefined && values[n] !== '');
  if (readyChoices.length > 0) {
    for (const n of READY_CHOICES) if (!readyChoices.includes(n)) setPath(overrides, OVERRIDE_FIELDS[n], '');
  }
  if (Object.keys(env).length > 0) {
    setPath(overrides, ['app', 'env'], env);
  }
  return { overrides, labels };
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}
