// Crash safety (issue 13): the real CLI applying over real HTTP is killed with SIGKILL at seeded points — while
// the instance carries out a write whose answer then never arrives, or anywhere among its reads — on every
// platform in turn. The rerun in the same --out converges, no write is carried out twice (the sandbox's
// request log), and the audit accounts for every planned change, the one in flight included (the rerun finds
// it in effect and closes it), with no change audited as applied twice and no intent left open.
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../contract/fixtures.ts';
import { crashTrials, TRIALS } from './crash-run.ts';

describe('crash safety: SIGKILL at seeded points, over real HTTP', () => {
  it(`${TRIALS} trials across every platform: each rerun converges, no write twice, the audit accounts for every change`, async () => {
    const results = await crashTrials();
    if (process.env.CRASH_DEBUG) console.log(JSON.stringify(results));
    expect(results).toHaveLength(TRIALS);
    // The trials did kill, and some killed a write in flight that the rerun then closed from the instance.
    expect(results.filter((r) => r.killed).length).toBeGreaterThanOrEqual(TRIALS * 0.75);
    expect(results.reduce((n, r) => n + r.closedInFlight, 0)).toBeGreaterThan(0);
    expect(new Set(results.map((r) => r.platform)).size).toBe(FIXTURES.length);
  }, 600_000);
});
