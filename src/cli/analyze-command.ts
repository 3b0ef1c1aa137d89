// `leakgate analyze`: memory trends from Prometheus range queries, and canary against stable. Parses the flags
// into the analyze config's overrides, runs the shared pipeline, prints the result, returns the exit status.
import { parseArgs } from 'node:util';
import { ANALYZE_FIELD_NAMES, buildAnalyzeOverrides, type AnalyzeFieldName } from '../config/prometheus.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { runAnalyze } from '../prometheus/run-analyze.js';
import { renderPrometheusText } from '../report/prometheus.js';
import { getExitCode } from './exit-code.js';
import type { CliIo } from './main.js';

export const ANALYZE_USAGE = `       leakgate analyze --prometheus <url> --query <promql> [--range 1h] [--step 15s]
                        [--canary-query <promql> --baseline-query <promql>]
                        [--requests-query <promql>] [--limit-query <promql> | --limit <size>]

analyze reads memory series from Prometheus (/api/v1/query_range) and checks each series
(one per pod or container) for a leak with the same statistics as a run, over time or,
with --requests-query (a request counter), against requests served. --canary-query and
--baseline-query compare a canary with the stable version over the same window (verdict
regression, unchanged or improved). Also: --end <time>, --timeout <s>,
--bearer-token-env <VAR>, --ca-file <pem>, --name, --fail-on, --report, -c/--config
(a prometheus: section in leakgate.yml). Exit 1 on a leak or regression, 2 when
Prometheus cannot be read (unreachable, query refused, no series, too few points).
`;

export async function analyzeCommand(args: string[], io: CliIo, makeLogger: (io: CliIo, quiet: boolean, debug: boolean) => Logger): Promise<number> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    config: { type: 'string', short: 'c' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const name of ANALYZE_FIELD_NAMES) options[name] = { type: 'string' };
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: false, strict: true });
  } catch (e) {
    throw new ConfigError(`${errorMessage(e)}; see 'leakgate analyze --help'`);
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout.write(`Usage: ${ANALYZE_USAGE.trimStart()}`);
    return 0;
  }
  const given: Partial<Record<AnalyzeFieldName, string>> = {};
  for (const name of ANALYZE_FIELD_NAMES) {
    const v = values[name];
    if (typeof v === 'string') given[name] = v;
  }
  const { overrides, labels } = buildAnalyzeOverrides(given, (n) => `flag --${n}`);
  const result = await runAnalyze({
    ...(typeof values.config === 'string' ? { configPath: values.config } : {}),
    cwd: io.cwd,
    overrides,
    overrideLabels: labels,
    env: io.env,
    logger: makeLogger(io, values.quiet === true, io.env.LEAKGATE_DEBUG === '1'),
  });
  io.stdout.write(renderPrometheusText(result.report));
  if (result.report.error) io.stderr.write(`leakgate: ${result.report.error}\n`);
  io.stdout.write(`report: ${result.reportPath}\n`);
  return getExitCode(result.report);
}
