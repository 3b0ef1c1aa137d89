// Unit tests of the report renderers: number formats on known values, escaping of what the app or
// the user wrote, and properties of the job summary and terminal output that a regression would
// break (verdict first, figures present, Mermaid series sized to their axis, colour only on demand).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { Report, Verdict } from '../../src/core/types.js';
import {
  codeBlock,
  escapeMarkdown,
  formatBytes,
  formatBytesPerRequest,
  formatCount,
  formatDuration,
  formatPercent,
  formatPValue,
  renderMarkdownSummary,
  renderProgressLine,
  renderTerminalSummary,
} from '../../src/report/index.js';

import { renderPrComment } from '../../src/report/pr-comment.js';
import { makeReport, MiB, type TrialSpec } from '../support/report-fixture.js';

const leaking: TrialSpec = { verdict: 'leak', slope: 178 };
const clean: TrialSpec = { verdict: 'no-leak', slope: 0 };

// ---------------------------------------------------------------------------------------------
// Helpers that read the markdown the way a renderer would

function firstNonEmptyLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '') ?? '';
}

/** Contents of fenced blocks opened with exactly ```<info>, closed by CommonMark's rule. */
function fencedBlocks(markdown: string, info: string): string[][] {
  const lines = markdown.split('\n');
  const blocks: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^ {0,3}\`{${fence.length},}\\s*$`).test(lines[j]!)) j++;
    if (open[2]!.trim() === info) blocks.push(lines.slice(i + 1, j));
    i = j;
  }
  return blocks;
}

/** The markdown outside fenced code blocks, where GitHub links mentions and issues. */
function outsideFences(markdown: string): string {
  const lines = markdown.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,})/.exec(lines[i]!);
    if (!open) {
      kept.push(lines[i]!);
      continue;
    }
    const close = new RegExp(`^ {0,3}\`{${open[1]!.length},}\\s*$`);
    while (i + 1 < lines.length && !close.test(lines[i + 1]!)) i++;
    i++;
  }
  return kept.join('\n');
}

interface ParsedChart {
  categories: string[];
  series: number[][];
}

function parseXyChart(block: string[]): ParsedChart {
  assert.ok(block.some((l) => l.trim() === 'xychart-beta'), 'declares xychart-beta');
  const axis = block.map((l) => /^\s*x-axis(?:\s+"[^"]*")?\s+\[(.*)\]\s*$/.exec(l)).find((m) => m !== null);
  assert.ok(axis, 'has an x-axis with categories');
  const categories = [...axis[1]!.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  const series = block
    .map((l) => /^\s*line\s+\[(.*)\]\s*$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m[1]!.split(',').map((v) => Number(v.trim())));
  return { categories, series };
}

/** "12k" -> 12000, "1.25M" -> 1250000, "54,321" -> 54321. */
function parseCompactCount(label: string): number {
  const m = /^(-?[\d.,]+)([kMG]?)$/.exec(label);
  assert.ok(m, `a request count: ${label}`);
  const scale = { '': 1, k: 1e3, M: 1e6, G: 1e9 }[m[2]!]!;
  return Math.round(Number(m[1]!.replace(/,/g, '')) * scale);
}

const ANSI = /\u001B\[/;

// ---------------------------------------------------------------------------------------------

describe('format', () => {
  it('formats bytes in binary units, keeping the sign', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1024), '1.0 KiB');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(1.5 * MiB), '1.5 MiB');
    assert.equal(formatBytes(42 * MiB), '42.0 MiB');
    assert.equal(formatBytes(MiB - 1), '1.0 MiB', 'does not print 1024.0 KiB');
    assert.equal(formatBytes(-1536), '-1.5 KiB');
    assert.equal(formatBytes(-512), '-512 B');
    assert.equal(formatBytes(-0.2), '0 B', 'no negative zero');
    assert.equal(formatBytes(Number.NaN), 'n/a');
  });

  it('formats bytes per request', () => {
    assert.equal(formatBytesPerRequest(178), '178 B/req');
    assert.equal(formatBytesPerRequest(1229), '1,229 B/req');
    assert.equal(formatBytesPerRequest(2.5 * 1024 * 1024), '2.5 MiB/req');
    assert.equal(formatBytesPerRequest(6), '6 B/req');
    assert.equal(formatBytesPerRequest(0.4), '0.4 B/req');
    assert.equal(formatBytesPerRequest(-3), '-3 B/req');
    assert.equal(formatBytesPerRequest(-0.01), '0 B/req');
  });

  it('formats p-values', () => {
    assert.equal(formatPValue(0), '< 0.0001');
    assert.equal(formatPValue(0.00001), '< 0.0001');
    assert.equal(formatPValue(0.0001), '0.0001');
    assert.equal(formatPValue(0.0123), '0.0123');
    assert.equal(formatPValue(0.05), '0.05');
    assert.equal(formatPValue(0.42), '0.42');
    assert.equal(formatPValue(1), '1.00');
    assert.equal(formatPValue(Number.NaN), 'n/a');
  });

  it('formats counts, durations and percentages', () => {
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(999), '999');
    assert.equal(formatCount(54321), '54,321');
    assert.equal(formatCount(1234567.4), '1,234,567');
    assert.equal(formatCount(-1000), '-1,000');
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(4200), '4.2 s');
    assert.equal(formatDuration(125_000), '2 min 05 s');
    assert.equal(formatDuration(3_720_000), '1 h 02 min');
    assert.equal(formatPercent(0.123), '12.3%');
    assert.equal(formatPercent(-0.5), '-50.0%');
  });
});

describe('escape', () => {
  it('breaks @mentions and issue references', () => {
    const out = escapeMarkdown('ping @octocat and @github/security about #123 and GH-7');
    assert.doesNotMatch(out, /(^|[^\w])@[A-Za-z0-9]/);
    assert.doesNotMatch(out, /#\d/);
    assert.doesNotMatch(out, /GH-\d/);
    assert.ok(out.includes('octocat'), 'keeps the text readable');
  });

  it('keeps a pipe from adding a table column', () => {
    const row = `| name | ${escapeMarkdown('a|b')} |`;
    // GFM splits a row on pipes not preceded by a backslash.
    assert.equal(row.match(/(?<!\\)\|/g)?.length, 3);
  });

  it('makes HTML inert', () => {
    const out = escapeMarkdown('<script>alert(1)</script> & <img src=x onerror=y>');
    assert.doesNotMatch(out, /<script|<img|<\/script/i);
    assert.ok(!out.includes('<'), 'no raw angle bracket');
    assert.ok(out.includes('&amp;'));
  });

  it('keeps a table cell on one line and escapes backticks', () => {
    const out = escapeMarkdown('line one\nline `two`\r\nthree');
    assert.ok(!/[\r\n]/.test(out));
    assert.doesNotMatch(out, /(^|[^\\])`/);
  });

  it('fences app output so a fence inside cannot close the block', () => {
    const app = ['before', '```', '````js', 'still output', '```````'];
    const block = codeBlock(app);
    const blocks = fencedBlocks(`${block}\nafter`, '');
    assert.equal(blocks.length, 1);
    assert.deepEqual(blocks[0], app);
    assert.ok(block.endsWith('\n' + '`'.repeat(8)));
  });

  it('strips terminal escape codes from app output', () => {
    assert.deepEqual(fencedBlocks(codeBlock(['\u001B[31mred\u001B[0m']), '')[0], ['red']);
  });
});

describe('renderMarkdownSummary', () => {
  it('puts the verdict, bytes/request, interval and p-value on the first line', () => {
    const md = renderMarkdownSummary(makeReport([leaking]));
    const first = firstNonEmptyLine(md);
    assert.match(first, /❌/);
    assert.match(first, /leak/i);
    assert.ok(first.includes('178 B/req'));
    assert.ok(first.includes('170 B/req to 186 B/req'));
    assert.ok(first.includes('p < 0.0001'));
  });

  it('uses the emoji of each verdict', () => {
    assert.match(firstNonEmptyLine(renderMarkdownSummary(makeReport([clean]))), /✅.*No leak/);
    const inconclusive = makeReport([{ verdict: 'inconclusive', slope: 3 }]);
    assert.match(firstNonEmptyLine(renderMarkdownSummary(inconclusive)), /⚠️.*Inconclusive/);
  });

  it('uses the title when given, escaped', () => {
    const md = renderMarkdownSummary(makeReport([leaking]), { title: 'memory <gate>' });
    assert.ok(firstNonEmptyLine(md).includes('memory &lt;gate&gt;'));
  });

  it('tabulates the figures with one column per trial and a combined one', () => {
    const md = renderMarkdownSummary(makeReport([leaking, { ...leaking, slope: 190 }, clean]));
    const table = md.split('\n').filter((l) => l.startsWith('|'));
    const header = table[0]!;
    for (const heading of ['Trial 1', 'Trial 2', 'Trial 3', 'Combined']) assert.ok(header.includes(heading));
    const bpr = table.find((l) => l.startsWith('| Bytes / request'))!;
    assert.ok(bpr.includes('178 B/req') && bpr.includes('190 B/req'));
    assert.ok(table.some((l) => l.includes('95% CI') && l.includes('170 B/req to 186 B/req')));
    const columns = header.split('|').length;
    for (const row of table.slice(0, 15)) assert.equal(row.split('|').length, columns, row);
    assert.ok(table.some((l) => l.startsWith('| Warm-up end') && l.includes('20,000 req') && l.includes('plateau')));
    assert.ok(table.some((l) => l.startsWith('| Growth / 1M requests') && l.includes('169.8 MiB')));
  });

  it('charts memory in a Mermaid xychart with series sized to the x-axis', () => {
    const report = makeReport([leaking, { ...leaking, samples: 600, requestsPerSample: 130 }]);
    const md = renderMarkdownSummary(report);
    const blocks = fencedBlocks(md, 'mermaid');
    assert.ok(blocks.length >= 1, 'has a ```mermaid block');
    for (const block of blocks) {
      const { categories, series } = parseXyChart(block);
      assert.ok(series.length >= 1);
      for (const values of series) {
        assert.ok(values.length <= 50, `${values.length} points`);
        assert.equal(values.length, categories.length);
        assert.ok(values.every(Number.isFinite), 'numeric values');
      }
      assert.equal(new Set(categories).size, categories.length, 'distinct x labels');
    }
  });

  it('labels the x-axis with requests and shows the rising memory in MiB', () => {
    const { categories, series } = parseXyChart(fencedBlocks(renderMarkdownSummary(makeReport([leaking])), 'mermaid')[0]!);
    const requests = categories.map(parseCompactCount);
    assert.equal(requests[0], 0);
    const step = requests[1]! - requests[0]!;
    assert.ok(requests.every((r, i) => i === 0 || r - requests[i - 1]! === step), 'evenly spaced');
    const last = requests[requests.length - 1]!;
    assert.ok(last <= 79_000 && last > 79_000 - step, `last label ${last} is within a step of the requests served`);
    const line = series[0]!;
    assert.ok(line[line.length - 1]! > line[0]! + 10, 'rises by 79k * 178 B = 13 MiB');
    assert.ok(line[0]! > 39 && line[0]! < 41);
  });

  it('gives trials with very different request counts their own charts', () => {
    const md = renderMarkdownSummary(makeReport([leaking, { ...clean, requestsPerSample: 300 }]));
    const charts = fencedBlocks(md, 'mermaid').map(parseXyChart);
    assert.equal(charts.length, 2);
    const lastRequests = charts.map((c) => parseCompactCount(c.categories.at(-1)!));
    assert.ok(lastRequests[0]! > 70_000 && lastRequests[0]! <= 79_000, String(lastRequests[0]));
    assert.ok(lastRequests[1]! > 20_000 && lastRequests[1]! <= 23_700, String(lastRequests[1]));
  });

  it('lists the gate reasons only when the gate failed', () => {
    const failed = renderMarkdownSummary(makeReport([leaking]));
    assert.match(failed, /^- anon grows 178 B\/req \(limit 64 B\/req\)$/m);
    const passed = renderMarkdownSummary(makeReport([clean]));
    assert.doesNotMatch(passed, /gate failed/i);
  });

  it('escapes what the app and the user wrote', () => {
    const report = makeReport(
      [{ ...leaking, outputTail: ['hello @octocat', '```', '</details><script>x</script>', 'fixes #12'] }],
      { name: '@octocat|<b>x</b>' },
    );
    report.gate.reasons = ['see @octocat in #42 | <img>'];
    const md = renderMarkdownSummary(report);
    // Numeric character references (`&#124;`) are not issue references.
    const outsideCode = outsideFences(md).replace(/&#\d+;/g, '');
    assert.doesNotMatch(outsideCode, /(^|[^\w])@[A-Za-z0-9]/);
    assert.doesNotMatch(outsideCode, /#\d/);
    assert.doesNotMatch(outsideCode, /<script|<img|<b>/);
    const output = fencedBlocks(md, 'text');
    assert.equal(output.length, 1);
    assert.deepEqual(output[0], ['hello @octocat', '```', '</details><script>x</script>', 'fixes #12']);
    assert.equal(firstNonEmptyLine(md).split('|').length, 1, 'no pipe in the heading');
  });

  it('details the processes, the app output and the environment', () => {
    const md = renderMarkdownSummary(makeReport([leaking]));
    assert.equal(md.match(/<details>/g)?.length, 3);
    assert.equal(md.match(/<\/details>/g)?.length, 3);
    assert.match(md, /\| 4242 \| node \| /);
    assert.ok(md.includes('AMD EPYC'));
  });

  it('says the app could not be measured instead of showing a zero slope', () => {
    const report = makeReport([{ verdict: 'inconclusive', slope: 0 }], {
      error: 'app exited with code 1 before it was ready\nError: EADDRINUSE @octocat',
    });
    report.trials[0]!.analysis.points = 0;
    report.gate = { failed: true, reasons: ['the app could not be measured: app exited with code 1'] };
    const md = renderMarkdownSummary(report);
    const first = firstNonEmptyLine(md);
    assert.match(first, /⚠️.*No verdict.*could not be measured/);
    assert.ok(!md.includes('0 B/req'), 'no slope shown');
    assert.ok(md.includes('EADDRINUSE'));
    assert.doesNotMatch(outsideFences(md), /(^|[^\w])@[A-Za-z0-9]/);
    assert.match(md, /^\| Bytes \/ request \| \*\*—\*\* \|$/m);
    const term = renderTerminalSummary(report, { color: false });
    assert.match(firstNonEmptyLine(term), /no verdict.*could not be measured/);
    assert.ok(!term.includes('0 B/req'));
  });

  it('renders a report without trials', () => {
    const report = makeReport([leaking]);
    report.trials = [];
    const md = renderMarkdownSummary(report);
    assert.match(firstNonEmptyLine(md), /❌/);
    assert.equal(fencedBlocks(md, 'mermaid').length, 0);
  });
});

describe('renderTerminalSummary', () => {
  it('has no ANSI escapes without colour, and some with', () => {
    const report = makeReport([leaking]);
    report.name = 'evil\u001B[2Japp';
    assert.doesNotMatch(renderTerminalSummary(report, { color: false }), ANSI);
    assert.match(renderTerminalSummary(report, { color: true }), ANSI);
  });

  it('leads with the verdict and lists the figures', () => {
    const out = renderTerminalSummary(makeReport([leaking]), { color: false });
    const first = firstNonEmptyLine(out);
    assert.match(first, /leak/);
    assert.ok(first.includes('178 B/req') && first.includes('p < 0.0001'));
    for (const label of ['bytes/req', 'p-value', 'warm-up end', 'start memory', 'peak memory', 'requests', 'throughput', 'errors/non-2xx', 'growth/1M req']) {
      assert.match(out, new RegExp(`^  ${label.replace('/', '\\/')}\\s`, 'm'), label);
    }
    assert.match(out, /gate failed:\n  - anon grows 178 B\/req/);
  });

  it('aligns one column per trial', () => {
    const out = renderTerminalSummary(makeReport([leaking, { ...leaking, slope: 1300 }, clean]), { color: false });
    const lines = out.split('\n');
    const header = lines.find((l) => l.includes('Trial 1'))!;
    const bpr = lines.find((l) => l.trimStart().startsWith('bytes/req'))!;
    assert.equal(bpr.indexOf('178 B/req'), header.indexOf('Trial 1'));
    assert.equal(bpr.indexOf('1,300 B/req'), header.indexOf('Trial 2'));
    assert.equal(bpr.indexOf(' 0 B/req') + 1, header.indexOf('Trial 3'));
    assert.ok(header.includes('Combined'));
  });
});

describe('renderProgressLine', () => {
  it('shows trial, time, requests and memory on one line', () => {
    const line = renderProgressLine({
      trial: 1,
      trials: 3,
      elapsedMs: 12_000,
      durationMs: 30_000,
      requests: 54_321,
      memoryBytes: 48.2 * MiB,
      metric: 'anon',
    });
    assert.equal(line, 'trial 1/3  12.0s/30s  54,321 req  anon 48.2 MiB');
  });
});

describe('a report analysed over time (load command without a counter)', () => {
  /** Two trials whose slopes are B/s: 2,048 B/s is 7.0 MiB an hour. */
  function overTimeReport(): Report {
    const reason = 'memory grows slope 2048 B/s';
    const report = makeReport([{ verdict: 'leak', slope: 2048, reason }, { verdict: 'leak', slope: 2048, reason }]);
    report.gate = { ...report.gate, reasons: [`leak: anon ${reason}`] };
    for (const t of report.trials) {
      t.countsRequests = false;
      t.analysis = { ...t.analysis, bytesPerSecond: 2048, growthPerMillionRequests: 0 };
    }
    report.summary = { ...report.summary, bytesPerRequest: 2048, ciLow: 2040, ciHigh: 2056, growthPerMillionRequests: 0 };
    return report;
  }

  it('shows the slope in B/s, never B/req, and growth per hour from the slope itself', () => {
    const report = overTimeReport();
    const md = renderMarkdownSummary(report);
    const term = renderTerminalSummary(report, { color: false });
    assert.match(firstNonEmptyLine(md), /2,048 B\/s retained per second of load/);
    assert.match(md, /\| Bytes \/ second \| \*\*2,048 B\/s\*\* \| \*\*2,048 B\/s\*\* \| \*\*2,048 B\/s\*\* \|/);
    // format.ts's combined cell would multiply by the request rate (4,000 req/s): 28 GiB an hour.
    assert.match(md, /\| Growth \/ hour \| 7\.0 MiB \| 7\.0 MiB \| 7\.0 MiB \|/);
    assert.match(md, /\| Growth \/ 1M requests \| — \| — \| — \|/);
    assert.match(term, /^✖ leak  api-server: 2,048 B\/s/m);
    assert.match(term, /^  bytes\/s +2,048 B\/s/m);
    const comment = renderPrComment(report, { marker: '<!-- leakgate:api-server -->' });
    assert.match(comment, /\| Bytes \/ second \| Peak memory \|/);
    assert.match(comment, /\| \*\*2,048 B\/s\*\* \|/);
    for (const text of [md, term, comment]) {
      const withoutNote = text.replace(/Analysed over time[^\n]*/, '');
      assert.doesNotMatch(withoutNote, /B\/req/);
    }
  });
});

describe('latency and the load note in the human report', () => {
  it('shows p50/p90/p99 latency in the terminal summary and the job summary figures', () => {
    const report = makeReport([leaking, { ...leaking, slope: 200 }]);
    report.trials[1]!.load.latency = { p50: 3, p90: 12.4, p99: 40.6, max: 90, mean: 5 };
    const md = renderMarkdownSummary(report);
    assert.match(md, /\| Latency p50 \/ p90 \/ p99 \| 1\.0 \/ 2\.0 \/ 5\.0 ms \| 3\.0 \/ 12 \/ 41 ms \| 2\.0 \/ 7\.2 \/ 23 ms \(median\) \|/);
    const term = renderTerminalSummary(report, { color: false });
    assert.match(term, /^  latency p50\/90\/99 +1\.0 \/ 2\.0 \/ 5\.0 ms +3\.0 \/ 12 \/ 41 ms +2\.0 \/ 7\.2 \/ 23 ms \(median\)$/m);
    assert.doesNotMatch(md + term, /Load note|load note/, 'no note row without a note');
  });

  it("shows a load tool's note (k6's failed thresholds) and a dash for latency a command did not report", () => {
    const report = makeReport([leaking]);
    const note = 'k6 thresholds failed (exit code 99): http_req_duration: p(95)<1. That is a verdict on the load test, not a measurement failure';
    Object.assign(report.trials[0]!.load, { tool: 'k6', note });
    const md = renderMarkdownSummary(report);
    assert.match(md, /\| Load note \| k6 thresholds failed \(exit code 99\): http\\?_req\\?_duration: p\(95\)&lt;1\./);
    const term = renderTerminalSummary(report, { color: false });
    assert.match(term, /^  load note: k6 thresholds failed \(exit code 99\): http_req_duration: p\(95\)<1\./m);
    report.trials[0]!.load.latency = { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
    assert.match(renderMarkdownSummary(report), /\| Latency p50 \/ p90 \/ p99 \| — \|/);
  });
});

describe('the environment details', () => {
  it('name the distribution and the hosted runner image when the report recorded them', () => {
    const report = makeReport([clean]);
    const plain = renderMarkdownSummary(report);
    report.environment = { ...report.environment, distro: 'Ubuntu 24.04.1 LTS', runnerImage: 'ubuntu24 20250105.1.0', runner: 'GitHub Actions 2' };
    const md = renderMarkdownSummary(report);
    assert.match(md, /\| OS \| Ubuntu 24\.04\.1 LTS, /);
    assert.match(md, /\| Runner \| GitHub Actions 2 \(image ubuntu24 20250105\.1\.0\) \|/);
    assert.doesNotMatch(plain, /\(image /);
  });
});
