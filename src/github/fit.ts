// Cutting Markdown to a size budget without leaving a code fence or a <details> block open.

/**
 * Returns `text` unchanged when `measure(text) <= max`; otherwise whole lines from the start that fit,
 * closers for an open ``` fence and open `<details>`, then `note`. `measure` is `s.length` for
 * comments (characters) or `Buffer.byteLength` for the job summary (bytes).
 */
export function truncateMarkdown(
  text: string,
  max: number,
  note: string,
  measure: (s: string) => number,
): string {
  if (measure(text) <= max) return text;
  const lines = text.split('\n');
  const budget = max - measure(note);
  let used = 0;
  let n = 0;
  for (; n < lines.length; n++) {
    const size = measure(lines[n] ?? '') + 1;
    if (used + size > budget) break;
    used += size;
  }
  // Drop more lines while the closers do not fit as well.
  for (; n >= 0; n--) {
    const cut = lines.slice(0, n).join('\n');
    const out = cut + closers(cut) + note;
    if (measure(out) <= max || n === 0) return out;
  }
  return note;
}

function closers(text: string): string {
  let out = '';
  const fences = text.split('\n').filter((l) => /^\s*(```|~~~)/.test(l)).length;
  if (fences % 2 === 1) out += '\n```';
  const open = (text.match(/<details\b/g) ?? []).length - (text.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < open; i++) out += '\n</details>';
  return out;
}
