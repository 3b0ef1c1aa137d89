// `npm run bench`: how well leakgate separates leaks from healthy memory behaviour, next to naive
// gates, on a synthetic corpus with known leak rates and on the real example apps; what sampling
// costs. Prints tables and writes the same figures to bench/results/latest.json (and a copy named
// by the time it ran).
//
//   node --import tsx bench/run.ts [--quick] [--load-only] [--real-runs N] [--duration 30s] [--seed N] [--apps-per-model N]

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { runCorpus, type CorpusResult, type GateName, type GateRates } from './corpus.js';
import { abortRealRuns, parseDuration, REAL_CASES, ROOT, runRealApps, type RealCaseResult } from './real-apps.js';
import { abortSampler, runSamplerOverhead, SAMPLES_PER_SECOND, type SamplerResult } from './sampler-overhead.js';
import { abortLoadBench, loadTargets, runLoadBench } from './load.js';
import { abortSamplerBench, formatSamplerBench, runSamplerBench } from './sampler-cost.js';
import { formatLibraryBench, runLibraryBench } from './library.js';
import { formatSelfOverhead, runSelfOverhead } from './self-overhead.js';
import { LEAK_RATES, MODELS } from './synthetic.js';
import { formatChurnBench, runChurnBench } from './churn.js';
import { runRegression, type RegressionResult } from './regression.js';
import { abortNativeToolsBench, formatNativeTools, runNativeToolsBench } from './native-tools.js';
import { runDriftBench } from './drift.js';
import { cleanTotals, runSignalsBench, signalRows, SIGNAL_HEADERS } from './real-signals.js';
import { COVERAGE_HEADERS, coverageRows, FIT_HEADERS, fitRows, PREDICT_DEFAULTS, PREDICTION_HEADERS, predictionRows, runNoiseFit } from './noise-fit.js';
import { markdownTable, ms, num, pct, ratio, section, signedPct, table, type Cell } from './table.js';

const USAGE = `Usage: node --import tsx bench/run.ts [options]
  --quick              synthetic corpus and sampler overhead only (no real app runs)
  --clean-only         real runs of the clean cases only (e.g. --clean-only --real-runs 7: 21 clean runs)
  --load-only          only the load-generation section (10 s per arm, 3 s with --quick); figures go to
                       bench/results/<time>-load.json, latest.json is left alone
  --drift-only         only the drift (slow creep) test on synthetic histories
  --sampler-only       only the sampler cost, before/after cost-aware sampling (trees of 1, 10, 50
                       processes); figures go to bench/results/<time>-sampler.json
  --signals-only       only the real apps with every signal side by side (anon alone, heap alone, combined, early
                       stopping replayed on the same runs); --real-runs per leak case, --clean-runs per clean app;
                       LEAKGATE_BENCH_KEEP=<dir> keeps every run's report there
  --cases <regex>      with --signals-only: only the cases whose name matches (e.g. 'express|plateau')
  --replay <dir>       the --signals-only table from the reports kept in <dir>, analysed again with this
                       checkout's rules; runs nothing
  --markdown           with --signals-only or --replay: the table again in Markdown
  --interleave         with --signals-only: run the cases round robin (for the forced-GC cost: e.g.
                       --cases 'node-clean' --interleave --real-runs 5 --clean-runs 5)
  --fit-only <dir>     fit the synthetic noise models to the clean runs kept in <dir> (LEAKGATE_BENCH_KEEP), draw
                       200 synthetic runs per app and leak rate (--seed) and print synthetic detection next to the
                       real leak runs'; runs nothing; figures go to bench/results/<time>-noise-fit.json
  --self-only          only leakgate's own peak memory and CPU per trial (--duration, default 30s) on
                       node-clean and on an app printing 10 MB/s; figures go to bench/results/<time>-self.json
  --native-tools-only  only the native tools on the C example (none, jemalloc, tcmalloc, heaptrack, memcheck at
                       the same load: 10 connections, --duration each, default 10 s); figures go to
                       bench/results/<time>-native-tools.json
  --library-only       only the library API's flakiness guard (measureLeak over 120 clean functions and 60 leaking
                       ones, ~10 min); figures go to bench/results/<time>-library.json
  --real-runs <n>      runs per real case (default 2)
  --duration <d>       load duration per real run (default 30s)
  --seed <n>           seed of the synthetic corpus (default 1)
  --apps-per-model <n> synthetic apps per model, each run clean and at every leak rate (default 300)
  --churn-only         only the throughput cost of connection churn (load.reconnect-every 0, 25, 50, 100, 200 on
                       node-clean; --real-runs rounds of --duration each)
  -h, --help           this help`;

interface Target {
  name: string;
  value: string;
  status: 'PASS' | 'MISS' | 'n/a';
}

function flags(): { quick: boolean; realRuns: number; duration: string; seed: number; appsPerModel: number; cleanOnly: boolean; loadOnly: boolean; samplerOnly: boolean; selfOnly: boolean; nativeToolsOnly: boolean; durationSet: boolean; driftOnly: boolean; signalsOnly: boolean; cleanRuns: number; churnOnly: boolean; libraryOnly: boolean; cases: RegExp | undefined; replay: string | undefined; interleave: boolean; markdown: boolean; fitOnly: string | undefined } {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'clean-only': { type: 'boolean', default: false },
      'load-only': { type: 'boolean', default: false },
      'sampler-only': { type: 'boolean', default: false },
      'library-only': { type: 'boolean', default: false },
      'churn-only': { type: 'boolean', default: false },
      'self-only': { type: 'boolean', default: false },
      'native-tools-only': { type: 'boolean', default: false },
      'drift-only': { type: 'boolean', default: false },
      'signals-only': { type: 'boolean', default: false },
      cases: { type: 'string' },
      replay: { type: 'string' },
      interleave: { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
      'fit-only': { type: 'string' },
      'clean-runs': { type: 'string', default: '20' },
      'real-runs': { type: 'string', default: '2' },
      duration: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'apps-per-model': { type: 'string', default: '300' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, v: string, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) {
      console.error(`bench: --${name} must be an integer >= ${min}, got '${v}'\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  const duration = values.duration ?? '30s';
  try {
    parseDuration(duration);
  } catch (err) {
    console.error(`bench: ${(err as Error).message}`);
    process.exit(2);
  }
  return {
    quick: values.quick!,
    cleanOnly: values['clean-only']!,
    loadOnly: values['load-only']!,
    samplerOnly: values['sampler-only']!,
    libraryOnly: values['library-only']!,
    churnOnly: values['churn-only']!,
    selfOnly: values['self-only']!,
    nativeToolsOnly: values['native-tools-only']!,
    durationSet: values.duration !== undefined,
    driftOnly: values['drift-only']!,
    signalsOnly: values['signals-only']! || values.replay !== undefined,
    cases: casesOf(values.cases),
    replay: values.replay,
    interleave: values.interleave!,
    markdown: values.markdown!,
    fitOnly: values['fit-only'],
    cleanRuns: int('clean-runs', values['clean-runs']!, 1),
    realRuns: int('real-runs', values['real-runs']!, 1),
    duration,
    seed: int('seed', values.seed!, 0),
    appsPerModel: int('apps-per-model', values['apps-per-model']!, 1),
  };
}

function casesOf(v: string | undefined): RegExp | undefined {
  if (v === undefined) return undefined;
  try {
    return new RegExp(v);
  } catch (err) {
    console.error(`bench: --cases must be a regular expression over case names, got '${v}': ${(err as Error).message}`);
    process.exit(2);
  }
}

const GATE_LABEL: Record<GateName, string> = {
  leakgate: 'leakgate',
  naiveEnd: 'naive (a) end > start +10%',
  naivePeak: 'naive (b) peak > baseline peak +10%',
};

function rateCell(r: GateRates, gate: GateName | 'inconclusive'): string {
  return ratio(r[gate].hits, r[gate].n);
}

function printSynthetic(c: CorpusResult): void {
  console.log(section('1. Synthetic corpus'));
  console.log(
    `${c.series} series (${MODELS.length} models x ${c.appsPerModel} apps x ${1 + LEAK_RATES.length} leak rates), ` +
      `${c.durationS} s at ${c.intervalMs} ms, seed ${c.seed}; analysed in ${ms(c.ms)}`,
  );
  console.log('\nFalse positives on non-leaking series, and leakgate detection per leak rate, by model:');
  const rows: Cell[][] = [...MODELS, 'all'].map((m) => {
    const fp = m === 'all' ? c.falsePositives.overall : c.falsePositives.perModel[m]!;
    const det = LEAK_RATES.map((l) => {
      const d = m === 'all' ? c.detection[l]!.overall : c.detection[l]!.perModel[m]!;
      return pct(d.leakgate.rate);
    });
    return [m, fp.leakgate.n, rateCell(fp, 'leakgate'), pct(fp.naiveEnd.rate), pct(fp.naivePeak.rate), ...det];
  });
  console.log(
    table(['model', 'clean', 'FP leakgate', 'FP naive a', 'FP naive b', ...LEAK_RATES.map((l) => `det ${l} B`)], rows),
  );

  console.log('\nThe same series with early stopping (looks every 5 s after 10 s of 30 s), against the fixed 30 s:');
  console.log(
    table(
      ['leak B/req', 'n', 'fixed 30 s: flagged', 'early stop: flagged', 'early stop: load time median / p90'],
      [0, ...LEAK_RATES].map((l) => {
        const q = c.sequential[String(l)]!;
        const fixed = l === 0 ? c.falsePositives.overall.leakgate : c.detection[l]!.overall.leakgate;
        return [l === 0 ? '0 (clean)' : l, q.flagged.n, pct(fixed.rate), pct(q.flagged.rate), `${q.medianS.toFixed(1)} / ${q.p90S.toFixed(1)} s`];
      }),
    ),
  );

  console.log('\nRelative error of leakgate bytes/request (estimate - true) / true:');
  console.log(
    table(
      ['leak B/req', 'n', 'detected', 'inconcl.', 'med err', 'med |err|', 'p95 |err|', 'worst', 'within 20%', 'all: med |err|', 'all: worst'],
      LEAK_RATES.map((l) => {
        const d = c.detection[l]!.overall;
        const e = c.error[l]!;
        return [
          l,
          d.leakgate.n,
          pct(d.leakgate.rate),
          pct(d.inconclusive.rate),
          signedPct(e.detected.median),
          pct(e.detected.medianAbs),
          pct(e.detected.p95Abs),
          signedPct(e.detected.worst, 0),
          pct(e.detected.within20),
          pct(e.all.medianAbs),
          signedPct(e.all.worst, 0),
        ];
      }),
    ),
  );

  const fps = c.examples.falsePositives;
  if (fps.length > 0) {
    console.log(`\nSome false positives (${fps.length} in all; every one is in the JSON):`);
    for (const m of MODELS) {
      for (const e of fps.filter((x) => x.model === m).slice(0, 2)) {
        console.log(`  ${m}: ${e.app}\n      -> ${e.bytesPerRequest} B/req (CI low ${e.ciLow}), p ${e.pValue}, +${pct(e.relativeGrowth)}, warm-up ${e.warmup}`);
      }
    }
  }
}

function printNaive(c: CorpusResult): void {
  console.log(section('2. Naive gates side by side (same series)'));
  const gates: GateName[] = ['leakgate', 'naiveEnd', 'naivePeak'];
  console.log(
    table(
      ['gate', 'FP (non-leaking)', ...LEAK_RATES.map((l) => `detect ${l} B/req`)],
      gates.map((g) => [GATE_LABEL[g], rateCell(c.falsePositives.overall, g), ...LEAK_RATES.map((l) => pct(c.detection[l]!.overall[g].rate))]),
    ),
  );
  console.log('naive (b) compares against a baseline run of the same app (same parameters, leak 0, another run seed).');
}

function printReal(results: RealCaseResult[], runsPerCase: number, duration: string): void {
  console.log(section(`3. Real runs (dist/cli.js, ${runsPerCase} run(s) per case, ${duration} load each)`));
  console.log(
    table(
      ['case', 'verdicts', 'B/req (median)', 'est / LEAK_BYTES', 'err vs LEAK_BYTES', 'req/s', 'naive a', 'wall / run'],
      results.map((r) => [
        r.name,
        Object.entries(r.verdicts)
          .map(([v, n]) => `${n} ${v}`)
          .join(', '),
        num(r.medianBytesPerRequest, 1),
        r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`,
        signedPct(r.relativeError),
        num(r.medianThroughput),
        `${r.naiveEndFlags}/${r.runs.length}`,
        ms(r.medianWallMs),
      ]),
    ),
  );
  const errors = results.flatMap((r) => r.runs.filter((x) => x.error !== null).map((x) => `${r.name}: ${x.error}`));
  for (const e of errors) console.log(`  error: ${e}`);
}

function printSampler(s: SamplerResult): void {
  console.log(section('4. Sampler overhead'));
  console.log(
    table(
      ['tree', 'found', 'reads', 'CPU / sample', 'wall / sample', `% of a core at ${SAMPLES_PER_SECOND}/s`],
      s.rows.map((r) => [r.tree, r.found, r.reads, `${r.cpuMsPerSample.toFixed(3)} ms`, `${r.wallMsPerSample.toFixed(3)} ms`, `${r.corePercent.toFixed(3)}%`]),
    ),
  );
  const j = s.jitter;
  console.log(
    `(the sampler's reader: the tree cached between rescans, /proc/PID/status every sample, smaps_rollup as often as 0.5% of a core allows; ${s.systemProcesses} processes on this machine)\n` +
      `startSampler at ${j.intervalMs} ms, idle, ${j.samples} samples: interval p50 ${j.p50.toFixed(2)} ms, ` +
      `p99 ${j.p99.toFixed(2)} ms, max ${j.max.toFixed(2)} ms; lateness vs grid p50 ${j.lateP50.toFixed(2)} ms, p99 ${j.lateP99.toFixed(2)} ms`,
  );
}

function printRegression(r: RegressionResult): void {
  console.log(section('2b. Regression against a baseline (synthetic, same app, new trials)'));
  console.log(`${r.pairs} pairs, ${r.trialsPerSide} trials per side, baseline leaking 0 or 64 B/req; ${ms(r.ms)}`);
  console.log(
    table(
      ['gate', 'false regression (same code)', 'detect +256 B/req'],
      [
        ['leakgate (slope comparison)', `${r.falseRegression.leakgate.hits}/${r.pairs} ${pct(r.falseRegression.leakgate.rate)}`, pct(r.detection256.leakgate.rate)],
        ['naive: head peak > baseline peak +10%', `${r.falseRegression.naivePeak.hits}/${r.pairs} ${pct(r.falseRegression.naivePeak.rate)}`, pct(r.detection256.naivePeak.rate)],
      ],
    ),
  );
}

function targets(c: CorpusResult, s: SamplerResult, real: RealCaseResult[] | null, reg: RegressionResult): Target[] {
  const status = (ok: boolean): 'PASS' | 'MISS' => (ok ? 'PASS' : 'MISS');
  const fp = c.falsePositives.overall.leakgate;
  const det = c.detection['256']!.overall.leakgate;
  const big = LEAK_RATES.filter((l) => l >= 1024);
  const worst = Math.max(...big.map((l) => Math.abs(c.error[l]!.detected.worst)));
  const p95 = Math.max(...big.map((l) => c.error[l]!.detected.p95Abs));
  const within = Math.min(...big.map((l) => c.error[l]!.detected.within20));
  const ten = s.rows.find((r) => r.tree === '10 idle')!;
  const out: Target[] = [
    { name: 'synthetic FP <= 1%', value: pct(fp.rate, 2), status: status(fp.rate <= 0.01) },
    { name: 'detection >= 95% at 256 B/req', value: pct(det.rate, 2), status: status(det.rate >= 0.95) },
    {
      name: '|error| <= 20% at >= 1024 B/req (worst detected)',
      value: `worst ${pct(worst)} (p95 ${pct(p95)}, within 20%: ${pct(within)})`,
      status: status(worst <= 0.2),
    },
    { name: 'false regression <= 1% (same code, new trials)', value: pct(reg.falseRegression.leakgate.rate, 2), status: status(reg.falseRegression.leakgate.rate <= 0.01) },
    { name: 'sampler < 1% of a core, 10 procs at 4/s', value: `${ten.corePercent.toFixed(3)}%`, status: status(ten.corePercent < 1) },
  ];
  if (real === null) {
    out.push({ name: '0 false positives in real clean runs', value: 'not run (--quick)', status: 'n/a' });
  } else {
    const clean = real.filter((r) => r.clean);
    const runs = clean.reduce((n, r) => n + r.runs.length, 0);
    const leaks = clean.reduce((n, r) => n + (r.verdicts.leak ?? 0), 0);
    const other = clean.reduce((n, r) => n + (r.verdicts.inconclusive ?? 0) + (r.verdicts.error ?? 0), 0);
    out.push({
      name: '0 false positives in real clean runs',
      value: `${leaks} leak of ${runs} clean runs${other > 0 ? ` (${other} inconclusive/error)` : ''}`,
      status: status(leaks === 0 && runs > 0),
    });
  }
  return out;
}

async function main(): Promise<void> {
  const opts = flags();
  const started = performance.now();
  const startedAt = new Date();
  const onSignal = (sig: NodeJS.Signals): void => {
    abortRealRuns();
    abortSampler();
    abortLoadBench();
    abortSamplerBench();
    abortNativeToolsBench();
    console.error(`\nbench: ${sig}, stopped; spawned processes killed`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  console.log(`leakgate bench (${opts.quick ? 'quick' : 'full'}), ${startedAt.toISOString()}, node ${process.version}, ${cpus().length} CPU ${cpus()[0]?.model ?? ''}`);
  if (opts.churnOnly) {
    const arms = await runChurnBench({ durationMs: parseDuration(opts.duration), rounds: opts.realRuns, settings: [0, 25, 50, 100, 200] });
    console.log(formatChurnBench(arms));
    return;
  }
  if (opts.selfOnly) {
    const self = await runSelfOverhead({ durationS: parseDuration(opts.duration) / 1000 });
    console.log(section("leakgate's own cost per trial"));
    console.log(formatSelfOverhead(self));
    const file = join(ROOT, 'bench', 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}-self.json`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ schema: 1, mode: 'self-only', startedAt: startedAt.toISOString(), self }, null, 2)}\n`);
    console.log(`\nfigures written to ${file}`);
    return;
  }
  if (opts.libraryOnly) {
    const library = await runLibraryBench({ cleanRunsPerKind: 20, leakRuns: 20 });
    console.log(section('Library API: false positives and detection of measureLeak'));
    console.log(formatLibraryBench(library));
    const file = join(ROOT, 'bench', 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}-library.json`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ schema: 1, mode: 'library-only', startedAt: startedAt.toISOString(), library }, null, 2)}\n`);
    console.log(`\nfigures written to ${file}`);
    return;
  }
  if (opts.samplerOnly) {
    const sampler = await runSamplerBench();
    console.log(section('Sampler cost, before and after cost-aware sampling'));
    console.log(formatSamplerBench(sampler));
    const file = join(ROOT, 'bench', 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}-sampler.json`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ schema: 1, mode: 'sampler-only', startedAt: startedAt.toISOString(), sampler }, null, 2)}\n`);
    console.log(`\nfigures written to ${file}`);
    return;
  }
  if (opts.nativeToolsOnly) {
    const durationS = opts.durationSet ? parseDuration(opts.duration) / 1000 : 10;
    const rows = await runNativeToolsBench({ durationS, connections: 10 });
    console.log(section(`Native tools on the C example losing 512 B/req (10 connections, ${durationS} s each)`));
    console.log(formatNativeTools(rows));
    const file = join(ROOT, 'bench', 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}-native-tools.json`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ schema: 1, mode: 'native-tools-only', startedAt: startedAt.toISOString(), durationS, rows }, null, 2)}\n`);
    console.log(`\nfigures written to ${file}`);
    return;
  }
  if (opts.signalsOnly) {
    const results = await runSignalsBench({
      leakRuns: opts.realRuns,
      cleanRuns: opts.cleanRuns,
      duration: opts.duration,
      ...(opts.cases ? { cases: opts.cases } : {}),
      ...(opts.replay ? { replay: opts.replay } : {}),
      interleave: opts.interleave,
      onRun: (c, r) => console.error(`  ${c.name}: anon ${r.verdictAnon}, heap ${r.verdictHeap ?? '—'}, combined ${r.verdictCombined}, early ${r.verdictSequential} at ${(r.sequentialMs / 1000).toFixed(1)} s, ${Math.round(r.throughput)} req/s${r.error ? `, error: ${r.error.slice(0, 120)}` : ''}`),
    });
    console.log(section(`Real apps, every signal, fixed ${opts.duration} and with early stopping (leak runs ${opts.realRuns} per case, clean runs ${opts.cleanRuns})`));
    console.log(table(SIGNAL_HEADERS, signalRows(results)));
    if (opts.markdown) console.log(`\n${markdownTable(SIGNAL_HEADERS, signalRows(results))}`);
    const fp = cleanTotals(results);
    console.log(`\nfalse positives over ${fp.runs} real clean runs (${results.filter((r) => r.clean).map((r) => r.name).join(', ')}): anon alone ${fp.anon}, heap alone ${fp.heap}, combined (the default) ${fp.combined}, early stopping ${fp.sequential}`);
    const file = join(ROOT, 'bench', 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}-signals.json`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ schema: 1, mode: 'signals-only', startedAt: startedAt.toISOString(), duration: opts.duration, results }, null, 2)}\n`);
    console.log(`\nfigures written to ${file}`);
    return;
  }
  if (opts.fitOnly !== undefined) {
    const fit = runNoiseFit(opts.fitOnly, { ...PREDICT_DEFAULTS, seed: opts.seed });
    console.log(section(`Noise models fitted to the clean runs kept in ${opts.fitOnly} (${fit.files} reports)`));
    console.log(table(FIT_HEADERS, fitRows(fit)));
    console.log(section(`Synthetic (${fit.options.runs} runs per app and leak, fitted models) next to real`));
    console.log(table(PREDICTION_HEADERS, predictionRows(fit)));
    console.log(section("drawApp's ranges against the fitted anon values"));
    console.log(table(COVERAGE_HEADERS, coverageRows(fit)));
    if (fit.unfitted.length > 0) console.log(`\nno clean run to fit: ${fit.unfitted.join('; ')}`);
    for (const e of fit.groups.flatMap((g) => g.fitErrors)) console.log(`not fitted: ${e}`);
    if (fit.unreadable.length > 0) console.log(`unreadable or failed reports: ${fit.unreadable.join(', ')}`);
    const file = join(ROOT, 'bench', 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}-noise-fit.json`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ schema: 1, mode: 'fit-only', startedAt: startedAt.toISOString(), ...fit }, null, 2)}\n`);
    console.log(`\nfigures written to ${file} (${Math.round(fit.ms)} ms)`);
    return;
  }
  if (opts.driftOnly) {
    printDrift(opts.seed);
    return;
  }
  const loadOptions = { durationS: opts.quick ? 3 : 10, connections: 10, quick: opts.quick };
  if (opts.loadOnly) {
    const load = await runLoadBench(loadOptions);
    console.log(section('Targets'));
    console.log(table(['target', 'measured', ''], loadTargets(load).map((g) => [g.name, g.value, g.status])));
    const file = join(ROOT, 'bench', 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}-load.json`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ schema: 1, mode: 'load-only', startedAt: startedAt.toISOString(), options: opts, load }, null, 2)}\n`);
    console.log(`\nfigures written to ${file}`);
    return;
  }

  const corpus = runCorpus({ seed: opts.seed, appsPerModel: opts.appsPerModel });
  printSynthetic(corpus);
  printNaive(corpus);

  const regression = runRegression(opts.seed, Math.max(20, Math.round(opts.appsPerModel / 2)));
  printRegression(regression);
  printDrift(opts.seed);

  let real: RealCaseResult[] | null = null;
  if (!opts.quick) {
    // --clean-only: the real clean cases alone, for the "0 false positives in N clean runs" figure.
    const cases = opts.cleanOnly ? REAL_CASES.filter((c) => c.clean) : REAL_CASES;
    const total = cases.length * opts.realRuns;
    let done = 0;
    console.error(`\nreal runs: ${total} runs of ${opts.duration} (progress on stderr)`);
    real = await runRealApps({
      runsPerCase: opts.realRuns,
      duration: opts.duration,
      onRun: (c, i, r) => {
        done++;
        const what = r.error !== null ? `error: ${r.error}` : `${r.verdict}, ${num(r.bytesPerRequest, 1)} B/req, ${num(r.throughput)} req/s`;
        console.error(`  [${done}/${total}] ${c.name} #${i + 1}: ${what} (${ms(r.wallMs)})`);
      },
    }, cases);
    printReal(real, opts.realRuns, opts.duration);
  }

  const sampler = await runSamplerOverhead({ reads: 200, jitterSeconds: 5 });
  printSampler(sampler);

  const load = await runLoadBench(loadOptions);

  const goals = [...targets(corpus, sampler, real, regression), ...loadTargets(load)];
  console.log(section('Targets'));
  console.log(table(['target', 'measured', ''], goals.map((g) => [g.name, g.value, g.status])));

  const wallMs = performance.now() - started;
  console.log(section('5. Total wall time'));
  console.log(ms(wallMs));

  const result = {
    schema: 1,
    mode: opts.quick ? 'quick' : 'full',
    startedAt: startedAt.toISOString(),
    options: opts,
    environment: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', kernel: release() },
    synthetic: corpus,
    regression,
    real,
    sampler,
    load,
    targets: goals,
    wallMs,
  };
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(dir, `${stamp}${opts.quick ? '-quick' : ''}.json`), json);
  writeFileSync(join(dir, 'latest.json'), json);
  console.log(`\nfigures written to bench/results/latest.json and bench/results/${stamp}${opts.quick ? '-quick' : ''}.json`);
}

main().catch((err: unknown) => {
  abortRealRuns();
  abortSampler();
  abortLoadBench();
  abortSamplerBench();
  console.error(`bench: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});

/** The drift test on synthetic histories: false alarms on unchanged code, detection of a slow creep (bench/drift.ts). */
function printDrift(seed: number): void {
  const d = runDriftBench({ seed });
  console.log(section('Drift: change-point test over main\'s history (run on every save)'));
  console.log(
    table(
      ['measure', 'value', 'target'],
      [
        [`false alarms, ${d.histories} histories of ${d.commits} unchanged commits`, pct(d.falseAlarmRate), '<= 1%'],
        ['+20 B/req per commit over 10 commits, found by its 5th commit', pct(d.detectionRate), '>= 90%'],
        ['median commit of the creep at the alarm', String(d.medianDelay), ''],
        ['detections naming the start (+-1 commit)', pct(d.startNamedRate), ''],
      ],
    ),
  );
}
