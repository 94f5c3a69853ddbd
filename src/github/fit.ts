// Cutting Markdown to a size budget without leaving a code fence or a <details> block open.

/**
 * Returns `text` unchanged when `measure(text) <= max`; otherwise whole lines from the start that fit,
 * closers for an open ``` fence and open `<details>`, then `note`. `measure` is `s.length` for
 * comments (characters) or `Buffer.byteLength` for the job summary (bytes).
 */
export function truncateMarkdown(text: string, max: number, note: string, measure: (s: string) => number): string {
  if (measure(text) <= max) return text;
  const budget = max - measure(note) - 256; // 256: room for the closers
  const lines = text.split('\n');
  let used = 0;
  let n = 0;
  for (; n < lines.length; n++) {
    const size = measure(lines[n] ?? '') + 1;
    if (used + size > budget) break;
    used += size;
  }
  const cut = lines.slice(0, n).join('\n');
  return cut + closers(cut) + note;
}

function closers(text: string): string {
  let out = '';
  const fences = text.split('\n').filter((l) => /^\s*(```|~~~)/.test(l)).length;
  if (fences % 2 === 1) out += '\n```';
  const open = (text.match(/<details\b/g) ?? []).length - (text.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < Math.min(open, 10); i++) out += '\n</details>';
  return out;
}
