// A tiny seeded PRNG (mulberry32) and the few helpers the generator and the fault injector need.
// Same seed, same sequence, on every platform: the sandbox's "random" data and faults are reproducible.

export type Random = () => number;

/** mulberry32: 32-bit state, period 2^32, good enough for test data. Returns floats in [0, 1). */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [min, max] (both inclusive). */
export function intBetween(rand: Random, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

export function pick<T>(rand: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(rand() * items.length)] as T;
}

/** true with probability p. */
export function chance(rand: Random, p: number): boolean {
  return rand() < p;
}
