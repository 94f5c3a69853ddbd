// Neutralising user-controlled text (usernames, display names, emails, group names) for each output.
//
// Markdown (GitHub PR comments and job summaries):
// - @mentions: GitHub resolves mentions AFTER Markdown rendering, on the decoded text, so neither
//   `\@` nor `&#64;` stops the notification. We insert a zero-width space after every `@`
//   (`@&#8203;`), the technique Renovate and Dependabot use. The same goes for `#` (issue and PR
//   cross-references such as `#12`), `://` and `www.` (bare URLs are autolinked by GFM).
// - HTML: `&`, `<`, `>` become entities, so no tag or comment can be opened.
// - Markdown syntax: ASCII punctuation that starts emphasis, links, images, code, tables,
//   strikethrough or math is backslash-escaped; a leading list or heading marker is escaped;
//   newlines and other control characters are collapsed so a value stays on its table row.
//
// CSV (spreadsheets): OWASP "CSV Injection" — a cell starting with = + - @ TAB or CR is prefixed
// with a single quote so no spreadsheet evaluates it as a formula.

/** C0 and C1 controls (incl. ESC, CSI), DEL, and the Unicode line/paragraph separators. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** Bidirectional overrides and isolates ("Trojan Source"): they reorder what a reviewer sees. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text safe to print on a terminal: every control character (escape sequences, carriage returns,
 * backspaces, newlines) becomes a space or disappears, so user text cannot move the cursor,
 * recolour the screen or forge extra lines.
 */
export function stripControl(text: string): string {
  return text
    .replace(/\r\n|[\r\n\t\u2028\u2029]/g, ' ')
    .replace(CONTROL, '')
    .replace(BIDI, '');
}

const ZWSP = '&#8203;';

const MARKDOWN_REPLACEMENTS: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '@': `@${ZWSP}`,
  '#': `#${ZWSP}`,
};
/** Backslash-escaped: emphasis, code, links/images, tables, strikethrough, math, escapes. */
const BACKSLASHED = new Set(['\\', '`', '*', '_', '[', ']', '(', ')', '|', '!', '~', '$', '{', '}']);

/**
 * Escapes user-controlled text for one Markdown line or table cell on GitHub: renders as the same
 * visible text, but cannot mention anyone, reference an issue, open HTML, or create links, images,
 * emphasis, headings, lists or extra table cells.
 */
export function escapeMarkdown(text: string): string {
  const flat = stripControl(text).replace(/ {2,}/g, ' ');
  let out = '';
  for (const ch of flat) {
    const replacement = MARKDOWN_REPLACEMENTS[ch];
    if (replacement !== undefined) out += replacement;
    else if (BACKSLASHED.has(ch)) out += `\\${ch}`;
    else out += ch;
  }
  // Bare URLs are autolinked by GitHub; a zero-width space breaks the scheme and `www.` patterns.
  out = out.replace(/:\/\//g, `:${ZWSP}//`).replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWSP}.`);
  // A value placed at the start of a line must not become a list item, heading or block.
  return out.replace(/^(\s*)([-+=]|\d+[.)])/, (_m, space: string, marker: string) =>
    marker.length === 1 ? `${space}\\${marker}` : `${space}${marker.slice(0, -1)}\\${marker.slice(-1)}`,
  );
}

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * OWASP CSV-injection guard: a cell starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading
 * `'` so spreadsheets show it as text. Quoting of commas, quotes and newlines is left to the
 * CSV writer (csv-stringify).
 */
export function neutraliseCsvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Text of a message cut to a readable length, line by line: a value echoed into a message (a 200,000-character
 * display name, a hostile policy's pattern) must not turn one line of output into pages.
 */
export function clipLines(text: string, max = 400): string {
  return text
    .split('\n')
    .map((line) =>
      line.length > max ? `${line.slice(0, max)}… (${line.length.toLocaleString('en-US')} characters)` : line,
    )
    .join('\n');
}
