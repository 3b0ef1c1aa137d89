// The public API of the report renderers: pure functions from a Report (or a few figures) to text,
// for the job summary, the PR comment and the terminal.

export {
  formatBytes,
  formatBytesPerRequest,
  formatCompactCount,
  formatConfidence,
  formatCount,
  formatDuration,
  formatInterval,
  formatPClause,
  formatPercent,
  formatPValue,
  formatThroughput,
  reportFigures,
  toMiB,
  type FigureColumn,
  type FigureKey,
  type FigureRow,
  type FigureTable,
} from './format.js';
export { codeBlock, escapeMarkdown, stripControlChars } from './escape.js';
export {
  MAX_CHART_POINTS,
  renderFigureTable,
  renderGateReasons,
  renderMarkdownSummary,
  renderMemoryChart,
  renderVerdict,
  type MarkdownSummaryOptions,
} from './markdown.js';
export {
  renderProgressLine,
  renderTerminalSummary,
  renderTrialCharts,
  type ProgressInfo,
  type TerminalSummaryOptions,
} from './terminal.js';
export { baselineUsed, projectionText, renderComparisonMarkdown, renderComparisonText } from './comparison.js';
export { MAX_COMMENT_CHARS, renderPrComment, type PrCommentOptions } from './pr-comment.js';
export { renderEvidenceMarkdown, renderEvidenceText } from './evidence.js';
export { renderTextChart, type TextChartInput } from './text-chart.js';
export { renderHtmlReport } from './html.js';
