// The bundled Action (dist/index.js) run as a GitHub runner runs it: inputs as INPUT_* variables,
// the job summary and outputs written to the files the runner names.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ANALYZE_INPUTS, Outputs, SETTING_INPUTS, Inputs } from '../../src/action/inputs.js';
import type { Report } from '../../src/core/types.js';
import { ACTION, EXAMPLES, ROOT, freePort, processesWithRunIdPrefix, readJson, runNode, tempDir } from './helpers.js';

const RUN = `act-${randomBytes(3).toString('hex')}`;
after(() => assert.deepEqual(processesWithRunIdPrefix(RUN), []));

/** Parses the runner's GITHUB_OUTPUT file format: name<<DELIM\nvalue\nDELIM. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

async function runAction(name: string, leakBytes: number, extra: Record<string, string> = {}) {
  const dir = tempDir();
  const port = await freePort();
  const summary = join(dir, 'summary.md');
  const outputs = join(dir, 'outputs.txt');
  const event = join(dir, 'event.json');
  writeFileSync(summary, '');
  writeFileSync(outputs, '');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { sha: 'abc' }, base: { ref: 'main' } } }));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: ROOT,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: outputs,
    GITHUB_REPOSITORY: 'octo/app',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: dir,
    INPUT_NAME: `${RUN}-${name}`,
    INPUT_COMMAND: 'node examples/node-leak/server.js',
    'INPUT_WORKING-DIRECTORY': '.',
    INPUT_ENV: `PORT=${port}\nLEAK_BYTES=${leakBytes}`,
    'INPUT_READY-URL': `http://127.0.0.1:${port}/healthz`,
    INPUT_DURATION: '8s',
    'INPUT_REPORT-PATH': join(dir, 'report.json'),
    ...extra,
  };
  const r = await runNode(ACTION, [], { cwd: ROOT, env });
  const result = {
    ...r,
    summary: readFileSync(summary, 'utf8'),
    outputs: parseOutputs(readFileSync(outputs, 'utf8')),
    report: r.code === 0 || r.code === 1 ? tryRead(join(dir, 'report.json')) : undefined,
  };
  rmSync(dir, { recursive: true, force: true });
  return result;
}

function tryRead(path: string): Report | undefined {
  try {
    return readJson<Report>(path);
  } catch {
    return undefined;
  }
}

test('a clean app passes: outputs, summary and exit 0', async () => {
  const r = await runAction('clean', 0);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.outputs[Outputs.Verdict], 'no-leak');
  assert.equal(r.outputs[Outputs.Failed], 'false');
  assert.ok(Number.isFinite(Number(r.outputs[Outputs.BytesPerRequest])));
  assert.ok(Number(r.outputs[Outputs.Requests]) > 1000);
  assert.ok(r.outputs[Outputs.ReportPath]?.endsWith('report.json'));
  assert.match(r.summary.split('\n').find((l) => l.trim() !== '') ?? '', /no leak|No leak|✅/i);
  assert.match(r.summary, /```mermaid/);
  assert.equal(r.report?.summary.verdict, 'no-leak');
});

test('a leaking app fails the step with an annotation naming the leak', async () => {
  const r = await runAction('leak', 4096);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.outputs[Outputs.Verdict], 'leak');
  assert.equal(r.outputs[Outputs.Failed], 'true');
  assert.ok(Number(r.outputs[Outputs.BytesPerRequest]) > 2000);
  // The heap after GC decides where it is conclusive, anon where the 8 s run left the heap too few readings.
  assert.match(r.stdout, /::error title=leakgate[^:]*::leak: (anon memory|live heap after GC) grows/);
  assert.match(r.stdout, /::error::leakgate gate failed/);
  assert.match(r.summary, /leak/i);
});

test('an invalid input fails the step naming the input and the value', async () => {
  const r = await runAction('bad', 0, { INPUT_CONNECTIONS: 'lots' });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /::error::.*input 'connections' \('load\.connections'\) must be a whole number.*got 'lots'/);
  assert.equal(r.outputs[Outputs.Verdict], undefined, 'no verdict for an invalid config');
});

test('action.yml declares exactly the inputs and outputs the code reads and writes', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string; main: string } };
  const codeInputs = [...new Set([...Object.values(SETTING_INPUTS), ...Object.values(Inputs), ...Object.values(ANALYZE_INPUTS)])].sort();
  assert.deepEqual(Object.keys(action.inputs).sort(), codeInputs);
  assert.deepEqual(Object.keys(action.outputs).sort(), Object.values(Outputs).sort());
  assert.equal(action.runs.using, 'node24');
  assert.equal(action.runs.main, 'dist/index.js');
  void EXAMPLES;
});
