// What writing `aup export`'s files adds to memory beyond the snapshot already read: the streamed writers aup
// export uses (writeCsvFile, writeTextFile) against the whole-text writers (inventoryCsv, JSON.stringify). The
// live heap is sampled from inside the rows as they are written, every 2,000 rows after a full collection (run
// with --expose-gc, as `npm run bench` does), so garbage waiting for the collector is not counted; the whole-text
// writers hold each file's text at once, so their figure is the largest file's length. Printed, not asserted.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeCsvFile, writeTextFile } from '../src/app/export-files.ts';
import { groupsCsv, inventoryCsv } from '../src/report/csv.ts';
import { GROUP_COLUMNS, groupRows, INVENTORY_COLUMNS, inventoryRows } from '../src/report/inventory.ts';
import { snapshotJsonChunks } from '../src/snapshot/json.ts';
import type { Snapshot } from '../src/model.ts';
import { largeSnapshot } from '../test/helpers/large.ts';

const NOW = new Date('2026-11-25T00:00:00Z');
const ACCESS = ['jira-software-users'];
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Passes items through, sampling the live heap every `every` items; `peak` is the highest sample. */
function sampler() {
  const s = {
    base: 0,
    peak: 0,
    start() {
      for (let i = 0; i < 3; i++) global.gc?.();
      s.base = process.memoryUsage().heapUsed;
      s.peak = s.base;
    },
    *through<T>(items: Iterable<T>, every = 2_000): Generator<T> {
      let i = 0;
      for (const item of items) {
        if (++i % every === 0) {
          global.gc?.();
          s.peak = Math.max(s.peak, process.memoryUsage().heapUsed);
        }
        yield item;
      }
    },
  };
  return s;
}

/**
 * A snapshot as a driver builds it from JSON answers: flat strings. (A generated snapshot's strings are
 * concatenations, which V8 flattens in place the first time they are serialised: memory of the snapshot, not of
 * the writer.)
 */
function flatSnapshot(n: number): Snapshot {
  return JSON.parse(JSON.stringify(largeSnapshot(n, NOW))) as Snapshot;
}

export async function benchExport(sizes: number[]): Promise<void> {
  if (!global.gc) console.log('  (run with --expose-gc for figures without garbage)');
  const dir = await mkdtemp(path.join(tmpdir(), 'aup-bench-export-'));
  try {
    for (const n of sizes) {
      const snapshot = flatSnapshot(n);
      // Nothing of the making is left on the stack when the heap is first measured.
      await new Promise((resolve) => setImmediate(resolve));
      const s = sampler();
      s.start();
      await writeCsvFile(
        path.join(dir, 'inventory.csv'),
        INVENTORY_COLUMNS,
        s.through(inventoryRows(snapshot, NOW, ACCESS)),
      );
      await writeCsvFile(path.join(dir, 'groups.csv'), GROUP_COLUMNS, s.through(groupRows(snapshot), 1));
      await writeTextFile(path.join(dir, 'snapshot.json'), s.through(snapshotJsonChunks(snapshot)));
      const whole = Math.max(
        inventoryCsv(snapshot, NOW, ACCESS).length,
        groupsCsv(snapshot).length,
        JSON.stringify(snapshot, null, 2).length + 1,
      );
      console.log(
        `export files, ${n.toLocaleString('en-US').padStart(7)} users: streamed +${mb(s.peak - s.base).padStart(8)} live heap while writing; whole text would hold ${mb(whole)}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchExport([10_000, 100_000, 200_000]);
