/** Removes ANSI escape sequences and control characters; keeps tabs and line breaks. */
export declare function stripControlChars(text: string): string;
/**
 * Escapes text for inline use in GitHub markdown, including inside a table cell or a list item:
 * HTML becomes inert (`&lt;script&gt;`), pipes are entities, markdown punctuation is
 * backslash-escaped, mentions and issue references are broken with a zero-width space, and line
 * breaks become `<br>` so a cell stays on one row.
 */
export declare function escapeMarkdown(text: string): string;
/**
 * Fences lines as a markdown code block that nothing inside can close: the fence is one backtick
 * longer than the longest backtick run in the content (CommonMark closes a fence only with one at
 * least as long). Control characters and ANSI codes are removed; embedded line breaks are split.
 * Mentions, issue links and HTML are not processed inside code blocks, so no other escaping.
 */
export declare function codeBlock(lines: readonly string[], language?: string): string;
/**
 * Escapes text for HTML element content and double-quoted attribute values (the HTML report): the five significant
 * characters become entities, and control characters and ANSI codes are removed first.
 */
export declare function escapeHtml(text: unknown): string;
