// Renders what the probes found, for the job summary, the PR comment and the terminal: the process that grows,
// the memory regions that grew (pmap's view), an OOM kill, the runtime's growing classes or lines, and native
// leak sites (new ones first, with their stacks folded away). Everything from the report is escaped.
import type { CgroupFigures, Report, TrialReport } from '../core/types.js';
import type { NativeEvidence, TrialEvidence } from '../probes/evidence.js';
import { KIND_GROUPS, type ProcessMappingDiff } from '../analyze/mappings.js';
import { codeBlock, escapeMarkdown } from './escape.js';
import { formatBytes, formatBytesPerRequest, formatCount } from './format.js';

const ROWS = 10;

/** The trial whose evidence speaks for the run: the first that has any (trials of one config look alike). */
function evidenceOf(report: Report): { trial: TrialReport; e: TrialEvidence } | null {
  for (const trial of report.trials) if (trial.evidence && Object.keys(trial.evidence).length > 0) return { trial, e: trial.evidence };
  return null;
}

function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\u0000-\u001f\u007f]/g, ' ');
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : '−'}${formatBytes(Math.abs(n))}`;
}

export function renderEvidenceMarkdown(report: Report, opts: { compact?: boolean } = {}): string {
  const container = opts.compact ? null : renderCgroupMarkdown(report);
  const found = evidenceOf(report);
  if (!found) return container ?? '';
  const { e } = found;
  const out: string[] = [];
  if (e.oom?.oom) out.push(`> 🛑 **Out of memory:** ${escapeMarkdown(e.oom.evidence)}`);
  if (e.growingProcess) out.push(`**Grows in:** ${escapeMarkdown(whereItGrows(e.growingProcess))}`);
  if (e.native) out.push(renderNative(e.native, opts.compact === true));
  if (e.runtime && (e.runtime.growing.length > 0 || e.runtime.heapBytesPerRequest !== undefined || e.runtime.note)) {
    const r = e.runtime;
    const lines: string[] = [`#### ${r.kind === 'node' ? 'V8 heap' : r.kind === 'jvm' ? 'JVM heap' : r.kind === 'go' ? 'Go heap and goroutines' : 'Python allocations'}`];
    if (r.heapBytesPerRequest !== undefined && r.kind === 'go') lines.push(`Memory in use after a forced GC (heap objects and goroutine stacks) grows **${formatBytesPerRequest(r.heapBytesPerRequest)}**${r.goroutinesPerRequest !== undefined ? `; goroutines grow ${r.goroutinesPerRequest.toFixed(3)} per request` : ''}.`);
    else if (r.heapBytesPerRequest !== undefined) lines.push(`Heap used after a forced GC grows **${formatBytesPerRequest(r.heapBytesPerRequest)}** (Buffers and native memory are outside it).`);
    if (r.growing.length > 0) {
      const header = `| ${r.kind === 'python' ? 'Line' : 'Class'} | Growth | Count change | Detail |\n| --- | ---: | ---: | --- |`;
      const rows = r.growing.slice(0, ROWS).map((g) => `| ${escapeMarkdown(g.name)} | ${signed(g.bytesDelta)} | ${g.countDelta === undefined ? '' : `${g.countDelta >= 0 ? '+' : ''}${formatCount(g.countDelta)}`} | ${escapeMarkdown(g.detail ?? '')} |`);
      lines.push([header, ...rows].join('\n'));
    }
    if (r.path) lines.push(`Retained through:\n\n${codeBlock([r.path])}`);
    if (r.note) lines.push(`> ${escapeMarkdown(r.note)}`);
    out.push(lines.join('\n\n'));
  }
  if (!opts.compact) {
    if (e.processes && e.processes.length > 1) {
      const rows = e.processes.slice(0, ROWS).map((p) => `| ${p.pid} | ${escapeMarkdown(p.cmdline ?? p.comm)} | ${formatBytes(p.startBytes)} | ${formatBytes(p.endBytes)} | ${formatBytesPerRequest(p.slopeBytesPerRequest)} | ${Math.round(p.share * 100)}% |`);
      out.push(`<details><summary>Per process (what ps and smem show)</summary>\n\n| PID | Command | Start | End | Slope | Share of growth |\n| ---: | --- | ---: | ---: | ---: | ---: |\n${rows.join('\n')}\n\n</details>`);
    }
    if (e.mappings && e.mappings.length > 0) {
      const rows: string[] = [];
      for (const p of e.mappings.slice(0, 3)) {
        for (const r of p.diff.regions.slice(0, 6)) {
          rows.push(`| ${p.pid} | ${escapeMarkdown(r.name)} | ${signed(r.delta.anonymous)} | ${signed(r.delta.rss)} | ${formatBytes(r.end.rss)} |`);
        }
      }
      if (rows.length > 0) out.push(`<details><summary>Memory regions that grew (what pmap -x shows, after warm-up to the end)</summary>\n\n| PID | Region | Anonymous | RSS | RSS at end |\n| ---: | --- | ---: | ---: | ---: |\n${rows.join('\n')}${kindTotalsMarkdown(e.mappings)}\n\n</details>`);
    }
    if (container) out.push(container);
    if (e.notes && e.notes.length > 0) out.push(`<details><summary>Probe notes</summary>\n\n${e.notes.map((n) => `- ${escapeMarkdown(n)}`).join('\n')}\n\n</details>`);
  }
  return out.join('\n\n');
}

function renderNative(n: NativeEvidence, compact: boolean): string {
  const lines: string[] = [`#### Native leaks (${n.tool})`];
  if (n.tool === 'memcheck') {
    lines.push(`Definitely lost ${formatBytes(n.definitelyLostBytes)}, indirectly lost ${formatBytes(n.indirectlyLostBytes)}, possibly lost ${formatBytes(n.possiblyLostBytes)}, still reachable ${formatBytes(n.stillReachableBytes)}.`);
  } else if (n.peakHeapBytes !== undefined) {
    lines.push(`Peak heap ${formatBytes(n.peakHeapBytes)}${n.leakedBytes !== undefined ? `; not freed at exit ${formatBytes(n.leakedBytes)}` : ''}.`);
  }
  if (n.heapTrend) lines.push(`The heap grows **${formatBytesPerRequest(n.heapTrend.bytesPerRequest)}** after warm-up (${formatBytesPerRequest(n.heapTrend.ciLow)} to ${formatBytesPerRequest(n.heapTrend.ciHigh)}, ${n.heapTrend.points} snapshots).`);
  if (n.incomplete) lines.push(`> 🛑 **Incomplete report:** ${escapeMarkdown(n.incomplete)}. The app must exit on SIGTERM for the tool's final report.`);
  const order = ['new', 'no-baseline', 'known', 'fixed'] as const;
  const title = { new: '🆕 New leak sites', 'no-baseline': 'Leak sites (no baseline to compare with)', known: 'Known leak sites (also in the baseline)', fixed: '✅ Fixed (in the baseline, gone now)' };
  for (const status of order) {
    const sites = n.sites.filter((s) => s.status === status && (status === 'fixed' || s.bytes > 0 || (s.bytesIncrease ?? 0) > 0));
    if (sites.length === 0) continue;
    const shown = sites.slice(0, compact ? 5 : ROWS);
    const body = shown
      .map((s) => {
        const perRequest = s.bytesPerRequest !== undefined ? ` (${formatBytesPerRequest(s.bytesPerRequest)})` : '';
        const grew = s.bytesIncrease ? `, grew ${formatBytes(s.bytesIncrease)}${perRequest} during the load` : '';
        // Inside <summary> markdown is not rendered: HTML-escaped text in <code>, where mentions are inert too.
        const head = `<code>${escapeHtml(s.label)}</code>${status === 'fixed' ? '' : ` — ${formatBytes(s.bytes)} in ${formatCount(s.blocks)} blocks (${escapeHtml(s.kind)})${grew}`}`;
        const accept = s.suppression && !compact ? `\n\nTo accept it, add this to a file in \`native.suppressions\`:\n\n${codeBlock(s.suppression.split('\n'))}` : '';
        return s.stack.length > 0 ? `<details><summary>${head}</summary>\n\n${codeBlock(s.stack)}${accept}\n\n</details>` : `- ${head}`;
      })
      .join('\n');
    lines.push(`**${title[status]}** (${sites.length})\n\n${body}${sites.length > shown.length ? `\n\n…and ${sites.length - shown.length} more in the JSON report.` : ''}`);
  }
  if (n.peakSites && n.peakSites.length > 0 && !compact) {
    lines.push(`Top allocation sites at the peak:\n\n${n.peakSites.slice(0, 5).map((s) => `- ${formatBytes(s.bytes)} ${escapeMarkdown(s.label)}`).join('\n')}`);
  }
  if (n.note) lines.push(`> ⚠️ ${escapeMarkdown(n.note)}`);
  return lines.join('\n\n');
}

/** A few lines for the terminal. */
export function renderEvidenceText(report: Report): string {
  const container = cgroupTextLine(report);
  const found = evidenceOf(report);
  if (!found) return container ?? '';
  const { e } = found;
  const out: string[] = [];
  if (e.oom?.oom) out.push(`  out of memory   ${e.oom.evidence}`);
  if (e.growingProcess) out.push(`  grows in        ${whereItGrows(e.growingProcess)}`);
  const region = e.mappings?.[0]?.diff.regions[0];
  if (region && region.delta.anonymous > 0) out.push(`  region          ${region.name} grew ${formatBytes(region.delta.anonymous)} anonymous (pid ${e.mappings![0]!.pid})`);
  const kinds = e.mappings?.[0] ? kindTotalsLine(e.mappings[0]) : null;
  if (kinds) out.push(`  by kind         ${kinds} (pid ${e.mappings![0]!.pid})`);
  if (e.runtime?.heapBytesPerRequest !== undefined) out.push(`  ${e.runtime.kind} heap       ${formatBytesPerRequest(e.runtime.heapBytesPerRequest)} after forced GC`);
  if (e.runtime?.goroutinesPerRequest !== undefined) out.push(`  goroutines      ${e.runtime.goroutinesPerRequest.toFixed(3)} per request`);
  for (const g of e.runtime?.growing.slice(0, 3) ?? []) out.push(`  growing         ${g.name} ${signed(g.bytesDelta)}${g.countDelta !== undefined ? ` (${g.countDelta >= 0 ? '+' : ''}${g.countDelta})` : ''}`);
  if (e.runtime?.path) out.push(`  retained by     ${e.runtime.path}`);
  for (const s of e.native?.sites.filter((x) => x.status === 'new' || x.status === 'no-baseline').slice(0, 5) ?? []) {
    // Below 1 B/req (a block or two over the load) the figure reads as 0 and says nothing.
    const grew = s.bytesPerRequest !== undefined && s.bytesPerRequest >= 1 ? `, grew ${formatBytesPerRequest(s.bytesPerRequest)}` : '';
    out.push(`  ${s.status === 'new' ? 'new leak site  ' : 'leak site      '} ${s.label}: ${formatBytes(s.bytes)} ${s.kind}${grew}`);
  }
  if (e.native?.heapTrend) out.push(`  massif heap     ${formatBytesPerRequest(e.native.heapTrend.bytesPerRequest)} after warm-up`);
  if (e.native?.incomplete) out.push(`  incomplete      ${e.native.incomplete}`);
  if (e.native?.note) out.push(`  native          ${e.native.note}`);
  if (container) out.push(container);
  return out.join('\n');
}

/** "heap +2.0 MiB, anonymous +40.0 MiB, stack +0 B, file +1.0 MiB" (RSS change per kind); null for a report without them. */
function kindTotalsLine(p: ProcessMappingDiff): string | null {
  const by = p.diff.byKind as ProcessMappingDiff['diff']['byKind'] | undefined;
  if (!by) return null;
  return KIND_GROUPS.filter((g) => g !== 'other').map((g) => `${g} ${signed(by[g].delta.rss)}`).join(', ');
}

/** Per process, the RSS change of each kind of region (pmap -x's totals, split by kind), for the top processes. */
function kindTotalsMarkdown(mappings: readonly ProcessMappingDiff[]): string {
  const rows = mappings.slice(0, 3).flatMap((p) => {
    const by = p.diff.byKind as ProcessMappingDiff['diff']['byKind'] | undefined;
    return by ? [`| ${p.pid} | ${KIND_GROUPS.map((g) => `${signed(by[g].delta.rss)} (${formatBytes(by[g].end.rss)})`).join(' | ')} |`] : [];
  });
  if (rows.length === 0) return '';
  return `\n\nRSS change by kind of region (RSS at the end in brackets):\n\n| PID | Heap | Anonymous | Stack | File | Other |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n${rows.join('\n')}`;
}

/** The memory cgroup's figures at the first and last sample that read them, in the trial that has any. */
export function cgroupSpan(report: Report): { start: CgroupFigures; end: CgroupFigures; trial: TrialReport } | null {
  for (const trial of report.trials) {
    const read = trial.samples.filter((s) => s.cgroup !== undefined);
    if (read.length > 0) return { start: read[0]!.cgroup!, end: read.at(-1)!.cgroup!, trial };
  }
  return null;
}

const CGROUP_FIGURES = [
  ['usage', 'Usage'],
  ['anon', 'Anonymous'],
  ['file', 'File (page cache)'],
  ['kernel', 'Kernel'],
] as const;

/** The cgroup's limit (and whether leakgate made it), and the limit the time-to-limit projection aimed at. */
function cgroupLimitText(report: Report, limit: number | null, fresh: boolean): string {
  const own = limit === null ? 'no limit' : `limit ${formatBytes(limit)}${fresh ? ' (cgroup.limit)' : ''}`;
  const s = report.summary;
  if (s.memoryLimitBytes === null) return own;
  const source = s.memoryLimitSource ? ` (${s.memoryLimitSource})` : '';
  return `${own}; time to limit projected to ${s.memoryLimitBytes === limit ? 'it' : `${formatBytes(s.memoryLimitBytes)}${source}`}`;
}

/** The container's memory (what cAdvisor and `docker stats` show): usage, anon, file and kernel at start and end. */
function renderCgroupMarkdown(report: Report): string | null {
  const span = cgroupSpan(report);
  if (!span) return null;
  const { start, end, trial } = span;
  const rows = CGROUP_FIGURES.map(([k, label]) => `| ${label} | ${formatBytes(start[k])} | ${formatBytes(end[k])} | ${signed(end[k] - start[k])} |`);
  const fresh = trial.evidence?.cgroupLimitBytes !== undefined;
  return (
    `<details><summary>Container memory (the app's cgroup, first sample to last; ${escapeHtml(cgroupLimitText(report, end.limit, fresh))})</summary>\n\n` +
    `| | Start | End | Change |\n| --- | ---: | ---: | ---: |\n${rows.join('\n')}\n\n</details>`
  );
}

function cgroupTextLine(report: Report): string | null {
  const span = cgroupSpan(report);
  if (!span) return null;
  const { start, end, trial } = span;
  const parts = CGROUP_FIGURES.slice(1).map(([k]) => `${k} ${signed(end[k] - start[k])}`);
  return `  container       ${formatBytes(start.usage)} → ${formatBytes(end.usage)} (${parts.join(', ')}); ${cgroupLimitText(report, end.limit, trial.evidence?.cgroupLimitBytes !== undefined)}`;
}

/** The verdict's clause without its own "grows in ", for a row already labelled so. */
function whereItGrows(clause: string): string {
  return clause.replace(/^grows in /, '');
}
