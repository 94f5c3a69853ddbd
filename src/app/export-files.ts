// What `aup export` writes: inventory.csv (a row per user), groups.csv (a row per group) and snapshot.json (what
// `aup plan|list --snapshot` read), each streamed to its file a row (a user) at a time, so writing adds no memory
// that grows with the number of users beyond the snapshot already read.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Snapshot } from '../model.ts';
import type { Policy } from '../policy/schema.ts';
import { type Cell, csvOptions } from '../report/csv-format.ts';
import {
  csvRecords,
  GROUP_COLUMNS,
  groupRows,
  INVENTORY_COLUMNS,
  inventoryRows,
} from '../report/inventory.ts';
import { snapshotJsonChunks } from '../snapshot/json.ts';

export const EXPORT_FILES = {
  inventory: 'inventory.csv',
  groups: 'groups.csv',
  snapshot: 'snapshot.json',
} as const;

/** Streams rows to a CSV file (neutralised, the format of every CSV file), with backpressure. */
export async function writeCsvFile(
  file: string,
  columns: readonly string[],
  rows: Iterable<Record<string, Cell>>,
): Promise<void> {
  await pipeline(
    Readable.from(csvRecords(columns, rows)),
    stringify(csvOptions(columns)),
    createWriteStream(file),
  );
}

/** Streams text chunks to a file, with backpressure. */
export async function writeTextFile(file: string, chunks: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(chunks), createWriteStream(file));
}

export interface ExportedFiles {
  inventory: string;
  groups: string;
  snapshot: string;
}

export async function writeExportFiles(
  dir: string,
  snapshot: Snapshot,
  policy: Pick<Policy, 'instance' | 'groups'>,
  now: Date,
): Promise<ExportedFiles> {
  await mkdir(dir, { recursive: true });
  const files: ExportedFiles = {
    inventory: path.join(dir, EXPORT_FILES.inventory),
    groups: path.join(dir, EXPORT_FILES.groups),
    snapshot: path.join(dir, EXPORT_FILES.snapshot),
  };
  await writeCsvFile(
    files.inventory,
    INVENTORY_COLUMNS,
    inventoryRows(snapshot, now, policy.instance.access_groups),
  );
  await writeCsvFile(files.groups, GROUP_COLUMNS, groupRows(snapshot, policy.groups));
  await writeTextFile(files.snapshot, snapshotJsonChunks(snapshot));
  return files;
}
