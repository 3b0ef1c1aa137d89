// The probes a config asks for, in the order the gate runs them. Wrappers compose: the native tool wraps the
// app's command first, the cgroup wrapper goes outside it, so the tool and the app both run in the cgroup.
import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { ConfigError } from '../core/errors.js';
import { createCgroupProbe } from './cgroup-probe.js';
import { createMappingsProbe } from './mappings-probe.js';
import { createNodeHeapProbe } from './node-heap-probe.js';
import { createJvmProbe } from './jvm-probe.js';
import { createPythonProbe } from './python-probe.js';
import { createGoProbe, goPprofUrl } from './go-probe.js';
import type { TrialProbe } from './probe.js';

export type { TrialProbe, ProbeContext } from './probe.js';
export { eachProbe } from './probe.js';
export type { TrialEvidence, RuntimeEvidence, NativeEvidence } from './evidence.js';

export interface ProbeFactories {
  /** Native and runtime probes added by their modules (kept out of this file's imports where optional). */
  extra?: (config: Config, logger: Logger) => TrialProbe[];
}

export function buildProbes(config: Config, logger: Logger, trialName: string, factories: ProbeFactories = {}): TrialProbe[] {
  const probes: TrialProbe[] = [];
  probes.push(...(factories.extra?.(config, logger) ?? []));
  if (config.native.tool === 'off') {
    const top = config.runtime.top;
    if (config.runtime.kind === 'node') probes.push(createNodeHeapProbe({ intervalMs: config.runtime.intervalMs, pauseBudget: config.runtime.pauseBudget, snapshots: config.runtime.snapshots, top, logger }));
    if (config.runtime.kind === 'jvm') probes.push(createJvmProbe({ top, logger, optional: config.runtime.chosen === 'auto', heapIntervalMs: Math.max(1500, config.runtime.intervalMs) }));
    if (config.runtime.kind === 'python') probes.push(createPythonProbe({ top, logger }));
    if (config.runtime.kind === 'go') {
      const baseUrl = goPprofUrl(config);
      if (baseUrl === null) throw new ConfigError("runtime: go needs net/http/pprof's URL: set runtime.pprof-url, or app.ready.port / app.ready.url so it defaults to http://127.0.0.1:<port>/debug/pprof");
      probes.push(createGoProbe({ baseUrl, intervalMs: config.runtime.intervalMs, top, logger }));
    }
  }
  probes.push(createMappingsProbe());
  probes.push(createCgroupProbe({ ...(config.cgroup.limit !== undefined ? { limitBytes: config.cgroup.limit } : {}), sampleOwn: config.cgroup.sample, name: trialName }));
  return probes;
}
