// The JVM runtime probe (`runtime: jvm`): two class histograms of the app's JVM, one after the
// warm-up and one at the end of the load (`jcmd <pid> GC.class_histogram`, each after a full GC),
// diffed into the classes whose live instances grew.
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeasureError, errorMessage } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { scanProcessTree } from '../sample/process-tree.js';
import type { Target } from '../target/index.js';
import { parseHeapInfoUsed } from '../runtime/jvm-heap-info.js';
import { chooseJvmProcess, diffHistograms, parseClassHistogram, type ClassGrowth, type ClassHistogram } from '../runtime/jvm-histogram.js';
import type { RuntimeEvidence } from './evidence.js';
import { readAfterWarmup, type ProbeContext, type TrialProbe, type WarmupReading } from './probe.js';
import { findExecutable, isExecutableFile } from '../process/find-executable.js';

export interface JvmProbeOptions {
  /** Classes listed in the evidence (plus up to 5 application classes below them). Default 15. */
  top?: number;
  logger?: Logger;
  /** The jcmd to run; default: `jcmd` on PATH, else $JAVA_HOME/bin/jcmd. */
  jcmd?: string;
  /** Per jcmd call. Default 60 s (a full GC of a large heap takes seconds). */
  jcmdTimeoutMs?: number;
  /**
   * Keep the heap from shrinking after the histograms' full GCs (-XX:MaxHeapFreeRatio=100 through
   * JDK_JAVA_OPTIONS). Without it G1 gives memory back at the first histogram (RssAnon 379 -> 107 MB
   * on the clean example) and the regrowth that follows looks like a leak. Default true.
   */
  keepHeap?: boolean;
  /** Classes that grew by less are left out, bytes. Default 1024. */
  minBytesDelta?: number;
  /** Classes that grew by less per request served between the histograms are left out, bytes. Default 8. */
  minBytesPerRequest?: number;
  /**
   * Interval of heap readings after a full GC (`jcmd <pid> GC.run` then `GC.heap_info`, one jcmd), ms; 0 = none.
   * Each reading costs the app a full GC (18-105 ms measured for 7-77 MB live) and leakgate a jcmd start (~0.3 s of
   * CPU): 1.5 s keeps the app's pauses to a few % and still gives 15 readings after a 30 s run's warm-up. Default 1500.
   */
  heapIntervalMs?: number;
  /** The runtime was only guessed from the command (runtime: auto): without jcmd, warn and measure without it. */
  optional?: boolean;
}

/** One reading of the JVM heap after a full GC. */
interface JvmHeapReading {
  t: number;
  requests: number;
  usedBytes: number;
  /** The jcmd round trip, ms (the full GC and jcmd's own start). */
  ms: number;
}

/** One histogram as the probe took it. */
export interface TakenHistogram {
  histogram: ClassHistogram;
  pid: number;
  /** ctx.now() when jcmd returned. */
  t: number;
  requests: number;
  /** jcmd round trip (starting jcmd's own JVM, attach, full GC, the table), ms. */
  ms: number;
}

/** Application classes appended to the evidence below the top classes when they are not among them. */
const EXTRA_APP_CLASSES = 5;
const JCMD_PACKAGE_HINT =
  'runtime: jvm needs jcmd, which comes with a JDK (not a JRE): install one (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless) or set JAVA_HOME to a JDK';

/**
 * Creates the probe. jcmd attaches through /tmp/.java_pid<pid> (created on the first attach,
 * after a SIGQUIT handshake; -XX:+StartAttachListener creates it at startup): jcmd must run as the
 * JVM's user or root (root attaching to a JVM run as nobody works, checked with Java 17) and see
 * the JVM's /tmp; -XX:+DisableAttachMechanism or -Xrs make the JVM unattachable. Each histogram
 * costs a full GC (18-105 ms stop-the-world measured for 7-77 MB live) plus ~200-350 ms of jcmd.
 */
export function createJvmProbe(opts: JvmProbeOptions = {}): TrialProbe {
  const top = opts.top ?? 15;
  if (!Number.isInteger(top) || top < 1) throw new RangeError(`jvm probe: top must be an integer >= 1, got ${top}`);
  const logger = opts.logger ?? silentLogger;
  const timeoutMs = opts.jcmdTimeoutMs ?? 60_000;
  let jcmd = '';
  let reading: WarmupReading<TakenHistogram> | null = null;
  let first: TakenHistogram | null = null;
  let second: TakenHistogram | null = null;
  let jvmPid: number | null = null;
  let loadStartedAt = 0;
  let heap: JvmHeapReading[] = [];
  let heapLoop: { stop(): Promise<void> } | null = null;
  const heapIntervalMs = opts.heapIntervalMs ?? 1500;
  let disabled = false;
  const running = new Set<ChildProcess>();
  const notes: string[] = [];

  const take = async (target: Target, ctx: ProbeContext, n: number): Promise<TakenHistogram> => {
    const pid = jvmPid !== null && isAlive(jvmPid) ? jvmPid : findJvm(target);
    if (jvmPid !== null && pid !== jvmPid) notes.push(`the JVM changed between the histograms (pid ${jvmPid}, then ${pid}): the diff compares two processes`);
    jvmPid = pid;
    const started = performance.now();
    const text = await runJcmd(jcmd, pid, timeoutMs, running);
    const ms = performance.now() - started;
    const h: TakenHistogram = { histogram: parseClassHistogram(text, `jcmd ${pid} GC.class_histogram output`), pid, t: ctx.now() - loadStartedAt, requests: ctx.requests(), ms };
    try {
      writeFileSync(join(ctx.outDir, `jvm-histogram-${n}.txt`), text);
    } catch (err) {
      logger.debug(`jvm probe: could not keep the histogram in ${ctx.outDir}: ${errorMessage(err)}`);
    }
    logger.debug(`jvm probe: histogram ${n} of pid ${pid}: ${h.histogram.rows.length} classes, ${h.histogram.totalBytes} bytes live, jcmd took ${Math.round(ms)} ms`);
    return h;
  };

  /** Heap readings after a full GC every heapIntervalMs until stopped; a failed reading is noted once and skipped. */
  const startHeapReadings = (target: Target, ctx: ProbeContext): { stop(): Promise<void> } => {
    let stopped = false;
    let wake: (() => void) | null = null;
    let failed = false;
    const loop = (async () => {
      while (!stopped) {
        const started = performance.now();
        try {
          const pid = jvmPid !== null && isAlive(jvmPid) ? jvmPid : findJvm(target);
          jvmPid = pid;
          const text = await runJcmd(jcmd, pid, timeoutMs, running, ['GC.run', 'GC.heap_info']);
          const requests = ctx.requests();
          heap.push({ t: ctx.now() - loadStartedAt, requests, usedBytes: parseHeapInfoUsed(text, `jcmd ${pid} GC.heap_info`), ms: performance.now() - started });
        } catch (err) {
          if (!stopped && !failed) notes.push(`a heap reading failed (later ones go on): ${errorMessage(err)}`);
          failed = true;
        }
        const wait = Math.max(0, heapIntervalMs - (performance.now() - started));
        if (!stopped) await new Promise<void>((res) => { wake = res; setTimeout(res, wait).unref(); });
      }
    })();
    return {
      async stop() {
        stopped = true;
        wake?.();
        await loop;
      },
    };
  };

  return {
    name: 'jvm',
    prepare(spec) {
      // A probe may serve several trials in turn: start clean.
      reading = null;
      first = null;
      second = null;
      jvmPid = null;
      notes.length = 0;
      jcmd = opts.jcmd ?? findJcmd(process.env);
      disabled = false;
      if ((jcmd === '' || !isExecutableFile(jcmd)) && opts.optional) {
        disabled = true;
        logger.warn(`runtime jvm (guessed from the command): ${JCMD_PACKAGE_HINT}; measuring without the JVM heap signal`);
        return spec;
      }
      if (jcmd === '' || !isExecutableFile(jcmd)) throw new MeasureError(`${JCMD_PACKAGE_HINT} (looked for ${jcmd || 'jcmd on PATH and in $JAVA_HOME/bin'})`);
      if (opts.keepHeap === false) return spec;
      const options = keepHeapJavaOptions(spec.env.JDK_JAVA_OPTIONS ?? process.env.JDK_JAVA_OPTIONS);
      return { ...spec, env: { ...spec.env, JDK_JAVA_OPTIONS: options } };
    },
    loadStarted(target, ctx) {
      if (disabled) return;
      loadStartedAt = ctx.now();
      heap = [];
      reading = readAfterWarmup(ctx, () => take(target, ctx, 1));
      if (heapIntervalMs > 0) heapLoop = startHeapReadings(target, ctx);
    },
    peekEvidence() {
      if (disabled || heap.length === 0) return {};
      return { runtime: { kind: 'jvm', growing: [], heapSeries: heap.map((h) => ({ t: Math.round(h.t), requests: h.requests, usedBytes: h.usedBytes })) } };
    },
    async loadEnded(target, ctx) {
      if (disabled) return;
      await heapLoop?.stop();
      heapLoop = null;
      if (reading === null) throw new Error('loadEnded without loadStarted: no class histogram was taken');
      first = await reading.settle('class histogram'); // a failure of the first histogram is the probe's failure
      second = await take(target, ctx, 2);
    },
    async finish() {
      if (disabled) return {};
      if (first === null || second === null) throw new Error('no class histograms to compare (see the earlier failure)');
      const evidence = jvmEvidence(first, second, { top, minBytesDelta: opts.minBytesDelta ?? 1024, minBytesPerRequest: opts.minBytesPerRequest ?? 8, notes });
      if (heap.length > 0) evidence.heapSeries = heap.map((h) => ({ t: Math.round(h.t), requests: h.requests, usedBytes: h.usedBytes }));
      return { runtime: evidence };
    },
    async dispose() {
      await heapLoop?.stop();
      reading?.cancel();
      for (const child of running) child.kill('SIGKILL');
      running.clear();
    },
  };
}

/**
 * The evidence for two histograms: the top classes by bytes grown, then application classes not
 * among them; classes that grew by less than minBytesDelta, or minBytesPerRequest per request, left out.
 */
export function jvmEvidence(
  a: TakenHistogram,
  b: TakenHistogram,
  opts: { top: number; minBytesDelta: number; minBytesPerRequest?: number; notes?: readonly string[] },
): RuntimeEvidence {
  const requests = b.requests - a.requests;
  const floor = Math.max(opts.minBytesDelta, requests > 0 ? requests * (opts.minBytesPerRequest ?? 0) : 0);
  const all = diffHistograms(a.histogram, b.histogram, Number.MAX_SAFE_INTEGER);
  const growing = all.growing.filter((g) => g.bytesDelta >= floor).slice(0, opts.top);
  const listed = new Set(growing);
  const extra = all.growingApp.filter((g) => g.bytesDelta >= floor && !listed.has(g)).slice(0, EXTRA_APP_CLASSES);
  const item = (g: ClassGrowth) => ({
    name: g.name,
    countDelta: g.countDelta,
    bytesDelta: g.bytesDelta,
    bytesEnd: g.bytesEnd,
    detail: g.module !== undefined ? `module ${g.module}` : g.app ? 'application class (class path)' : 'class path',
  });
  const app = all.growingApp.find((g) => g.bytesDelta >= floor);
  const parts = [
    `class histograms of JVM pid ${a.pid} (jcmd GC.class_histogram, each after a full GC) at ${fmtMs(a.t)} and ${fmtMs(b.t)} into the load` +
      (requests > 0 ? `, ${requests} requests apart` : ''),
    `live heap ${a.histogram.totalBytes} -> ${b.histogram.totalBytes} bytes (${signed(all.totalBytesDelta)})`,
    app
      ? `top growing application class: ${app.name} (${signed(app.countDelta)} instances, ${signed(app.bytesDelta)} bytes` +
        (requests > 0 ? `, ${(app.countDelta / requests).toFixed(2)} per request` : '') +
        ')'
      : `no application class grew by ${floor} bytes or more`,
    `jcmd took ${Math.round(a.ms)} ms and ${Math.round(b.ms)} ms`,
    ...(opts.notes ?? []),
  ];
  return { kind: 'jvm', growing: [...growing, ...extra].map(item), note: parts.join('; ') };
}

/** The flag that keeps the heap committed after a full GC. */
export const KEEP_HEAP_FLAG = '-XX:MaxHeapFreeRatio=100';

/**
 * JDK_JAVA_OPTIONS with KEEP_HEAP_FLAG first, so the user's own options (and the command line,
 * which the launcher reads after JDK_JAVA_OPTIONS) still win. Read by the `java` launcher of Java
 * 9+ only (not by Java 8, nor by a custom launcher).
 */
export function keepHeapJavaOptions(existing: string | undefined): string {
  const rest = (existing ?? '').trim();
  return rest === '' ? KEEP_HEAP_FLAG : `${KEEP_HEAP_FLAG} ${rest}`;
}

/** The app's JVM: the target itself or a JVM in its tree (see chooseJvmProcess). */
function findJvm(target: Target): number {
  const tree = scanProcessTree(target.pid, { pgid: target.pgid });
  const pid = chooseJvmProcess(tree, (p) => isJvmProcess(p, tree.find((t) => t.pid === p)?.comm));
  if (pid === null) {
    const seen = tree.map((p) => `${p.pid} ${p.comm}`).join(', ') || 'none alive';
    throw new Error(`runtime: jvm: no JVM in the app's process tree (processes: ${seen}); is the app a Java program?`);
  }
  return pid;
}

/** comm `java`, or libjvm.so mapped (a jpackage or custom launcher). */
function isJvmProcess(pid: number, comm: string | undefined): boolean {
  if (comm === 'java') return true;
  try {
    return readFileSync(`/proc/${pid}/maps`, 'latin1').includes('/libjvm.so');
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X' && state !== '';
  } catch {
    return false;
  }
}

/** `jcmd` along PATH, else $JAVA_HOME/bin/jcmd; '' when neither is executable. */
export function findJcmd(env: NodeJS.ProcessEnv): string {
  const onPath = findExecutable('jcmd', env.PATH);
  if (onPath) return onPath;
  const inJavaHome = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'jcmd') : '';
  return inJavaHome && isExecutableFile(inJavaHome) ? inJavaHome : '';
}

/** Runs `jcmd <pid> GC.class_histogram`; rejects with jcmd's own message and a hint for attach failures. */
function runJcmd(jcmd: string, pid: number, timeoutMs: number, running: Set<ChildProcess>, commands: readonly string[] = ['GC.class_histogram']): Promise<string> {
  // Several commands run in one jcmd (one JVM start) from a file: `jcmd <pid> -f <file>`.
  const args = commands.length === 1 ? [String(pid), commands[0]!] : [String(pid), '-f', commandFile(commands)];
  return new Promise((resolve, reject) => {
    const child = execFile(
      jcmd,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        running.delete(child);
        if (!err) return resolve(stdout);
        const said = `${stdout}\n${stderr}`.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^\d+:$/.test(l) && !l.startsWith('at ')).slice(0, 3).join(' | ');
        const timedOut = (err as { killed?: boolean }).killed ? ` (killed after ${timeoutMs} ms)` : '';
        const hint = /AttachNotSupported|Unable to open socket|not respond/i.test(said)
          ? '; the JVM did not answer the attach request: jcmd must run as the JVM\'s user (or root) and see its /tmp (/tmp/.java_pid<pid>); ' +
            'a JVM started with -XX:+DisableAttachMechanism or -Xrs cannot be attached (-XX:+StartAttachListener opens the socket at startup)'
          : '';
        reject(new Error(`jcmd ${pid} ${commands.join(' + ')} failed${timedOut}: ${said || errorMessage(err)}${hint}`));
      },
    );
    running.add(child);
  });
}

function signed(n: number): string {
  return n >= 0 ? `+${n}` : String(n);
}

function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/**
 * A jcmd command file (one command a line), written once per distinct list into one temp directory of this
 * process, which is removed when the process exits.
 */
const commandFiles = new Map<string, string>();
let commandDir: string | null = null;
function commandFile(commands: readonly string[]): string {
  const text = `${commands.join('\n')}\n`;
  let path = commandFiles.get(text);
  if (!path) {
    if (commandDir === null) {
      const dir = mkdtempSync(join(tmpdir(), 'leakgate-jcmd-'));
      commandDir = dir;
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    }
    path = join(commandDir, `commands-${commandFiles.size + 1}`);
    writeFileSync(path, text);
    commandFiles.set(text, path);
  }
  return path;
}
