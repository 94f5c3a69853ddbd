import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model.ts';
import { planJson } from '../../src/report/json.ts';
import { smallPlan } from './fixtures.ts';

/** The same plan with every object's keys inserted in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  }
  return value;
}

describe('planJson', () => {
  it('is pretty, newline-terminated and round-trips', () => {
    const json = planJson(smallPlan());
    expect(json.startsWith('{\n  "formatVersion": 2,\n  "activity": null,\n  "applyable": true,\n')).toBe(
      true,
    );
    expect(json.endsWith('}\n')).toBe(true);
    expect(JSON.parse(json)).toEqual(smallPlan());
  });

  it('does not depend on the order fields were built in', () => {
    expect(planJson(reversed(smallPlan()) as Plan)).toBe(planJson(smallPlan()));
  });

  it('writes identifying keys first in each change', () => {
    expect(planJson(smallPlan())).toContain(
      '    {\n      "kind": "deactivate",\n      "user": "frank",\n      "userId": "id-frank",\n',
    );
  });
});
