// Makes text that the app or the user wrote safe to place in GitHub markdown (job summary, PR
// comment) and in a terminal: no @mentions that ping people, no #123 links to unrelated issues, no
// pipes that add table columns, no live HTML, no code fence that app output can close early.

/**
 * Breaks GitHub auto-links (@mentions, #123, GH-123) without changing what a reader sees.
 * U+200B ZERO WIDTH SPACE is what Renovate and Dependabot insert for the same purpose.
 */
const ZERO_WIDTH_SPACE = '\u200B';

// CSI (colours, cursor moves), OSC (titles, hyperlinks: ended by BEL or ESC \) and two-byte ESC
// sequences. Apps colour their logs; the codes are noise in markdown and hostile in a terminal.
const ANSI_SEQUENCE =
  /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[@-Z\\-_]|\u009B[0-?]*[ -/]*[@-~]/g;
// C0/C1 controls except tab and line breaks, and the bidirectional overrides that can make text
// display differently from what it is ("Trojan Source").
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Removes ANSI escape sequences and control characters; keeps tabs and line breaks. */
export function stripControlChars(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(CONTROL_CHARS, '');
}

/**
 * Escapes text for inline use in GitHub markdown, including inside a table cell or a list item:
 * HTML becomes inert (`&lt;script&gt;`), pipes are entities, markdown punctuation is
 * backslash-escaped, mentions and issue references are broken with a zero-width space, and line
 * breaks become `<br>` so a cell stays on one row.
 */
export function escapeMarkdown(text: string): string {
  let out = stripControlChars(String(text)).replace(/\t/g, ' ');
  // Backticks, emphasis, links, strikethrough, headings; the backslash itself first. Before the
  // entities below, so their `#` and `;` stay as they are.
  out = out.replace(/[\\`*_[\]~#]/g, (c) => `\\${c}`);
  // Block markers only matter at the start of the text: a list item ("- x", "1. x").
  out = out.replace(/^([-+])(?=\s|$)/, '\\$1').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
  out = out.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // An entity rather than `\|`: no renderer reads an entity as a column separator, inside a
  // table or out.
  out = out.replace(/\|/g, '&#124;');
  // @user, @org/team; an @ after a word character (an e-mail) is not a mention but breaking it too
  // costs nothing.
  out = out.replace(/@(?=[A-Za-z0-9])/g, `@${ZERO_WIDTH_SPACE}`);
  // #123 (already `\#`), owner/repo#123, GH-123.
  out = out.replace(/\\#(?=\d)/g, `\\#${ZERO_WIDTH_SPACE}`);
  out = out.replace(/\b(GH)-(?=\d)/gi, `$1-${ZERO_WIDTH_SPACE}`);
  return out.replace(/\r\n|\r|\n/g, '<br>');
}

/** The longest run of backticks in any of the lines. */
function longestBacktickRun(lines: readonly string[]): number {
  let longest = 0;
  for (const line of lines) {
    for (const match of line.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  }
  return longest;
}

/**
 * Fences lines as a markdown code block that nothing inside can close: the fence is one backtick
 * longer than the longest backtick run in the content (CommonMark closes a fence only with one at
 * least as long). Control characters and ANSI codes are removed; embedded line breaks are split.
 * Mentions, issue links and HTML are not processed inside code blocks, so no other escaping.
 */
export function codeBlock(lines: readonly string[], language = ''): string {
  const body = lines.flatMap((line) => stripControlChars(String(line)).split(/\r\n|\r|\n/));
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  // The info string may not contain backticks; keep it to one word.
  const info = language.replace(/[^A-Za-z0-9_+-]/g, '');
  return [`${fence}${info}`, ...body, fence].join('\n');
}

/**
 * Escapes text for HTML element content and double-quoted attribute values (the HTML report): the five significant
 * characters become entities, and control characters and ANSI codes are removed first.
 */
export function escapeHtml(text: unknown): string {
  return stripControlChars(String(text))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
