// Every key of leakgate.yml described as data: name, type, default, valid values, one line of documentation and an
// example. docs/configuration.md is generated from this table (npm run docs), and a test checks that every key the
// validators in config.ts and sections.ts accept has a row here, so the docs cannot silently fall behind the schema.
// Valid values come from the validators' own constants wherever they have one.
import { ANALYSIS_METRICS } from '../core/types.js';
import { NATIVE_MODES } from '../native/wrap-command.js';
import { REQUEST_MODES } from '../load/request-mix.js';
import { DEFAULT_FAIL_ON, FAIL_ON_VALUES } from './config.js';
import { ABORT_FROM, COMMENT_MODES, DEFAULT_STORE_BRANCH, DEFAULT_STORE_FILE, LOAD_TOOLS, RUNTIME_KINDS, STORE_KINDS } from './sections.js';

export type KeyType =
  | 'string'
  | 'boolean'
  | 'number'
  | 'integer'
  | 'duration'
  | 'size'
  | 'enum'
  | 'list'
  | 'mapping'
  | 'command'
  | 'url';

export interface ConfigKeyDoc {
  /** Dotted path in leakgate.yml; `[]` marks the items of a list (load.requests[].path). */
  key: string;
  type: KeyType;
  /** The default as a user would write it; '—' when the key is optional with no default. */
  default: string;
  /** What is accepted: the enum's values, a range, a format. */
  values: string;
  doc: string;
  /** A YAML value for this key (shown in the docs as `key: example`). */
  example: string;
  /** The CLI flag and Action input that set this key, when there is one. */
  flag?: string;
}

const list = (values: readonly string[]): string => values.join(' | ');

/** The sections in the order the docs present them, each with a sentence of introduction. */
export const CONFIG_SECTIONS: ReadonlyArray<{ prefix: string; title: string; intro: string }> = [
  { prefix: '', title: 'Top level', intro: 'Settings of the gate as a whole.' },
  { prefix: 'app', title: 'app: the program under test', intro: 'How to start the app, when it is ready, and how to stop it. The whole process group is stopped after each trial.' },
  { prefix: 'load', title: 'load: the traffic', intro: 'What load to send and for how long. autocannon runs in-process by default; k6 or any command can replace it (see docs/load-tools.md).' },
  { prefix: 'sample', title: 'sample: reading memory', intro: 'How often the process tree\'s memory is read from /proc.' },
  { prefix: 'analysis', title: 'analysis: the statistics', intro: 'The trend test and the floors a slope must clear to be called a leak (see docs/how-it-decides.md).' },
  { prefix: 'baseline', title: 'baseline: comparing with the base branch', intro: 'Where baselines come from and how much worse a run may be (see docs/baselines-and-github.md).' },
  { prefix: 'runtime', title: 'runtime: the language runtime\'s heap', intro: 'Reads the runtime\'s own heap beside process memory. `runtime: node` is short for `runtime: { kind: node }`.' },
  { prefix: 'native', title: 'native: valgrind and heaptrack', intro: 'Runs the app under a native memory tool. `native: memcheck` is short for `native: { tool: memcheck }` (see docs/runtimes-and-native.md).' },
  { prefix: 'cgroup', title: 'cgroup: the memory cgroup', intro: 'A fresh memory cgroup with a limit for the app, and cgroup figures in the samples.' },
];

export const CONFIG_KEYS: readonly ConfigKeyDoc[] = [
  // Top level
  { key: 'name', type: 'string', default: 'default', values: '1-64 letters, digits, `.`, `_`, `-`, starting with a letter or digit', doc: 'Names the gate: the report, the PR comment (one sticky comment per name) and the stored baselines.', example: 'my-api', flag: 'name' },
  { key: 'trials', type: 'integer', default: '1', values: '1 to 100', doc: 'Trials to run; each restarts the app. The verdict combines them.', example: '3', flag: 'trials' },
  { key: 'confirm-trials', type: 'integer', default: '0', values: '0 to 20', doc: 'Extra trials run before failing on a leak or regression found by a small margin.', example: '2', flag: 'confirm-trials' },
  { key: 'memory-limit', type: 'size', default: "the app's cgroup limit, if any", values: 'at least 1 MiB', doc: 'Memory limit for the projection "at this rate the limit is reached in N minutes".', example: '512MiB', flag: 'memory-limit' },
  { key: 'fail-on', type: 'list', default: DEFAULT_FAIL_ON.join(', '), values: `one or more of ${list(FAIL_ON_VALUES)} (a list or a comma-separated string); \`none\` alone`, doc: 'What fails the gate. `inconclusive` (too little data) is on by default: no silent passes. `[none]` reports without failing.', example: '[leak, oom, inconclusive, regression, native-leak]', flag: 'fail-on' },
  { key: 'report', type: 'string', default: 'leakgate-report.json', values: 'a file path', doc: 'Where the JSON report is written: the single source of every other output.', example: 'leakgate-report.json', flag: 'report (input report-path)' },
  { key: 'accept.label', type: 'string', default: 'leakgate-accept', values: 'a label name, 1 to 50 characters', doc: 'A PR label that accepts a measured growth when a maintainer with write access added it (docs/history.md).', example: 'leakgate-accept' },
  { key: 'accept.comments', type: 'boolean', default: 'true', values: 'true, false', doc: 'Whether a `/leakgate accept <reason>` comment by a maintainer with write access accepts a measured growth.', example: 'true' },
  { key: 'accept.bytes-per-request', type: 'number', default: '—', values: 'at least 0', doc: 'A config-level acceptance: the slope accepted (B/req); needs reason and expires.', example: '120' },
  { key: 'accept.peak', type: 'size', default: '—', values: 'a size', doc: 'A config-level acceptance: the peak memory accepted.', example: '300MiB' },
  { key: 'accept.reason', type: 'string', default: '—', values: 'text', doc: 'Why the growth is intended (shown in the summary); required with an accept entry.', example: 'the new session cache' },
  { key: 'accept.expires', type: 'string', default: '—', values: 'a date YYYY-MM-DD', doc: 'After this date the config-level acceptance no longer applies.', example: '2027-01-31' },
  { key: 'history.limit', type: 'integer', default: '50', values: '8 to 1000', doc: 'Stored runs the drift test and `leakgate history` read.', example: '50' },
  { key: 'history.drift-threshold', type: 'number', default: '3.75', values: '1 to 20', doc: 'The change-point statistic above which a sustained shift is called drift (fail-on drift).', example: '3.75' },
  { key: 'history.publish', type: 'boolean', default: 'false', values: 'true, false', doc: 'Commit the static history pages onto the baseline branch (history/), for GitHub Pages.', example: 'false' },
  { key: 'comment', type: 'enum', default: 'always', values: list(COMMENT_MODES), doc: 'When the Action posts or updates its sticky PR comment.', example: 'on-regression', flag: 'comment' },
  { key: 'prometheus', type: 'mapping', default: '—', values: 'url, query, canary-query, baseline-query, requests-query, limit-query, limit, range, step, end, timeout, bearer-token-env, basic-auth, ca-file, insecure, headers, restart-drop, gap-steps, slope-tolerance', doc: 'Settings of `leakgate analyze` (memory trends and canary against stable from Prometheus); ignored by `leakgate run`. See docs/prometheus.md.', example: '{ url: http://prometheus:9090, query: container_memory_working_set_bytes }' },

  // app
  { key: 'app.command', type: 'command', default: '— (required unless app.attach)', values: 'a list of arguments; one string when `app.shell` is true', doc: 'The command that starts the app. Run without a shell unless `app.shell` is true.', example: '[node, server.js]', flag: 'command (or the words after --)' },
  { key: 'app.attach', type: 'mapping', default: '—', values: '`{ pid: N }`, `{ pid-file: PATH }`, `{ cgroup: PATH }` or `{ container: NAME, engine: auto|docker|podman }` (or a bare pid)', doc: 'Measure an app started elsewhere instead of starting one: leakgate samples its cgroup or process tree and neither starts nor stops it (docs/attach.md).', example: '{ container: api }' },
  { key: 'app.restart', type: 'command', default: '—', values: 'a list of arguments', doc: 'With app.attach: a command run before every trial after the first (to restart the app), then leakgate attaches again.', example: '[docker, compose, restart, api]' },
  { key: 'app.shell', type: 'boolean', default: 'false', values: 'true, false', doc: 'Run `app.command` (then one string) through /bin/sh -c.', example: 'false', flag: 'shell' },
  { key: 'app.cwd', type: 'string', default: '.', values: 'a directory, relative to the config file', doc: 'Where the app starts.', example: '.', flag: 'cwd' },
  { key: 'app.env', type: 'mapping', default: '{}', values: 'variable names (letters, digits, `_`) to strings or numbers', doc: 'Extra environment variables for the app. Values whose names look secret are redacted in the report.', example: '{ PORT: 3000 }', flag: 'env KEY=VALUE (repeatable)' },
  { key: 'app.ready.url', type: 'url', default: '—', values: 'an http:// or https:// URL', doc: 'Ready when this URL answers with a status below 500. Set exactly one of url, port or log.', example: 'http://127.0.0.1:3000/healthz', flag: 'ready-url' },
  { key: 'app.ready.port', type: 'integer', default: '—', values: '1 to 65535', doc: 'Ready when this TCP port accepts connections.', example: '3000', flag: 'ready-port' },
  { key: 'app.ready.log', type: 'string', default: '—', values: 'a regular expression', doc: "Ready when a line of the app's output matches.", example: "'listening on'", flag: 'ready-log' },
  { key: 'app.ready.host', type: 'string', default: '127.0.0.1', values: 'a host name or address', doc: 'Host that `app.ready.port` is probed on.', example: '127.0.0.1' },
  { key: 'app.ready.timeout', type: 'duration', default: '30s', values: '100ms to 1h', doc: 'Give up waiting for readiness after this long (multiplied by native.slowdown under a native tool).', example: '30s', flag: 'ready-timeout' },
  { key: 'app.stop-grace', type: 'duration', default: '5s', values: '0s to 10m', doc: 'After SIGTERM, wait this long before SIGKILL to the whole process group.', example: '5s' },

  // load
  { key: 'load.tool', type: 'enum', default: 'autocannon', values: list(LOAD_TOOLS), doc: 'The load generator: autocannon in-process, a k6 script, any command, or WebSocket sessions.', example: 'autocannon' },
  { key: 'load.url', type: 'url', default: 'the origin of app.ready.url', values: 'an http:// or https:// URL (loopback); ws:// or wss:// with load.tool websocket', doc: 'The URL to send load to. Required unless app.ready.url is set (always with websocket).', example: 'http://127.0.0.1:3000/', flag: 'url' },
  { key: 'load.duration', type: 'duration', default: '30s', values: '1s to 6h, and at least 8 sample intervals', doc: 'Load per trial. With k6, given only when set (k6 replaces a script\'s stages with constant VUs when given --duration).', example: '30s', flag: 'duration' },
  { key: 'load.amount', type: 'integer', default: '—', values: 'at least 1', doc: 'Stop each trial after this many requests (or at load.duration, whichever comes first).', example: '100000', flag: 'amount' },
  { key: 'load.connections', type: 'integer', default: '10', values: '1 to 10000', doc: 'Concurrent connections (autocannon).', example: '10', flag: 'connections' },
  { key: 'load.pipelining', type: 'integer', default: '1', values: '1 to 1000', doc: 'Requests in flight per connection (autocannon).', example: '1' },
  { key: 'load.timeout', type: 'duration', default: '10s', values: '100ms to 10m', doc: 'Per-request timeout.', example: '10s' },
  { key: 'load.requests', type: 'list', default: '— (GET load.url)', values: 'a non-empty list of requests', doc: 'Requests to send instead of GET load.url (autocannon).', example: '[{ method: GET, path: /items }]' },
  { key: 'load.requests[].method', type: 'enum', default: 'GET', values: 'GET | HEAD | POST | PUT | PATCH | DELETE | OPTIONS', doc: 'HTTP method of the request.', example: 'POST' },
  { key: 'load.requests[].path', type: 'string', default: '/', values: "a path starting with '/', may hold `{id}`", doc: "Appended to load.url's origin; `{id}` is replaced by one of `ids`.", example: "'/items/{id}'" },
  { key: 'load.requests[].headers', type: 'mapping', default: '{}', values: 'header names to values', doc: 'Request headers. Values whose names look secret are redacted in the report.', example: '{ content-type: application/json }' },
  { key: 'load.requests[].body', type: 'string', default: '—', values: 'a string, or a mapping sent as JSON', doc: 'Request body.', example: "'{\"name\":\"x\"}'" },
  { key: 'load.requests[].weight', type: 'number', default: '1', values: '0.001 to 1000000', doc: 'Share of this request in a mix (a weight makes load.mix default to mix).', example: '3' },
  { key: 'load.requests[].ids', type: 'list', default: '—', values: 'a non-empty list of strings or numbers', doc: 'Values substituted for `{id}` in the path and body, in turn.', example: '[a1, b2, c3]' },
  { key: 'load.mix', type: 'enum', default: 'sequence (mix when a weight is given)', values: list(REQUEST_MODES), doc: 'sequence: load.requests in order per connection; mix: interleaved by weight. autocannon only.', example: 'mix' },
  { key: 'load.rate', type: 'number', default: '— (closed loop)', values: '0.1 to 10000000 requests/s', doc: 'Constant rate over all connections instead of a closed loop. autocannon only.', example: '2000' },
  { key: 'load.warmup.duration', type: 'duration', default: '5s', values: '500ms to 1h', doc: 'A gentler phase before the measured load (set load.warmup to use it). autocannon only.', example: '5s' },
  { key: 'load.warmup.rate', type: 'number', default: '50', values: '0.1 to 10000000 requests/s', doc: 'Rate of the warm-up phase.', example: '100' },
  { key: 'load.reconnect-every', type: 'integer', default: '50', values: '0 (keep connections) or more', doc: 'Requests per connection before it is closed and reopened, so per-connection state is set up and torn down all through the load (docs/workloads.md). autocannon only.', example: '50' },
  { key: 'load.abort.share', type: 'number', default: '— (required with load.abort)', values: '0.001 to 0.9', doc: 'Share of requests the client aborts, counted apart from errors (docs/workloads.md). autocannon only.', example: '0.1' },
  { key: 'load.abort.after', type: 'duration', default: '5ms', values: '0 to 1m', doc: 'How long after load.abort.from the request is destroyed.', example: '5ms' },
  { key: 'load.abort.from', type: 'enum', default: 'response', values: list(ABORT_FROM), doc: 'response: after the response headers arrived (mid-response); request: after it was sent (a client timeout).', example: 'response' },
  { key: 'load.messages', type: 'list', default: "['ping']", values: 'a non-empty list of strings', doc: 'WebSocket messages sent in turn, each awaiting one reply. websocket only.', example: "['hello']" },
  { key: 'load.per-session', type: 'integer', default: 'the number of messages', values: '1 to 1000000', doc: 'Messages exchanged per WebSocket session before it is closed. websocket only.', example: '4' },
  { key: 'load.sessions', type: 'integer', default: '10', values: '1 to 10000', doc: 'WebSocket sessions open at once. websocket only.', example: '10' },
  { key: 'load.script', type: 'string', default: '— (required with k6)', values: 'a file path', doc: 'The k6 script to run. k6 only.', example: 'load.js' },
  { key: 'load.vus', type: 'integer', default: "the script's", values: '1 to 100000', doc: 'k6 virtual users. k6 only.', example: '10' },
  { key: 'load.max-duration', type: 'duration', default: '30m', values: '1s to 6h', doc: "Hard limit on a k6 script's own run length when load.duration is not set. k6 only.", example: '30m' },
  { key: 'load.args', type: 'list', default: '[]', values: 'a list of strings', doc: 'Extra arguments for the load tool.', example: '[--quiet]' },
  { key: 'load.run', type: 'command', default: '— (required with command)', values: 'a list of arguments', doc: 'The load command. command only.', example: '[wrk, -t2, -c10, -d30s, http://127.0.0.1:3000/]' },
  { key: 'load.counter.url', type: 'url', default: '—', values: 'an http:// URL', doc: 'Where the request count comes from: an endpoint returning it (JSON with `field`, or a number). Set one of url, regex or file; without a counter the analysis runs over time.', example: 'http://127.0.0.1:3000/stats' },
  { key: 'load.counter.regex', type: 'string', default: '—', values: 'a regular expression with a capturing group', doc: "Matched on the load command's output; the group is the count.", example: "'(\\d+) requests'" },
  { key: 'load.counter.file', type: 'string', default: '—', values: 'a file path', doc: 'A file the load command writes the count to (JSON with `field`, or a number).', example: 'out.json' },
  { key: 'load.counter.field', type: 'string', default: '—', values: 'a field name', doc: 'The JSON field holding the count (url or file counters).', example: 'requests' },

  // sample
  { key: 'sample.interval', type: 'duration', default: '250ms', values: '20ms to 10s (bare numbers are milliseconds)', doc: 'How often the process tree is sampled.', example: '250ms', flag: 'interval' },

  // analysis
  { key: 'analysis.metric', type: 'enum', default: 'auto', values: `auto, ${list(ANALYSIS_METRICS)}`, doc: "Which signal decides. `auto`: every signal the runtime offers (anonymous memory, and the live heap after a forced GC for Node and the JVM), one verdict with Holm's correction over them. A metric pins that one signal: anonymous memory, RSS, PSS, USS, or the heap after a forced GC.", example: 'auto', flag: 'metric' },
  { key: 'analysis.min-heap-bytes-per-request', type: 'number', default: '8', values: 'at least 0', doc: "The heap signal's floor: its interval's lower bound must exceed this to call a leak (live bytes after GC are exact, so it sits below anon's 32).", example: '8' },
  { key: 'analysis.stop-early', type: 'boolean', default: 'false', values: 'true, false', doc: "Stop the load once the verdict is settled: looks every `analysis.checkpoint` after `analysis.min-load`, each tested at the alpha spent (Hwang-Shih-DeCani, gamma -2) since the look before; `load.duration` is the budget.", example: 'true' },
  { key: 'analysis.min-load', type: 'duration', default: '10s', values: '1s to 6h', doc: 'The load runs at least this long before the first look.', example: '10s' },
  { key: 'analysis.checkpoint', type: 'duration', default: '5s', values: '500ms to 1h', doc: 'Time between two looks.', example: '5s' },
  { key: 'analysis.warmup', type: 'number', default: '0.25', values: '0 to 0.6', doc: 'At least this share of requests is warm-up and not fitted.', example: '0.25', flag: 'warmup' },
  { key: 'analysis.warmup-mode', type: 'enum', default: 'auto', values: 'auto | fixed', doc: 'auto: also detect where growth settles (up to 60% of requests); fixed: only the share.', example: 'auto' },
  { key: 'analysis.alpha', type: 'number', default: '0.01', values: '1e-9 to 0.5', doc: 'Significance level of the trend test (Mann-Kendall).', example: '0.01' },
  { key: 'analysis.confidence', type: 'number', default: '0.95', values: '0.5 to 0.9999', doc: "Confidence of the slope's interval.", example: '0.95' },
  { key: 'analysis.min-bytes-per-request', type: 'number', default: '32', values: 'at least 0', doc: "The interval's lower bound must exceed this to call a leak.", example: '32' },
  { key: 'analysis.min-bytes-per-second', type: 'number', default: '1024', values: 'at least 0', doc: 'The same floor when analysed over time (a load command without a counter): 1 KiB/s is 3.5 MiB an hour.', example: '1024' },
  { key: 'analysis.min-relative-growth', type: 'number', default: '0.02', values: '0 to 100', doc: 'The fitted growth over the analysed window must also exceed this share of the starting memory.', example: '0.02' },
  { key: 'analysis.min-requests', type: 'integer', default: '1000', values: 'at least 1', doc: 'Fewer requests after warm-up: inconclusive.', example: '1000' },
  { key: 'analysis.min-points', type: 'integer', default: '12', values: '4 to 10000', doc: 'Fewer points in the robust series: inconclusive.', example: '12' },

  // baseline
  { key: 'baseline.reports', type: 'list', default: '[]', values: 'a path or a list of paths to JSON reports', doc: 'Reports of earlier runs on the base branch to compare with, relative to where leakgate runs (a missing file means no baseline yet).', example: '[baseline/leakgate-report.json]', flag: 'baseline' },
  { key: 'baseline.alpha', type: 'number', default: '0.01', values: '1e-9 to 0.5', doc: 'Significance level of the regression test.', example: '0.01' },
  { key: 'baseline.relative-tolerance', type: 'number', default: '0.2', values: '0 to 100', doc: 'A regression must exceed this share of the baseline value ...', example: '0.2' },
  { key: 'baseline.absolute-tolerance', type: 'number', default: '32', values: 'at least 0 (bytes per request)', doc: '... and this many bytes per request (slope).', example: '32' },
  { key: 'baseline.peak-tolerance', type: 'size', default: '8MiB', values: 'at least 0', doc: '... and this much peak memory (peak-regression).', example: '8MiB' },
  { key: 'baseline.min-history', type: 'integer', default: '3', values: '1 to 1000', doc: 'Fewer baseline trials: the comparison advises, it does not fail.', example: '3' },
  { key: 'baseline.store', type: 'enum', default: 'none', values: list(STORE_KINDS), doc: 'Where baselines are saved and loaded.', example: 'branch', flag: 'baseline-store' },
  { key: 'baseline.path', type: 'string', default: DEFAULT_STORE_FILE, values: 'a file path', doc: 'The file store (written only with save: true).', example: DEFAULT_STORE_FILE },
  { key: 'baseline.branch', type: 'string', default: DEFAULT_STORE_BRANCH, values: 'a git branch name', doc: 'The branch store\'s branch.', example: DEFAULT_STORE_BRANCH, flag: 'baseline-branch' },
  { key: 'baseline.remote', type: 'string', default: 'the GitHub repository (in Actions), else origin', values: 'a git remote name or URL', doc: 'Where the branch store fetches and pushes.', example: 'origin' },
  { key: 'baseline.base-branch', type: 'string', default: 'the default branch', values: 'a git branch name', doc: 'The branch whose baselines a run compares with outside pull requests.', example: 'main', flag: 'base-branch' },
  { key: 'baseline.save-on', type: 'list', default: "the repository's default branch", values: 'branch names (a list or a comma-separated string)', doc: 'Branches whose pushes save a baseline.', example: '[main]' },
  { key: 'baseline.save', type: 'boolean', default: 'false', values: 'true, false', doc: 'Save this run as a baseline even when it is not a push to a save-on branch (never on a pull request, never after a failed run). The file store is written only then.', example: 'true', flag: 'save-baseline' },
  { key: 'baseline.history', type: 'integer', default: '10', values: '1 to 100', doc: 'Stored runs used for the comparison.', example: '10' },
  { key: 'baseline.fail-on-missing', type: 'boolean', default: 'false', values: 'true, false', doc: 'Fail the gate when no baseline exists yet.', example: 'false' },
  { key: 'baseline.ref', type: 'string', default: '— (no A/B)', values: 'a git ref', doc: "Same-runner A/B: build this ref in a worktree and interleave its trials with this run's.", example: 'origin/main' },
  { key: 'baseline.setup', type: 'command', default: '—', values: 'a list of arguments, or one string run by /bin/sh', doc: 'Run in the base worktree before its trials (needs baseline.ref).', example: '[npm, ci]' },
  { key: 'baseline.pairs', type: 'integer', default: '2', values: '1 to 20', doc: 'Pairs of interleaved base/head trials.', example: '2' },

  // runtime
  { key: 'runtime.kind', type: 'enum', default: 'auto', values: list(RUNTIME_KINDS), doc: 'auto: node when app.command runs node, jvm when it runs java, else none. go reads net/http/pprof.', example: 'node', flag: 'runtime' },
  { key: 'runtime.pprof-url', type: 'string', default: 'http://127.0.0.1:<ready port>/debug/pprof', values: 'a loopback http:// URL', doc: "runtime go: the base URL of the app's net/http/pprof handlers (heap after GC and goroutines read from it).", example: 'http://127.0.0.1:6060/debug/pprof' },
  { key: 'runtime.interval', type: 'duration', default: 'load.duration / 32 between 250ms and 1s (1s from 32s of load; with analysis.stop-early, 2 x analysis.min-load / 32, so 625ms), 250ms with runtime go, stretched by runtime.pause-budget', values: '100ms to 10m', doc: 'Shortest interval between heap readings after a forced GC (Node; the JVM reads every 1.5 s or this, whichever is longer).', example: '1s' },
  { key: 'runtime.pause-budget', type: 'number', default: '0.03', values: '0.001 to 0.5', doc: "Most of the app's wall time the forced GCs may take, as the app measures its own gc(): readings slow down for a heap whose GC is slow. With runtime.interval set and no pause-budget, the interval is kept as set.", example: '0.03' },
  { key: 'runtime.snapshots', type: 'boolean', default: 'true when runtime is set, false when auto', values: 'true, false', doc: 'Heap snapshots or class histograms after warm-up, midway and at the end (they pause the app and leave ~40 MB resident).', example: 'true' },
  { key: 'runtime.top', type: 'integer', default: '10', values: '1 to 100', doc: 'Rows of growing classes or allocation sites to report.', example: '10' },

  // native
  { key: 'native.tool', type: 'enum', default: 'off', values: list(NATIVE_MODES), doc: 'Run the app under valgrind memcheck, massif, heaptrack, or at full speed with a jemalloc or tcmalloc heap profile (docs/native-profilers.md).', example: 'memcheck', flag: 'native' },
  { key: 'native.dump-every', type: 'size', default: '4MiB', values: 'a size', doc: 'jemalloc, tcmalloc: dump a heap profile every this many bytes allocated.', example: '4MiB' },
  { key: 'native.binary', type: 'string', default: 'the app command', values: 'a path', doc: 'jemalloc, tcmalloc: the binary whose symbols name the sites (when the command is a wrapper).', example: './server' },
  { key: 'native.slowdown', type: 'number', default: 'memcheck 20, massif 10, heaptrack 3, off 1', values: '1 to 1000', doc: "Multiplier of the readiness timeout and of app.stop-grace (capped at 60 s) for the tool's slowdown.", example: '20' },
  { key: 'native.duration', type: 'duration', default: 'load.duration, at most 20s', values: '2s to 1h', doc: 'Load duration under the tool (the app runs 3-50x slower).', example: '20s' },
  { key: 'native.rate', type: 'number', default: '— (closed loop)', values: '1 to 1000000 requests/s', doc: 'Requests per second under the tool.', example: '200' },
  { key: 'native.connections', type: 'integer', default: '2', values: '1 to 1000', doc: 'Connections under the tool.', example: '2' },
  { key: 'native.suppressions', type: 'list', default: '[]', values: 'paths of valgrind suppression files', doc: 'Suppressions for memcheck.', example: '[app.supp]' },
  { key: 'native.max-lost-bytes', type: 'size', default: '0', values: 'at least 0', doc: 'A leak site fails the gate (native-leak) when its definitely + indirectly lost bytes exceed this.', example: '0' },
  { key: 'native.check-interval', type: 'duration', default: '5s', values: '0s to 10m (0 = only at exit)', doc: 'memcheck: interval of the incremental leak checks (vgdb) during the load.', example: '5s' },
  { key: 'native.frames', type: 'integer', default: '5', values: '1 to 50', doc: "Frames of a leak site's stack that make its fingerprint.", example: '5' },
  { key: 'native.lines', type: 'boolean', default: 'true', values: 'true, false', doc: 'Whether line numbers are part of the fingerprint (false survives edits that move code).', example: 'true' },

  // cgroup
  { key: 'cgroup.limit', type: 'size', default: '— (run where leakgate runs)', values: 'at least 8 MiB', doc: 'Start the app in a fresh memory cgroup with this limit; an OOM kill becomes a verdict.', example: '256MiB', flag: 'cgroup-limit' },
  { key: 'cgroup.sample', type: 'boolean', default: 'false', values: 'true, false', doc: "Sample the app's own memory cgroup at each tick (on a runner it is the whole job's); a fresh one is always sampled.", example: 'false' },
];
