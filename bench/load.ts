// Figure 4b: what leakgate's load generation delivers. On the node-leak example (LEAK_BYTES=0, started
// fresh for each arm in its own process group), same connections and duration, arms interleaved in
// rounds: (a) bare autocannon in a child node process, (b) leakgate's driver in a child node process
// with the sampler on the app's pid at 250 ms, as the gate runs them, (c) wrk -t1. Throughputs,
// leakgate/bare, generator CPU per request, and how regular the sampler's ticks stay under (b).
//
// Then the sampler's ticks under the driver's other shapes of load, a few seconds each on a fresh app: a constant
// overall rate with a weighted request mix (open-loop pacing timers) and HTTP pipelining 4 (more responses per
// socket read), since (b) measures one setup only.
//
// This file is also the child of arm (b) and of those setups: run with LEAKGATE_LOAD_BENCH_CHILD set, it drives
// the load, samples, and prints one JSON line.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { MixRequest, RequestMode } from '../src/load/request-mix.js';
import { freePort } from '../test/support/net.js';
import { quantile } from './figures.js';
import { num, pct, section, table } from './table.js';

const ROOT = resolve(import.meta.dirname, '..');
const SERVER = join(ROOT, 'examples', 'node-leak', 'server.js');
const WRK = '/usr/bin/wrk';
const CHILD_ENV = 'LEAKGATE_LOAD_BENCH_CHILD';
const SAMPLE_INTERVAL_MS = 250;

export interface LoadBenchOptions {
  durationS: number;
  connections: number;
  quick?: boolean;
}

export interface LoadArm {
  name: string;
  /** Responses counted by the load generator, over all rounds. */
  requests: number;
  /** Responses per second: requests over the seconds the generator reports for them. */
  throughput: number;
  /** This arm's throughput / bare autocannon's. */
  vsBare: number;
  /** CPU time the load generator spent per response, µs (NaN for wrk: not measured). */
  cpuUsPerRequest: number;
  error: string | null;
}

export interface SamplerTiming {
  intervalMs: number;
  samples: number;
  /** Latest first sample of a run, ms after startSampler (the set-up that follows delays it). */
  firstSampleMs: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
  /** 99th percentile of |interval - intervalMs|: the target is <= 20% of intervalMs. */
  p99Deviation: number;
  /** Share of intervals within 20% of intervalMs. */
  within20: number;
  /** The driver process's event-loop delay under load (perf_hooks), ms: what load in the same thread costs the sampler's timer. */
  loopDelayP50: number;
  loopDelayP99: number;
  loopDelayMax: number;
}

/** A shape of leakgate's load other than (b)'s closed loop, and the sampler's ticks under it. */
export interface SamplerSetup {
  name: string;
  /** Seconds of load. */
  durationS: number;
  load: LoadShape;
  requests: number;
  throughput: number;
  sampler: SamplerTiming | null;
  error: string | null;
}

/** What the driver is given beyond url, connections and duration. */
export interface LoadShape {
  pipelining: number;
  rate?: number;
  mode?: RequestMode;
  requests: MixRequest[];
}

/** A weighted mix of three requests, one with {id}s, the way a config's load.requests would give it. */
const MIX: MixRequest[] = [
  { method: 'GET', path: '/', headers: {}, weight: 3 },
  { method: 'GET', path: '/items/{id}', headers: { accept: 'application/json' }, weight: 2, ids: ['a1', 'b2', 'c3', 'd4'] },
  { method: 'POST', path: '/items', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}', weight: 1 },
];

/** The setups measured after the arms: name and load shape. */
export const SAMPLER_SETUPS: ReadonlyArray<{ name: string; load: LoadShape }> = [
  { name: 'constant rate 2,000 req/s, weighted mix of 3', load: { pipelining: 1, rate: 2000, mode: 'mix', requests: MIX } },
  { name: 'pipelining 4', load: { pipelining: 4, requests: [] } },
];

export interface LoadBenchResult {
  /** Seconds per arm, in `rounds` equal parts. */
  durationS: number;
  rounds: number;
  connections: number;
  arms: LoadArm[];
  /** leakgate driver / bare autocannon throughput. */
  ratio: number;
  /** The sampler's tick intervals while leakgate's driver ran full load in the same process. */
  sampler: SamplerTiming | null;
  /**
   * The same sampler at the same time in a separate process without load: what the machine alone
   * does to the ticks. sampler minus control is what running the load in the sampler's thread costs.
   */
  controlSampler: SamplerTiming | null;
  /** Responses the app answered under arm (b), and what the driver counted (equal when counting is right). */
  appServed: number | null;
  driverCounted: number;
  /** The sampler under a constant rate with a request mix, and under pipelining (SAMPLER_SETUPS). */
  samplerSetups: SamplerSetup[];
  ms: number;
}

/** Parses wrk's summary line `N requests in 10.00s, ...` (responses and the seconds they took). */
export function parseWrkOutput(text: string): { requests: number; seconds: number } {
  const total = /^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)\b/m.exec(text);
  if (!total) {
    throw new Error(`wrk output malformed: no 'N requests in T' line in ${text.split('\n').length} lines: ${text.slice(0, 200).replace(/\n/g, ' | ')}`);
  }
  const scale: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60 };
  return { requests: Number(total[1]), seconds: Number(total[2]) * scale[total[3]!]! };
}

/** Rounds the arms are interleaved in: the most (up to 5) that divide durationS into whole rounds of >= 2 s. */
export function roundsFor(durationS: number): number {
  for (let k = 5; k > 1; k--) if (durationS % k === 0 && durationS / k >= 2) return k;
  return 1;
}

/**
 * Summary of tick-to-tick intervals against the nominal interval, over several runs' sample times
 * (ms after the sampler started) and loop delays. The first interval of a run is left out: tick 0
 * is read only after the synchronous code that follows startSampler (autocannon's set-up), which
 * says nothing about starvation under load; firstSampleMs reports that delay instead.
 */
export function samplerTimingOfRuns(runs: readonly SamplerRun[], intervalMs: number): SamplerTiming {
  const intervals = runs.flatMap(({ times }) => times.slice(2).map((t, i) => t - times[i + 1]!));
  const deviations = intervals.map((v) => Math.abs(v - intervalMs));
  return {
    intervalMs,
    samples: runs.reduce((n, r) => n + r.times.length, 0),
    firstSampleMs: Math.max(...runs.map((r) => r.times[0] ?? NaN)),
    min: intervals.length > 0 ? Math.min(...intervals) : NaN,
    p50: quantile(intervals, 0.5),
    p99: quantile(intervals, 0.99),
    max: intervals.length > 0 ? Math.max(...intervals) : NaN,
    p99Deviation: quantile(deviations, 0.99),
    within20: intervals.length > 0 ? deviations.filter((d) => d <= intervalMs * 0.2).length / intervals.length : NaN,
    loopDelayP50: Math.max(...runs.map((r) => r.loopDelay.p50)),
    loopDelayP99: Math.max(...runs.map((r) => r.loopDelay.p99)),
    loopDelayMax: Math.max(...runs.map((r) => r.loopDelay.max)),
  };
}

/** Event-loop delay of one run, ms. */
interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  live.delete(child);
}

/** For the entry's signal handler: kill every app and load process this bench started. */
export function abortLoadBench(): void {
  for (const child of [...live]) killGroup(child);
}

interface App {
  child: ChildProcess;
  url: string;
  /** Requests the app has answered, from its own counter (GET / returns {"served": n}). */
  served(): Promise<number>;
}

/** The node-leak app, leaking nothing, on a free port, in its own process group; resolves when it listens. */
async function startApp(): Promise<App> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, LEAK_BYTES: '0', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  live.add(child);
  await new Promise<void>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`node-leak did not listen within 10 s: ${out.slice(-300)}`)), 10_000);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      killGroup(child);
      rej(e);
    };
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`node-leak exited (${code}) before listening: ${out.slice(-300)}`)));
    child.stderr!.on('data', (d) => (out += d));
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('listening')) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        res();
      }
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    url: `${url}/`,
    served: async () => {
      // The app counts the request that asks too: it is not part of the load.
      const res = await fetch(`${url}/count`, { signal: AbortSignal.timeout(5000) });
      const body = (await res.json()) as { served: number };
      return body.served - 1;
    },
  };
}

/** Runs a process to its end (killed as a group after limitMs); resolves with its stdout. */
function runChild(cmd: string, args: string[], env: NodeJS.ProcessEnv, limitMs: number): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    live.add(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const limit = setTimeout(() => {
      err += `\n[bench] killed after ${limitMs} ms`;
      killGroup(child);
    }, limitMs);
    child.on('error', (e) => {
      clearTimeout(limit);
      live.delete(child);
      rej(e);
    });
    child.on('close', (code) => {
      clearTimeout(limit);
      killGroup(child);
      if (code === 0) res(out);
      else rej(new Error(`${cmd} ${args.slice(0, 2).join(' ')} exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

const lastJson = <T>(out: string): T => JSON.parse(out.trim().split('\n').pop() ?? '') as T;

/** (a) A plain autocannon() call in its own node process. */
const BARE_SCRIPT = `
import autocannon from 'autocannon';
const { url, connections, duration } = JSON.parse(process.env.${CHILD_ENV});
const cpu0 = process.cpuUsage();
autocannon({ url, connections, duration }, (err, r) => {
  if (err) { console.error(err); process.exit(1); }
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ requests: r.requests.total, seconds: r.duration, cpuMs: (cpu.user + cpu.system) / 1000 }));
});`;

interface ArmFigures {
  requests: number;
  /** Seconds the generator counts those requests over. */
  seconds: number;
  /** CPU time of the load generator's process during the load, ms (not known for wrk). */
  cpuMs?: number;
}

async function bareArm(url: string, connections: number, seconds: number): Promise<ArmFigures> {
  const env = { ...process.env, [CHILD_ENV]: JSON.stringify({ url, connections, duration: seconds }) };
  return lastJson(await runChild(process.execPath, ['--input-type=module', '-e', BARE_SCRIPT], env, seconds * 1000 + 30_000));
}

/** One sampler's tick times (ms) and its process's event-loop delay. */
interface SamplerRun {
  times: number[];
  loopDelay: LoopDelay;
}

interface ChildReport extends ArmFigures, SamplerRun {}

const CLOSED_LOOP: LoadShape = { pipelining: 1, requests: [] };

/** (b) This file as a child: leakgate's driver plus the sampler on the app's pid (and a SAMPLER_SETUPS shape). */
async function leakgateArm(url: string, pid: number, connections: number, seconds: number, load: LoadShape = CLOSED_LOOP): Promise<ChildReport> {
  const params: ChildParams = { role: 'load', url, pid, connections, durationS: seconds, load };
  const env = { ...process.env, [CHILD_ENV]: JSON.stringify(params) };
  return lastJson(await runChild(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], env, seconds * 1000 + 30_000));
}

/** The control for (b): the same sampler on the same app at the same time, in a process with no load in it. */
async function controlSampler(pid: number, seconds: number): Promise<SamplerRun> {
  const env = { ...process.env, [CHILD_ENV]: JSON.stringify({ role: 'control', pid, durationS: seconds }) };
  return lastJson(await runChild(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], env, seconds * 1000 + 30_000));
}

interface ChildParams {
  role: 'load' | 'control';
  url: string;
  pid: number;
  connections: number;
  durationS: number;
  load?: LoadShape;
}

const LOOP_RESOLUTION_MS = 10;
const lateMs = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);

/** Child of arm (b) ('load': leakgate's driver and the sampler) or its control ('control': the sampler alone). */
async function childMain(): Promise<void> {
  const { role, url, pid, connections, durationS, load = CLOSED_LOOP } = JSON.parse(process.env[CHILD_ENV]!) as ChildParams;
  const { startAutocannon } = await import('../src/load/autocannon-driver.js');
  const { startSampler } = await import('../src/sample/sampler.js');
  let run: ReturnType<typeof startAutocannon> | undefined;
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const sampler = startSampler({
    rootPid: pid,
    pgid: pid,
    intervalMs: SAMPLE_INTERVAL_MS,
    requests: () => run?.completed() ?? 0,
    now: () => performance.now(),
    origin: () => t0,
  });
  let requests = 0;
  let seconds = durationS;
  if (role === 'load') {
    run = startAutocannon({
      url,
      durationMs: durationS * 1000,
      connections,
      pipelining: load.pipelining,
      timeoutMs: 10_000,
      requests: load.requests,
      ...(load.mode ? { mode: load.mode } : {}),
      ...(load.rate !== undefined ? { rate: load.rate } : {}),
    });
    const result = await run.done;
    requests = result.requests;
    seconds = result.throughput > 0 ? result.requests / result.throughput : 0;
  } else {
    await new Promise((r) => setTimeout(r, durationS * 1000));
  }
  const samples = await sampler.stop();
  const cpu = process.cpuUsage(cpu0);
  loop.disable();
  const report: ChildReport = {
    requests,
    seconds,
    cpuMs: (cpu.user + cpu.system) / 1000,
    times: samples.map((s) => s.t),
    // The histogram holds whole timer periods: the delay is what exceeds the 10 ms resolution.
    loopDelay: { p50: lateMs(loop.percentile(50)), p99: lateMs(loop.percentile(99)), max: lateMs(loop.max) },
  };
  console.log(JSON.stringify(report));
}

/** (c) wrk with one thread and the same connections. */
async function wrkArm(url: string, connections: number, seconds: number): Promise<ArmFigures> {
  if (!existsSync(WRK)) throw new Error(`${WRK} not found (install wrk)`);
  const out = await runChild(WRK, ['-t1', `-c${connections}`, `-d${seconds}s`, url], process.env, seconds * 1000 + 30_000);
  return parseWrkOutput(out);
}

/**
 * Runs the three arms, each on a fresh app, interleaved in rounds (a b c, b c a, ...) so that a
 * machine whose load drifts affects them alike; prints the table and returns the figures.
 */
export async function runLoadBench(opts: LoadBenchOptions): Promise<LoadBenchResult> {
  const started = performance.now();
  const rounds = opts.quick ? 1 : roundsFor(opts.durationS);
  const seconds = opts.durationS / rounds;
  const { connections } = opts;
  const runs: SamplerRun[] = [];
  const controls: SamplerRun[] = [];
  let appServed = 0;
  let driverCounted = 0;
  const arms: { name: string; run: (app: App) => Promise<ArmFigures> }[] = [
    { name: 'bare autocannon', run: (app) => bareArm(app.url, connections, seconds) },
    {
      name: 'leakgate driver + sampler',
      run: async (app) => {
        const [r, control] = await Promise.all([
          leakgateArm(app.url, app.child.pid!, connections, seconds),
          controlSampler(app.child.pid!, seconds),
        ]);
        runs.push({ times: r.times, loopDelay: r.loopDelay });
        controls.push(control);
        appServed += await app.served();
        driverCounted += r.requests;
        return r;
      },
    },
    { name: 'wrk -t1', run: (app) => wrkArm(app.url, connections, seconds) },
  ];
  const totals = arms.map(() => ({ requests: 0, seconds: 0, cpuMs: 0, cpuKnown: true, error: null as string | null }));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < arms.length; k++) {
      const i = (round + k) % arms.length;
      const t = totals[i]!;
      if (t.error !== null) continue;
      let app: App | undefined;
      try {
        app = await startApp();
        const r = await arms[i]!.run(app);
        t.requests += r.requests;
        t.seconds += r.seconds;
        if (r.cpuMs === undefined) t.cpuKnown = false;
        else t.cpuMs += r.cpuMs;
      } catch (e) {
        t.error = (e as Error).message;
      } finally {
        if (app) killGroup(app.child);
      }
    }
  }
  const out: LoadArm[] = arms.map((a, i) => {
    const t = totals[i]!;
    const ok = t.error === null && t.seconds > 0;
    return {
      name: a.name,
      requests: ok ? t.requests : NaN,
      throughput: ok ? t.requests / t.seconds : NaN,
      vsBare: NaN,
      cpuUsPerRequest: ok && t.cpuKnown && t.requests > 0 ? (t.cpuMs * 1000) / t.requests : NaN,
      error: t.error,
    };
  });
  for (const a of out) a.vsBare = a.throughput / out[0]!.throughput;
  const samplerSetups = await measureSetups(connections, opts.quick ? 2 : 4);
  const result: LoadBenchResult = {
    durationS: opts.durationS,
    rounds,
    connections,
    arms: out,
    ratio: out[1]!.vsBare,
    sampler: runs.length > 0 ? samplerTimingOfRuns(runs, SAMPLE_INTERVAL_MS) : null,
    controlSampler: controls.length > 0 ? samplerTimingOfRuns(controls, SAMPLE_INTERVAL_MS) : null,
    appServed: totals[1]!.error === null ? appServed : null,
    driverCounted,
    samplerSetups,
    ms: performance.now() - started,
  };
  printLoadBench(result);
  return result;
}

/** Each SAMPLER_SETUPS shape once, on a fresh app: the sampler's ticks in the driver's process under it. */
async function measureSetups(connections: number, seconds: number): Promise<SamplerSetup[]> {
  const out: SamplerSetup[] = [];
  for (const setup of SAMPLER_SETUPS) {
    let app: App | undefined;
    try {
      app = await startApp();
      const r = await leakgateArm(app.url, app.child.pid!, connections, seconds, setup.load);
      out.push({
        name: setup.name,
        durationS: seconds,
        load: setup.load,
        requests: r.requests,
        throughput: r.seconds > 0 ? r.requests / r.seconds : NaN,
        sampler: samplerTimingOfRuns([{ times: r.times, loopDelay: r.loopDelay }], SAMPLE_INTERVAL_MS),
        error: null,
      });
    } catch (e) {
      out.push({ name: setup.name, durationS: seconds, load: setup.load, requests: NaN, throughput: NaN, sampler: null, error: (e as Error).message });
    } finally {
      if (app) killGroup(app.child);
    }
  }
  return out;
}

export function printLoadBench(r: LoadBenchResult): void {
  const rounds = r.rounds > 1 ? `, interleaved in ${r.rounds} rounds of ${r.durationS / r.rounds} s` : '';
  console.log(section(`4b. Load generation (node-leak, LEAK_BYTES=0, ${r.connections} connections, ${r.durationS} s per arm${rounds})`));
  console.log(
    table(
      ['arm', 'requests', 'req/s', 'vs bare autocannon', 'generator CPU / req'],
      r.arms.map((a) => [
        a.name,
        num(a.requests),
        num(a.throughput),
        a.error ? `error: ${a.error}` : pct(a.vsBare),
        Number.isFinite(a.cpuUsPerRequest) ? `${a.cpuUsPerRequest.toFixed(1)} µs` : '-',
      ]),
    ),
  );
  const timing: [string, SamplerTiming | null][] = [
    ["with leakgate's driver (same thread)", r.sampler],
    ['control: separate idle process', r.controlSampler],
    // Older result files have no setups.
    ...(r.samplerSetups ?? []).map((s): [string, SamplerTiming | null] => [`driver: ${s.name} (${s.durationS} s, ${num(s.throughput)} req/s)`, s.sampler]),
  ];
  const rows = timing.filter((t): t is [string, SamplerTiming] => t[1] !== null);
  if (rows.length > 0) {
    const f = (v: number): string => v.toFixed(1);
    console.log(`\nsampler ticks at ${SAMPLE_INTERVAL_MS} ms on the app during (b) and under the other load shapes, ms:`);
    console.log(
      table(
        ['sampler', 'samples', 'min', 'p50', 'p99', 'max', 'p99 |dev|', 'within 20%', 'loop delay p99', 'loop delay max', 'tick 0 at'],
        rows.map(([name, t]) => [
          name,
          t.samples,
          f(t.min),
          f(t.p50),
          f(t.p99),
          f(t.max),
          f(t.p99Deviation),
          pct(t.within20),
          f(t.loopDelayP99),
          f(t.loopDelayMax),
          f(t.firstSampleMs),
        ]),
      ),
    );
    console.log('(intervals from tick 1 on; tick 0 waits for the synchronous set-up after startSampler, shown as "tick 0 at")');
  }
  for (const s of r.samplerSetups ?? []) if (s.error) console.log(`sampler under ${s.name}: error: ${s.error}`);
  if (r.appServed !== null) console.log(`under (b) the app answered ${num(r.appServed)} requests; the driver counted ${num(r.driverCounted)}`);
}

/** Target rows for the bench's summary table. */
export function loadTargets(r: LoadBenchResult): { name: string; value: string; status: 'PASS' | 'MISS' | 'n/a' }[] {
  const s = r.sampler;
  return [
    {
      name: 'leakgate load >= 90% of bare autocannon',
      value: Number.isFinite(r.ratio) ? pct(r.ratio) : 'error',
      status: Number.isFinite(r.ratio) ? (r.ratio >= 0.9 ? 'PASS' : 'MISS') : 'n/a',
    },
    {
      name: 'sampler p99 interval within 20% under load',
      value: s ? `p99 interval ${s.p99.toFixed(1)} ms, p99 |deviation| ${s.p99Deviation.toFixed(1)} ms of ${s.intervalMs} ms` : 'not measured',
      status: s ? (Math.abs(s.p99 - s.intervalMs) <= s.intervalMs * 0.2 ? 'PASS' : 'MISS') : 'n/a',
    },
  ];
}

if (process.env[CHILD_ENV] && process.argv[1] === fileURLToPath(import.meta.url)) {
  childMain().catch((err: unknown) => {
    console.error((err as Error).stack ?? String(err));
    process.exit(1);
  });
}
