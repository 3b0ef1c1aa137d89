// How the probes' evidence reads in the job summary, the PR comment and the terminal: new leak sites before known
// and fixed ones, stacks folded away, app-controlled text escaped, the growing process and an OOM kill named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderEvidenceMarkdown, renderEvidenceText, renderMarkdownSummary, renderPrComment } from '../../src/report/index.js';
import type { TrialEvidence } from '../../src/probes/evidence.js';
import { makeReport } from '../support/report-fixture.js';

function withEvidence(evidence: TrialEvidence) {
  const report = makeReport([{ verdict: 'leak', slope: 600 }]);
  report.trials[0]!.evidence = evidence;
  return report;
}

const site = (label: string, status: 'new' | 'known' | 'fixed' | 'no-baseline', bytes = 51_200) => ({
  fingerprint: label, kind: 'definitely-lost', bytes, blocks: 100, label, stack: ['malloc (vg_replace_malloc.c:381)', `${label} (server.c:42)`], status,
});

test('native sites: new first, then known, then fixed; stacks folded; labels escaped', () => {
  const md = renderEvidenceMarkdown(withEvidence({
    native: {
      tool: 'memcheck',
      sites: [site('known_fn', 'known'), site('gone_fn', 'fixed', 0), site('new_fn <b>@team</b>', 'new')],
      definitelyLostBytes: 102_400, indirectlyLostBytes: 0, possiblyLostBytes: 0, stillReachableBytes: 4096,
    },
  }));
  const iNew = md.indexOf('New leak sites');
  const iKnown = md.indexOf('Known leak sites');
  const iFixed = md.indexOf('Fixed');
  assert.ok(iNew >= 0 && iNew < iKnown && iKnown < iFixed, md);
  assert.match(md, /<details><summary><code>new_fn &#60;b&#62;@team&#60;\/b&#62;<\/code> — 50\.0 KiB in 100 blocks/);
  assert.ok(!md.replace(/```[\s\S]*?```/g, '').includes('<b>'), 'raw HTML only inside code blocks');
  assert.match(md, /Definitely lost 100\.0 KiB/);
});

test('the growing process, the OOM kill and the runtime classes are named in the summary and the terminal', () => {
  const report = withEvidence({
    growingProcess: 'grows in pid 42 (node worker.js, child of pid 41): 600 B/req, 95% of the tree\'s growth',
    oom: { oom: true, evidence: "OOM kill: the app was killed by SIGKILL and the cgroup's oom_kill counter rose from 0 to 1" },
    runtime: { kind: 'node', heapBytesPerRequest: 580, growing: [{ name: 'SessionRecord', countDelta: 9000, bytesDelta: 20_000_000 }], path: "Map 'sessions' -> SessionRecord" },
  });
  const md = renderMarkdownSummary(report);
  assert.match(md, /\*\*Grows in:\*\* pid 42 \(/);
  assert.match(md, /Out of memory:\*\* OOM kill/);
  assert.match(md, /\| Class \| Growth \| Count change \| Detail \|\n\| --- \| ---: \| ---: \| --- \|\n\| SessionRecord \| \+19\.1 MiB \| \+9,000 \|/, 'header, alignment and rows form one table');
  assert.match(md, /Retained through:\n\n```+\nMap 'sessions' -> SessionRecord\n```+/);
  const text = renderEvidenceText(report);
  assert.match(text, /grows in\s+pid 42 \(/);
  assert.doesNotMatch(text + md, /grows in\W+grows in/i);
  assert.match(text, /growing\s+SessionRecord \+19\.1 MiB \(\+9000\)/);
  const comment = renderPrComment(report, { marker: '<!-- m -->' });
  assert.match(comment, /SessionRecord/);
  assert.ok(!comment.includes('Per process'), 'the comment stays compact');
});
