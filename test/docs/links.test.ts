// Every fact stays findable: each relative link of the README and of docs/*.md points to a file that exists, and
// each #anchor to a heading of that file (GitHub's heading ids).
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** GitHub's id for a heading: lower case, punctuation dropped (hyphens kept), spaces to hyphens, -1… on repeats. */
export function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6} (.+)$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

/** Markdown links `[text](target)` outside code fences, with their line numbers. */
function links(markdown: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  let fenced = false;
  markdown.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) return;
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g))
      out.push({ target: m[1]!, line: i + 1 });
  });
  return out;
}

async function docs(): Promise<string[]> {
  const inDocs = (await readdir('docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  return ['README.md', ...inDocs];
}

describe('documentation links', () => {
  it('heading ids follow GitHub', () => {
    const ids = headingIds(
      '## What it does on each event (`mode: auto`)\n### Plans, snapshots and files\n## A\n## A',
    );
    expect([...ids]).toEqual([
      'what-it-does-on-each-event-mode-auto',
      'plans-snapshots-and-files',
      'a',
      'a-1',
    ]);
  });

  it('point to files and headings that exist', async () => {
    const broken: string[] = [];
    for (const file of await docs()) {
      const text = await readFile(file, 'utf8');
      for (const { target, line } of links(text)) {
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        const [rel, anchor] = target.split('#') as [string, string | undefined];
        const dest = rel ? path.join(path.dirname(file), rel) : file;
        const exists = await stat(dest).then(
          () => true,
          () => false,
        );
        if (!exists) {
          broken.push(`${file}:${line}: ${target}: no file ${dest}`);
          continue;
        }
        if (anchor && dest.endsWith('.md') && !headingIds(await readFile(dest, 'utf8')).has(anchor))
          broken.push(`${file}:${line}: ${target}: no heading #${anchor} in ${dest}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
