// A preload for the app's node processes under runtime: node. node:cluster gives each worker the primary's inspector
// port plus its number, so with the primary's inspector on a port the kernel picked, a worker's port is often held
// by another socket (an ephemeral port of any connection on the machine), and that worker runs without an inspector:
// its heap would be missing from the summed reading. The preload sets the cluster's inspectPort to 0 before the app
// forks, so every worker's inspector also takes a port the kernel picks. An app that sets inspectPort keeps its own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PRELOAD = `'use strict';
// Written by leakgate (runtime: node): cluster workers open their inspectors on ports the kernel picks.
try {
  const cluster = require('node:cluster');
  if (cluster.isPrimary && !('inspectPort' in cluster.settings)) cluster.settings.inspectPort = 0;
} catch {
  // an app without node:cluster, or a runtime that refuses: nothing to do
}
`;

let written: string | null = null;

/** The preload's path: written once per leakgate process into its own temp directory, removed at exit. */
export function clusterPreloadPath(): string {
  if (written !== null) return written;
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-preload-'));
  const path = join(dir, 'cluster-inspect-port.cjs');
  writeFileSync(path, PRELOAD);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  written = path;
  return path;
}

/** NODE_OPTIONS with the preload required (quoted when its path has whitespace, as NODE_OPTIONS parses quotes). */
export function withClusterPreload(nodeOptions: string, path: string = clusterPreloadPath()): string {
  const arg = /\s/.test(path) ? `--require "${path}"` : `--require=${path}`;
  return nodeOptions.trim() === '' ? arg : `${nodeOptions} ${arg}`;
}
