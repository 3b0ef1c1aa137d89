// Native mode: the argv that runs the app under valgrind memcheck, valgrind massif or heaptrack, where
// each tool writes its output, and finding the tools on PATH.
// Pure except the default isExecutable check and requireNativeTool, which look at the file system.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { findExecutable, isExecutableFile } from '../process/find-executable.js';
import type { HeapProfilerTool } from './heap-profiler.js';

export type NativeTool = 'memcheck' | 'massif' | 'heaptrack';
/** jemalloc and tcmalloc are not wrappers but preloaded allocators: see heap-profiler.ts. */
export type NativeMode = NativeTool | HeapProfilerTool | 'off';
export const NATIVE_MODES: readonly NativeMode[] = ['memcheck', 'massif', 'heaptrack', 'jemalloc', 'tcmalloc', 'off'];

/** What leakgate needs to know about a tool: what to look for on PATH and how to install it. */
export interface NativeToolInfo {
  /** The executable that must be on PATH. */
  executable: string;
  /** Further executables the analysis runs afterwards (also on PATH). */
  helpers: readonly string[];
  /** The Debian/Ubuntu package that holds them. */
  debianPackage: string;
  /** One line telling how to install the tool. */
  installHint: string;
}

const apt = (pkg: string): string => `sudo apt-get install -y ${pkg} (Debian/Ubuntu)`;

export const NATIVE_TOOLS: Readonly<Record<NativeTool, NativeToolInfo>> = {
  memcheck: {
    executable: 'valgrind',
    helpers: ['vgdb'],
    debianPackage: 'valgrind',
    installHint: apt('valgrind'),
  },
  massif: {
    executable: 'valgrind',
    helpers: [],
    debianPackage: 'valgrind',
    installHint: apt('valgrind'),
  },
  heaptrack: {
    executable: 'heaptrack',
    helpers: ['heaptrack_print'],
    debianPackage: 'heaptrack',
    installHint: apt('heaptrack'),
  },
};

/** Where heaptrack's pieces live; leakgate uses the preload library and interpreter directly. */
export interface HeaptrackPaths {
  /** libheaptrack_preload.so: records every allocation of the process it is preloaded into. */
  preloadLibrary: string;
  /** heaptrack_interpret: turns the raw recording into the file heaptrack_print reads. */
  interpreter: string;
  heaptrackPrint: string;
}

export interface WrapOptions {
  /** Absolute directory for the tool's output (the app runs in its own cwd). */
  outDir: string;
  /** Valgrind suppression files (absolute paths); memcheck only. */
  suppressions?: string[];
  /** Extra valgrind options, placed before the app's command; memcheck and massif only. */
  extraArgs?: string[];
  /** The valgrind executable; default 'valgrind' (looked up on PATH by spawn). */
  valgrind?: string;
  /** Required for heaptrack: from requireNativeTool('heaptrack'). */
  heaptrack?: Pick<HeaptrackPaths, 'preloadLibrary'>;
  /** An LD_PRELOAD the app already gets; kept after heaptrack's library. */
  ldPreload?: string;
}

export interface WrappedCommand {
  mode: NativeMode;
  /** The argv to spawn: no shell involved. Equal to the app's command when mode is 'off'. */
  command: string[];
  /**
   * Where the tool writes, '%p' standing for the pid of the spawned process (valgrind runs the app
   * in the process it was started as, so that is the app's pid); see outputFileForPid. memcheck:
   * XML written as the app runs, complete at exit. massif: written at exit only. heaptrack: the raw
   * recording, written as the app runs; readHeaptrackSummary interprets it. Null when 'off'.
   */
  outputFile: string | null;
  /** Warnings for the log: options that do not apply, commands that hide the app from the tool. */
  notes: string[];
}

/** Commands that start the app as a child: the tool would profile them, not the app. */
const LAUNCHERS = new Set([
  'sh', 'bash', 'dash', 'zsh', 'ksh', 'fish', 'make', 'gmake', 'npm', 'npx', 'yarn', 'pnpm', 'env',
  'nohup', 'sudo', 'timeout', 'nice', 'stdbuf', 'time', 'xargs', 'exec', 'cargo', 'go',
]);

/**
 * Wraps the app's argv in a native tool.
 *
 * The command must exec the app binary itself ([./server], not [make, run] or [sh, -c, ./server]):
 * valgrind runs without --trace-children=yes, because with it every process the command starts
 * (shell, make, compilers, a curl in a script) runs 20-50x slower, writes a report of its own and
 * contributes its own leaks, and the wrapper still stands between leakgate's SIGTERM and the app.
 * heaptrack's preload library likewise drops itself from the environment of children. Pass
 * '--trace-children=yes' in extraArgs to opt in anyway (each process then writes its own %p file).
 *
 * heaptrack is not run through its `heaptrack` script: that script runs the app as a child of a
 * shell, next to heaptrack_interpret and zstd in the same process group. leakgate stops the app with
 * SIGTERM to the group, which kills the interpreter too and leaves an empty file (measured), and the
 * interpreter's own memory (50-100 MB) would be sampled as the app's. Instead the app runs with
 * LD_PRELOAD=libheaptrack_preload.so and DUMP_HEAPTRACK_OUTPUT=<file> (what the script sets), as the
 * only process, and readHeaptrackSummary interprets the raw file after it exits.
 */
export function wrapNativeCommand(mode: NativeMode, command: readonly string[], opts: WrapOptions): WrappedCommand {
  checkCommand(command);
  if (mode === 'off') return { mode, command: [...command], outputFile: null, notes: [] };
  if (!NATIVE_MODES.includes(mode)) {
    throw new ConfigError(`native: unknown mode '${short(String(mode))}'; valid: ${NATIVE_MODES.join(', ')}`);
  }
  if (mode === 'jemalloc' || mode === 'tcmalloc') throw new Error(`native: ${mode} preloads an allocator rather than wrapping the command: use heapProfilerEnv`);
  checkOutDir(opts.outDir);
  const suppressions = opts.suppressions ?? [];
  const extraArgs = opts.extraArgs ?? [];
  for (const file of suppressions) {
    if (!isAbsolute(file)) throw new ConfigError(`native: suppression file must be an absolute path, got '${short(file)}'`);
  }
  const notes = launcherNotes(mode, command);
  const valgrind = opts.valgrind ?? 'valgrind';
  const common = ['--child-silent-after-fork=yes', ...extraArgs];
  if (mode === 'memcheck') {
    const outputFile = join(opts.outDir, 'memcheck.%p.xml');
    return {
      mode,
      command: [
        valgrind, '--tool=memcheck', '--leak-check=full', '--show-leak-kinds=all', '--errors-for-leak-kinds=definite',
        '--xml=yes', `--xml-file=${outputFile}`, '--vgdb=yes', '--num-callers=20',
        ...suppressions.map((file) => `--suppressions=${file}`), ...common, '--', ...command,
      ],
      outputFile,
      notes,
    };
  }
  if (suppressions.length > 0) {
    notes.push(mode === 'massif'
      ? 'native: suppressions apply to memcheck only; massif profiles every allocation'
      : "native: heaptrack takes LSan-format suppressions ('leak:pattern' lines) when its output is read, not valgrind's");
  }
  if (mode === 'massif') {
    const outputFile = join(opts.outDir, 'massif.out.%p');
    return {
      mode,
      // --time-unit=ms: snapshot times line up with the load timeline (the default counts instructions).
      // --detailed-freq=1: every snapshot keeps its allocation tree, so a site's growth can be followed
      //   across the run; trees are cut at the 1% threshold and culled to --max-snapshots, so the file
      //   stays around 100 KB. --max-snapshots=100 is the default, spelled out because the parser and the
      //   report rely on it. --stacks stays off (it is several times slower); heap only.
      command: [
        valgrind, '--tool=massif', `--massif-out-file=${outputFile}`, '--time-unit=ms', '--detailed-freq=1',
        '--max-snapshots=100', '--threshold=1.0', ...common, '--', ...command,
      ],
      outputFile,
      notes,
    };
  }
  if (extraArgs.length > 0) {
    throw new ConfigError(`native: extra arguments are valgrind options; heaptrack takes none (got '${short(extraArgs.join(' '))}')`);
  }
  const preload = opts.heaptrack?.preloadLibrary;
  if (preload === undefined || !isAbsolute(preload)) {
    throw new Error(`native: heaptrack needs the absolute path of libheaptrack_preload.so (from requireNativeTool), got '${short(String(preload))}'`);
  }
  const outputFile = join(opts.outDir, 'heaptrack.leakgate.raw');
  const ldPreload = opts.ldPreload ? `${preload}:${opts.ldPreload}` : preload;
  return {
    mode,
    command: ['env', `LD_PRELOAD=${ldPreload}`, `DUMP_HEAPTRACK_OUTPUT=${outputFile}`, ...command],
    outputFile,
    notes,
  };
}

/** The tool's output file for the spawned process's pid ('%p' is valgrind's pid placeholder). */
export function outputFileForPid(outputFile: string, pid: number): string {
  return outputFile.split('%p').join(String(pid));
}

function checkCommand(command: readonly string[]): void {
  if (!Array.isArray(command) || command.length === 0 || command.some((arg) => typeof arg !== 'string')) {
    throw new ConfigError(`native: the app command must be a non-empty list of strings, got ${short(JSON.stringify(command) ?? String(command))}`);
  }
  if (command[0] === '') throw new ConfigError("native: the app command's first element (the program) is empty");
}

function checkOutDir(outDir: string): void {
  if (typeof outDir !== 'string' || !isAbsolute(outDir)) {
    throw new Error(`native: outDir must be an absolute path (the app runs in its own working directory), got '${short(String(outDir))}'`);
  }
  // valgrind expands %p, %q{VAR} and %% in file names; refusing '%' keeps the names literal.
  if (outDir.includes('%')) throw new Error(`native: outDir must not contain '%' (valgrind expands it in file names), got '${short(outDir)}'`);
}

function launcherNotes(mode: NativeTool, command: readonly string[]): string[] {
  const program = basename(command[0]);
  if (!LAUNCHERS.has(program)) return [];
  const tool = mode === 'heaptrack' ? 'heaptrack' : `valgrind ${mode}`;
  return [
    `native: the app command starts with '${program}', so ${tool} profiles '${program}' and not the app it starts; ` +
      `make the command run the app binary itself (for example [./server]), or the ${mode} report will not show the app's leaks`,
  ];
}

export { findExecutable, isExecutableFile };

/**
 * Where the heaptrack script finds its library and interpreter: it sets LIB_REL_PATH and
 * LIBEXEC_REL_PATH relative to its own directory at build time ('../lib/heaptrack' on Debian,
 * other layouts elsewhere). Reads them from the script's text; falls back to Debian's layout.
 */
export function heaptrackPathsFromScript(scriptText: string, scriptRealPath: string): Omit<HeaptrackPaths, 'heaptrackPrint'> {
  const rel = (key: string, fallback: string): string =>
    new RegExp(`^\\s*${key}="([^"$\`]*)"`, 'm').exec(scriptText)?.[1] ?? fallback;
  const dir = dirname(scriptRealPath);
  const lib = resolve(dir, rel('LIB_REL_PATH', '../lib/heaptrack'));
  const libexec = resolve(dir, rel('LIBEXEC_REL_PATH', '../lib/heaptrack/libexec'));
  return { preloadLibrary: join(lib, 'libheaptrack_preload.so'), interpreter: join(libexec, 'heaptrack_interpret') };
}

export interface NativeToolPaths {
  tool: NativeTool;
  /** Absolute path of the tool's executable. */
  executable: string;
  /** Set for heaptrack. */
  heaptrack?: HeaptrackPaths;
}

/**
 * Finds the tool (and, for heaptrack, its print tool, preload library and interpreter) or throws a
 * ConfigError that says how to install it, e.g. "native: heaptrack needs 'heaptrack' on PATH;
 * install it with: sudo apt-get install -y heaptrack (Debian/Ubuntu)".
 */
export function requireNativeTool(tool: NativeTool, env: NodeJS.ProcessEnv = process.env): NativeToolPaths {
  const info = NATIVE_TOOLS[tool];
  if (info === undefined) throw new ConfigError(`native: unknown tool '${short(String(tool))}'; valid: memcheck, massif, heaptrack`);
  const need = (name: string): string => {
    const found = findExecutable(name, env.PATH);
    if (found === null) throw new ConfigError(`native: ${tool} needs '${name}' on PATH; install it with: ${info.installHint}`);
    return found;
  };
  const executable = need(info.executable);
  for (const helper of info.helpers) need(helper);
  if (tool !== 'heaptrack') return { tool, executable };
  const script = realpathSync(executable);
  let text = '';
  try {
    text = readFileSync(script, 'utf8').slice(0, 100_000);
  } catch {
    // unreadable: Debian's layout
  }
  const paths = heaptrackPathsFromScript(text, script);
  for (const [what, file] of [['preload library', paths.preloadLibrary], ['interpreter', paths.interpreter]] as const) {
    const ok = what === 'interpreter' ? isExecutableFile(file) : safeIsFile(file);
    if (!ok) {
      throw new ConfigError(`native: heaptrack's ${what} is not at ${file} (looked next to ${script}); install it with: ${info.installHint}`);
    }
  }
  return { tool, executable, heaptrack: { ...paths, heaptrackPrint: need('heaptrack_print') } };
}

function safeIsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}
