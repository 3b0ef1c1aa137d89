// The leakgate command line: parses arguments, runs the shared pipeline, prints the summary, and
// returns the exit status. Thin on purpose: the logic lives in the core modules.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { buildOverrides, OVERRIDE_NAMES, type OverrideName } from '../config/overrides.js';
import { renderComparisonText, renderEvidenceText, renderProgressLine, renderTerminalSummary, renderTrialCharts } from '../report/index.js';
import { runLeakgate } from '../pipeline/run-leakgate.js';
import { runMerge } from '../pipeline/run-merge.js';
import { commentFromReport } from '../pipeline/comment-from-report.js';
import { runHistory } from '../pipeline/run-history.js';
import { analyzeCommand, ANALYZE_USAGE } from './analyze-command.js';
import { VERSION } from '../core/version.js';
import { readFileSync } from 'node:fs';
import { writeHtmlReport } from '../report/write-report.js';
import type { Report } from '../core/types.js';
import { EXIT_ERROR, getExitCode } from './exit-code.js';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: the run stops and writes its report with verdict 'interrupted'. */
  signal?: AbortSignal;
}

const USAGE = `Usage: leakgate run [options] [-- command to start the app...]
       leakgate merge [--report <file>] [--baseline <file>] [--fail-on <list>]
                      [--memory-limit <size>] [--html <file>] <report or directory>...
       leakgate comment --report <file> [--repo owner/name --pr <n>]
       leakgate report --html <file> <report.json>
       leakgate history --name <config>... [--store branch|file|cache] [--remote <repo>]
                        [--baseline-branch <b>] [--base-branch main] [--path <file>] [--limit 50]
                        [--repo owner/name] [--out <dir>] [--summary <file>] [--publish]

${ANALYZE_USAGE}
merge pools the trials of reports written by matrix jobs and gates once, with its own
--fail-on (default leak,oom,inconclusive,regression,native-leak; the shards' fail-on is
ignored, so shards can run with fail-on none). comment posts
or updates the sticky PR comment from a saved report, without running anything (for
fork pull requests: see examples/workflows/fork-comment.yml); it needs GITHUB_TOKEN. In a
workflow_run the PR and the run link come from the event (or the API), never the report,
and a report of another commit than workflow_run.head_sha is refused. report renders a saved
JSON report as a self-contained HTML page (charts, every signal, the tables, the evidence).

Runs the app under HTTP load, samples the memory of its whole process tree, and fails
(exit 1) when memory grows per request. Exit 0 pass, 1 gate failed, 2 usage/config
error or the app could not be measured.

Options (each overrides the same setting in the config file):
  -c, --config <file>       config file (default: ./leakgate.yml when it exists)
      --name <name>         name of this gate (report, PR comment)
      --command <cmdline>   command that starts the app (split into words, no shell)
      --shell               run --command through /bin/sh -c
      --cwd <dir>           directory to start the app in
  -e, --env KEY=VALUE       environment variable for the app (repeatable)
      --ready-url <url>     ready when this URL answers with status < 500
      --ready-port <port>   ready when this TCP port accepts connections
      --ready-log <regex>   ready when the app prints a line matching this
      --ready-timeout <s>   give up waiting for readiness after this long (default 30s)
      --url <url>           URL to send load to (default: origin of --ready-url, or http://127.0.0.1:P/ for --ready-port P)
      --duration <s>        load duration per trial (default 30s; e.g. 45, 45s, 2m)
      --amount <n>          stop each trial after n requests instead
      --connections <n>     concurrent connections (default 10)
      --interval <ms>       sampling interval (default 250ms)
      --metric <m>          anon | rss | pss | uss | heap (default anon)
      --warmup <fraction>   share of requests treated as warm-up at least (default 0.25)
      --trials <n>          trials, each restarting the app (default 1)
      --confirm-trials <n>  extra trials before failing on a marginal leak/regression (default 0)
      --memory-limit <size> limit for the time-to-limit projection (e.g. 512MiB; default cgroup's)
      --baseline <file>     baseline report (JSON of a run on the base branch) to compare with
      --baseline-store <s>  none | file | branch | cache: where baselines are kept
      --baseline-branch <b> branch of the branch store (default leakgate-baselines)
      --base-branch <b>     compare with (and save under) this branch's baselines outside PRs
      --save-baseline <t/f> save this run as the baseline (pushes to save-on branches do
                            anyway, except to the file store: it writes only when asked)
      --comment <mode>      sticky PR comment: always | on-regression | never
      --native <tool>       memcheck | massif | heaptrack | jemalloc | tcmalloc | off: run the app
                            under the tool (jemalloc, tcmalloc: preloaded heap profiler, full speed)
      --runtime <kind>      auto | node | jvm | python | go | none: read the runtime's heap too
      --cgroup-limit <size> start the app in a fresh memory cgroup with this limit (e.g. 256MiB)
      --fail-on <list>      leak, oom, inconclusive, regression, peak-regression, native-leak, drift, none
                            (default leak,oom,inconclusive,regression,native-leak)
      --report <file>       JSON report path (default leakgate-report.json)
      --html <file>         also write a self-contained HTML report (charts, tables, evidence)
      --no-progress         no progress line while a trial runs
  -q, --quiet               only the summary
  -h, --help                this help
  -v, --version             leakgate's version
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined ? EXIT_ERROR : 0;
  }
  if (command === '-v' || command === '--version') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const commands: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
    run: runCommand,
    merge: mergeCommand,
    comment: commentCommand,
    report: reportCommand,
    history: historyCommand,
    analyze: (a, o) => analyzeCommand(a, o, cliLogger),
  };
  const handler = commands[command];
  if (!handler) {
    io.stderr.write(`leakgate: unknown command '${command}'; valid commands: ${Object.keys(commands).join(', ')}\n\n${USAGE}`);
    return EXIT_ERROR;
  }
  try {
    return await handler(rest, io);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr.write(`leakgate: ${e.message}\n`);
      return EXIT_ERROR;
    }
    io.stderr.write(`leakgate: internal error: ${e instanceof Error ? (e.stack ?? e.message) : errorMessage(e)}\n`);
    return EXIT_ERROR;
  }
}

function parseCli(args: string[]) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    config: { type: 'string', short: 'c' },
    env: { type: 'string', short: 'e', multiple: true },
    shell: { type: 'boolean' },
    'no-progress': { type: 'boolean' },
    html: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const name of OVERRIDE_NAMES) options[name] ??= { type: 'string' };
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new ConfigError(`${errorMessage(e)}; see 'leakgate --help'`);
  }
}

async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCli(args);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const given: Partial<Record<OverrideName, string>> = {};
  for (const name of OVERRIDE_NAMES) {
    const v = values[name];
    if (typeof v === 'string') given[name] = v;
  }
  if (values.shell) given.shell = 'true';
  const env = parseEnvFlags((values.env as string[] | undefined) ?? []);
  const { overrides, labels } = buildOverrides(given, (n) => `flag --${n}`, env);
  if (positionals.length > 0) {
    if (given.command !== undefined) throw new ConfigError('give the app command either after -- or with --command, not both');
    (overrides.app as Record<string, unknown> | undefined) ?? (overrides.app = {});
    (overrides.app as Record<string, unknown>).command = values.shell ? positionals.join(' ') : positionals;
    labels['app.command'] = 'the command after --';
  }

  const quiet = values.quiet === true;
  const tty = io.stderr.isTTY === true;
  const logger = cliLogger(io, quiet, io.env.LEAKGATE_DEBUG === '1');
  const progress = values['no-progress'] || quiet ? undefined : progressPrinter(io, tty);
  const result = await runLeakgate({
    ...(typeof values.config === 'string' ? { configPath: values.config } : {}),
    cwd: io.cwd,
    overrides,
    overrideLabels: labels,
    logger,
    ...(progress ? { onProgress: progress.update } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  progress?.finish();
  const color = tty && io.env.NO_COLOR === undefined;
  // Box and dot characters like the verdict's ✔/✖; plain ASCII only on a terminal that says it is dumb.
  if (!quiet) io.stdout.write(renderTrialCharts(result.report, { ascii: io.env.TERM === 'dumb' }));
  io.stdout.write(renderTerminalSummary(result.report, { color }));
  const comparison = renderComparisonText(result.report);
  if (comparison) io.stdout.write(`${comparison}\n`);
  const evidence = renderEvidenceText(result.report);
  if (evidence) io.stdout.write(`${evidence}\n`);
  if (result.report.error) io.stderr.write(`leakgate: ${result.report.error}\n`);
  io.stdout.write(`report: ${result.reportPath}\n`);
  if (typeof values.html === 'string' && values.html !== '') writeHtml(io, values.html, result.report);
  return getExitCode(result.report);
}

async function mergeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrExplain({
    args,
    options: {
      report: { type: 'string' },
      baseline: { type: 'string', multiple: true },
      'fail-on': { type: 'string' },
      'memory-limit': { type: 'string' },
      html: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const result = runMerge({
    paths: positionals,
    cwd: io.cwd,
    ...(values.report ? { reportPath: values.report } : {}),
    ...(values.baseline ? { baselines: values.baseline } : {}),
    gate: {
      settings: { 'fail-on': values['fail-on'], 'memory-limit': values['memory-limit'] },
      labels: { 'fail-on': 'flag --fail-on', 'memory-limit': 'flag --memory-limit' },
    },
    logger: cliLogger(io, values.quiet === true, io.env.LEAKGATE_DEBUG === '1'),
  });
  const color = io.stderr.isTTY === true && io.env.NO_COLOR === undefined;
  if (values.quiet !== true) io.stdout.write(renderTrialCharts(result.report, { ascii: io.env.TERM === 'dumb' }));
  io.stdout.write(renderTerminalSummary(result.report, { color }));
  const comparison = renderComparisonText(result.report);
  if (comparison) io.stdout.write(`${comparison}\n`);
  if (result.report.error) io.stderr.write(`leakgate: ${result.report.error}\n`);
  io.stdout.write(`merged ${result.inputs.length} report(s) into ${result.reportPath}\n`);
  if (values.html) writeHtml(io, values.html, result.report);
  return getExitCode(result.report);
}

async function commentCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOrExplain({
    args,
    options: {
      report: { type: 'string' },
      repo: { type: 'string' },
      pr: { type: 'string' },
      'run-url': { type: 'string' },
      mode: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
    strict: true,
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (!values.report) throw new ConfigError("comment needs --report <file> (the JSON report of the run to comment on)");
  const outcome = await commentFromReport({
    reportPath: values.report,
    cwd: io.cwd,
    env: io.env,
    ...(values.repo ? { repo: values.repo } : {}),
    ...(values.pr ? { pr: values.pr } : {}),
    ...(values['run-url'] ? { runUrl: values['run-url'] } : {}),
    ...(values.mode ? { mode: values.mode } : {}),
    logger: cliLogger(io, false, io.env.LEAKGATE_DEBUG === '1'),
  });
  io.stdout.write(`${outcome.message}\n`);
  return outcome.ok ? 0 : EXIT_ERROR;
}

/** `leakgate report --html FILE <report.json>`: renders a saved report, runs nothing. */
async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOrExplain({ args, options: { html: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  if (!values.html || positionals.length !== 1) throw new ConfigError('report needs --html <file> and one JSON report, e.g. leakgate report --html report.html leakgate-report.json');
  const source = resolve(io.cwd, positionals[0]!);
  let report: Report;
  try {
    report = JSON.parse(readFileSync(source, 'utf8')) as Report;
  } catch (e) {
    throw new ConfigError(`cannot read the report ${source}: ${errorMessage(e)}`);
  }
  if (typeof report !== 'object' || report === null || !Array.isArray(report.trials) || typeof report.summary !== 'object') {
    throw new ConfigError(`${source} is not a leakgate report (no trials or summary)`);
  }
  writeHtml(io, values.html, report);
  return 0;
}

/** parseArgs, with its error turned into a usage error that points at --help. */
function parseOrExplain<T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new ConfigError(`${errorMessage(e)}; see 'leakgate --help'`);
  }
}

/** Writes the HTML report (--html) relative to the working directory and says where. */
function writeHtml(io: CliIo, path: string, report: Report): void {
  const htmlPath = resolve(io.cwd, path);
  writeHtmlReport(htmlPath, report);
  io.stdout.write(`html report: ${htmlPath}\n`);
}

/** history: bytes/request and peak per commit of a stored branch history, as markdown and static pages. */
async function historyCommand(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        name: { type: 'string', multiple: true },
        store: { type: 'string' },
        remote: { type: 'string' },
        'baseline-branch': { type: 'string' },
        'base-branch': { type: 'string' },
        path: { type: 'string' },
        limit: { type: 'string' },
        repo: { type: 'string' },
        'server-url': { type: 'string' },
        out: { type: 'string' },
        summary: { type: 'string' },
        publish: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    throw new ConfigError(`${errorMessage(e)}; see 'leakgate --help'`);
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const limit = Number(values.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ConfigError(`flag --limit must be an integer from 1 to 1000, got '${values.limit}'`);
  const repo = values.repo ?? io.env.GITHUB_REPOSITORY ?? null;
  if (repo !== null && !/^[^/\s]+\/[^/\s]+$/.test(repo)) throw new ConfigError(`flag --repo must be owner/name, got '${repo}'`);
  const result = await runHistory({
    names: (values.name ?? []).flatMap((n) => n.split(',').map((x) => x.trim()).filter(Boolean)),
    branch: values['base-branch'] ?? 'main',
    store: (values.store ?? 'branch') as 'branch',
    ...(values.remote ? { remote: values.remote } : {}),
    ...(values['baseline-branch'] ? { storeBranch: values['baseline-branch'] } : {}),
    ...(values.path ? { path: values.path } : {}),
    limit,
    repo,
    serverUrl: values['server-url'] ?? io.env.GITHUB_SERVER_URL ?? 'https://github.com',
    ...(values.out ? { outDir: values.out } : {}),
    publish: values.publish === true,
    cwd: io.cwd,
    ...(io.env.GITHUB_TOKEN ? { token: io.env.GITHUB_TOKEN } : {}),
    logger: cliLogger(io, false, io.env.LEAKGATE_DEBUG === '1'),
    now: new Date(),
  });
  if (values.summary) writeFileSync(resolve(io.cwd, values.summary), result.markdown);
  else io.stdout.write(result.markdown);
  for (const f of result.files) io.stderr.write(`leakgate: wrote ${f}\n`);
  return 0;
}

function parseEnvFlags(items: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ConfigError(`flag --env must be KEY=VALUE, got '${item}'`);
    env[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return env;
}

function cliLogger(io: CliIo, quiet: boolean, debug: boolean): Logger {
  return {
    info: (m) => {
      if (!quiet) io.stderr.write(`leakgate: ${m}\n`);
    },
    warn: (m) => io.stderr.write(`leakgate: warning: ${m}\n`),
    debug: (m) => {
      if (debug) io.stderr.write(`leakgate: debug: ${m}\n`);
    },
  };
}

/** On a terminal, one line redrawn in place; in a CI log, a line every 5 seconds. */
function progressPrinter(io: CliIo, tty: boolean) {
  let lastPrinted = -Infinity;
  let lastTrial = 0;
  let drawn = false;
  return {
    update: (p: Parameters<typeof renderProgressLine>[0]) => {
      if (p.trial !== lastTrial) {
        lastTrial = p.trial;
        lastPrinted = -Infinity;
      }
      if (tty) {
        if (p.elapsedMs - lastPrinted < 200) return;
        io.stderr.write(`\r\x1b[2K${renderProgressLine(p)}`);
        drawn = true;
      } else {
        if (p.elapsedMs - lastPrinted < 5000) return;
        io.stderr.write(`${renderProgressLine(p)}\n`);
      }
      lastPrinted = p.elapsedMs;
    },
    finish: () => {
      if (drawn) io.stderr.write('\r\x1b[2K');
    },
  };
}
