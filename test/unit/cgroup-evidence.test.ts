// The container's memory in the job summary and the terminal: a memory cgroup's usage, anon, file and kernel at the
// first and last sample, its limit, and the limit the time-to-limit projection aimed at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderEvidenceMarkdown, renderEvidenceText } from '../../src/report/index.js';
import { makeReport, MiB } from '../support/report-fixture.js';

function withCgroup(opts: { fresh: boolean; projection: number | null; source?: 'memory-limit' | 'cgroup.limit' | 'inherited cgroup' }) {
  const report = makeReport([{ verdict: 'leak', slope: 600 }]);
  const samples = report.trials[0]!.samples;
  samples.forEach((s, i) => {
    // anon grows 1 MiB a sample; file and kernel barely move.
    s.cgroup = { usage: (60 + i) * MiB + 8 * MiB, anon: (40 + i) * MiB, file: 20 * MiB + (i > 40 ? MiB : 0), kernel: 8 * MiB, limit: 256 * MiB };
  });
  if (opts.fresh) report.trials[0]!.evidence = { cgroupLimitBytes: 256 * MiB };
  report.summary.memoryLimitBytes = opts.projection;
  if (opts.source) report.summary.memoryLimitSource = opts.source;
  return { report, n: samples.length };
}

test('the job summary shows the cgroup at start and end, its limit and the projection aimed at it', () => {
  const { report, n } = withCgroup({ fresh: true, projection: 256 * MiB, source: 'cgroup.limit' });
  const md = renderEvidenceMarkdown(report);
  assert.match(md, /<summary>Container memory \(the app's cgroup, first sample to last; limit 256\.0 MiB \(cgroup\.limit\); time to limit projected to it\)<\/summary>/);
  assert.match(md, new RegExp(`\\| Anonymous \\| 40\\.0 MiB \\| ${40 + n - 1}\\.0 MiB \\| \\+${n - 1}\\.0 MiB \\|`));
  assert.match(md, /\| File \(page cache\) \| 20\.0 MiB \| 21\.0 MiB \| \+1\.0 MiB \|/);
  assert.match(md, /\| Kernel \| 8\.0 MiB \| 8\.0 MiB \| \+0 B \|/);
  assert.match(md, /\| Usage \| 68\.0 MiB \|/);
  assert.equal(renderEvidenceMarkdown(report, { compact: true }).includes('Container memory'), false, 'the compact PR comment leaves it out');
});

test('the terminal line, and a projection that aimed at another limit names it and where it came from', () => {
  const { report, n } = withCgroup({ fresh: false, projection: 512 * MiB, source: 'memory-limit' });
  const text = renderEvidenceText(report);
  assert.equal(text, `  container       68.0 MiB → ${68 + n - 1}.0 MiB (anon +${n - 1}.0 MiB, file +1.0 MiB, kernel +0 B); limit 256.0 MiB; time to limit projected to 512.0 MiB (memory-limit)`);
  assert.match(renderEvidenceMarkdown(report), /limit 256\.0 MiB; time to limit projected to 512\.0 MiB \(memory-limit\)/);
});

test('no cgroup figures in the samples: no container section', () => {
  const report = makeReport([{ verdict: 'leak', slope: 600 }]);
  assert.equal(renderEvidenceMarkdown(report).includes('Container memory'), false);
  assert.equal(renderEvidenceText(report).includes('container'), false);
});
