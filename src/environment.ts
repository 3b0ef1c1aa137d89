// Reads what machine and runtime a run happened on, for the report (a baseline from another
// machine is not comparable, and the report should say so).
import os from 'node:os';
import type { Environment } from './types.js';

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()}`,
    kernel: os.release(),
    arch: os.arch(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    runner: env.RUNNER_NAME ? `${env.RUNNER_OS ?? ''} ${env.RUNNER_NAME}`.trim() : null,
  };
}
