// Summarises a .cpuprofile (node --cpu-prof): the functions with the most self time, and self time per file.
//   node bench/profile-top.ts FILE.cpuprofile [N]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

export function profileTop(file: string, n = 25): string[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [id, us] of self) {
    const cf = byId.get(id)!.callFrame;
    const short = cf.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/') || '(native)';
    const key = `${cf.functionName || '(anonymous)'} ${short}:${cf.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    files.set(short, (files.get(short) ?? 0) + us);
  }
  const pct = (us: number) =>
    `${((us / total) * 100).toFixed(1).padStart(5)}% ${(us / 1e6).toFixed(2).padStart(6)} s`;
  const top = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `  ${pct(us)}  ${k}`);
  return [
    `total ${(total / 1e6).toFixed(2)} s sampled`,
    'self time by function:',
    ...top(fn),
    'self time by file:',
    ...top(files).slice(0, 12),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(profileTop(process.argv[2]!, Number(process.argv[3] ?? 25)).join('\n'));
