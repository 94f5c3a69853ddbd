// `npm run soak`: the long variants of the safety tests (issue 13), with their figures. Every platform applies
// 5,000 changes under the fault scenario (SOAK_REAL_TIME=1 waits Retry-After, backoff and spikes for real);
// the real CLI is killed at SOAK_CRASH_TRIALS seeded points (default 40) on bigger organisations; the fuzz
// file runs with five times its seeds (vitest.soak.config.ts). Figures go to stdout and out/soak/figures.json.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../contract/fixtures.ts';
import { crashTrials, type TrialResult } from '../safety/crash-run.ts';
import { extraFor, type FaultFigures, underFaults } from '../safety/faults-run.ts';
import { ROOT } from '../safety/helpers.ts';

const CHANGES = Number(process.env.SOAK_CHANGES ?? 5000);
const TRIALS = Number(process.env.SOAK_CRASH_TRIALS ?? 40);
const OUT = path.join(ROOT, 'out/soak');

const faults: FaultFigures[] = [];
let crashes: TrialResult[] = [];

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function report(): Promise<void> {
  const lines = [
    '| platform | changes | runs | injected 5xx / 429 / resets / spikes | requests | retries | throttled waits | lost | repeated |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...faults.map((f) => {
      const s = f.faults.statuses;
      const fivexx = sum(
        Object.entries(s)
          .filter(([k]) => k.startsWith('5'))
          .map(([, v]) => v),
      );
      return `| ${f.platform} | ${f.changes} | ${f.runs} | ${fivexx} / ${s['429'] ?? 0} (${f.faults.storms} storms) / ${f.faults.resets} / ${f.faults.spikes} | ${f.requests} | ${f.retries} | ${f.throttledWaits} | ${f.lost} | ${f.repeated} |`;
    }),
    '',
    `crash trials: ${crashes.length} (${crashes.filter((c) => c.killed).length} killed mid-run, ${crashes.filter((c) => c.mode === 'in-flight write' && c.killed).length} with a write in flight), reruns to converge: max ${Math.max(0, ...crashes.map((c) => c.reruns))}, changes closed from the instance: ${sum(crashes.map((c) => c.closedInFlight))}, repeated writes: ${sum(crashes.map((c) => c.repeated))}`,
  ];
  await mkdir(OUT, { recursive: true });
  await writeFile(path.join(OUT, 'figures.json'), `${JSON.stringify({ faults, crashes }, null, 2)}\n`);
  await writeFile(path.join(OUT, 'figures.md'), `${lines.join('\n')}\n`);
  console.log(lines.join('\n'));
}

describe('soak', () => {
  it.each(FIXTURES)(
    `$platform: ${CHANGES} changes under faults converge in at most two runs, 0 lost, 0 repeated`,
    async (f) => {
      const figures = await underFaults(f, {
        extra: await extraFor(f, CHANGES),
        seed: 2026,
        realTime: process.env.SOAK_REAL_TIME === '1',
      });
      faults.push(figures);
      expect(figures.runs).toBeLessThanOrEqual(2);
      expect(figures.lost).toBe(0);
      expect(figures.repeated).toBe(0);
    },
  );

  it(`${TRIALS} crash trials on every platform`, async () => {
    crashes = await crashTrials(TRIALS);
    expect(crashes.every((c) => c.reruns <= 1 && c.repeated === 0)).toBe(true);
    await report();
  });
});
