// Every platform under faults (issue 13): 10% 5xx, 429 storms with Retry-After, 2% connection resets, 1%
// two-second latency spikes and a page failing mid-listing. An apply converges in at most two runs with no
// planned change lost and no write carried out twice, both read from the sandbox's request log. Waits are
// injected (nothing sleeps) so this stays fast; `npm run soak` runs 5,000 changes per platform, and with
// SOAK_REAL_TIME=1 waits for real.
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../contract/fixtures.ts';
import { underFaults } from './faults-run.ts';

const EXTRA = Number(process.env.SOAK_FAULT_EXTRA ?? 60);

describe.each(FIXTURES)('$platform under injected faults', (f) => {
  it(`converges in at most two runs: 0 lost, 0 repeated (${EXTRA * 2}+ changes)`, async () => {
    const figures = await underFaults(f, {
      extra: EXTRA,
      seed: 11,
      realTime: process.env.SOAK_REAL_TIME === '1',
    });
    if (process.env.SOAK_REPORT) console.log(JSON.stringify(figures));
    expect(figures.runs).toBeLessThanOrEqual(2);
    expect(figures.lost).toBe(0);
    expect(figures.repeated).toBe(0);
    // The faults did happen, and were survived by retries and waits.
    const injected = Object.values(figures.faults.statuses).reduce((a, b) => a + b, 0);
    expect(injected).toBeGreaterThan(0);
    expect(figures.faults.resets + figures.faults.spikes).toBeGreaterThan(0);
    expect(figures.retries + figures.throttledWaits).toBeGreaterThan(0);
  }, 600_000);
});
