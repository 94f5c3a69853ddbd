// The apply journal (journal.jsonl beside audit.csv): an append-only record of the intent to send each change,
// made durable (fsync) before its request leaves, and of its outcome once audited. A process killed at any
// point leaves every change whose request may be in flight as an intent without an outcome; the next apply in
// the same directory reads those back and closes each in the audit (reconcile.ts), so the audit files of the
// two runs account for every change. One JSON object per line; a torn last line (a kill mid-write) is skipped.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { ApplyResult, Change, Outcome, OutcomeClass } from '../model.ts';
import type { Refusal } from '../planner/refusals.ts';
import { changeGroups } from '../report/format.ts';

export const JOURNAL_FILE = 'journal.jsonl';
const VERSION = 1;

export type JournalEntry =
  | { v: 1; type: 'intent'; run: string; seq: number; at: string; change: Change; email: string | null }
  | {
      v: 1;
      type: 'outcome';
      run: string;
      seq: number;
      at: string;
      outcome: Outcome;
      /** Kept for read-only refusals: carried to the next run when this one never ends. */
      class?: OutcomeClass;
      error?: string;
    }
  /** The run got to its end: its refusals are in its refused.csv. */
  | { v: 1; type: 'end'; run: string; at: string }
  /** An earlier run's intent, closed by a later run (`run`) after reading the instance. */
  | {
      v: 1;
      type: 'closed';
      run: string;
      of: { run: string; seq: number };
      at: string;
      outcome: Outcome | 'retried';
      note: string;
    };

/** An intent whose outcome was never recorded: its request may or may not have reached the instance. */
export interface PendingIntent {
  run: string;
  seq: number;
  at: string;
  change: Change;
  email: string | null;
}

export interface ParsedJournal {
  entries: JournalEntry[];
  /** Lines that are not a journal entry (a torn last line after a kill), 1-based. */
  skippedLines: number[];
}

function isEntry(v: unknown): v is JournalEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  if (e.v !== VERSION || typeof e.run !== 'string') return false;
  if (e.type === 'intent')
    return typeof e.seq === 'number' && typeof e.change === 'object' && e.change !== null;
  if (e.type === 'outcome') return typeof e.seq === 'number' && typeof e.outcome === 'string';
  if (e.type === 'end') return true;
  if (e.type === 'closed') {
    const of = e.of as Record<string, unknown> | null;
    return typeof of === 'object' && of !== null && typeof of.run === 'string' && typeof of.seq === 'number';
  }
  return false;
}

/** Pure: the entries of a journal's text. */
export function parseJournal(text: string): ParsedJournal {
  const entries: JournalEntry[] = [];
  const skippedLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const v: unknown = JSON.parse(line);
      if (isEntry(v)) entries.push(v);
      else skippedLines.push(i + 1);
    } catch {
      skippedLines.push(i + 1);
    }
  });
  return { entries, skippedLines };
}

/** Pure: intents with neither an outcome nor a later run's closing, oldest first. */
export function pendingIntents(entries: readonly JournalEntry[]): PendingIntent[] {
  const done = new Set<string>();
  for (const e of entries) {
    if (e.type === 'outcome') done.add(`${e.run}#${e.seq}`);
    if (e.type === 'closed') done.add(`${e.of.run}#${e.of.seq}`);
  }
  return entries.flatMap((e) =>
    e.type === 'intent' && !done.has(`${e.run}#${e.seq}`)
      ? [{ run: e.run, seq: e.seq, at: e.at, change: e.change, email: e.email }]
      : [],
  );
}

/**
 * Pure: what the instance refused as read-only in runs that never got to their end (killed before writing
 * refused.csv), so the next run plans them as skipped instead of sending them again.
 */
export function interruptedRefusals(entries: readonly JournalEntry[]): Refusal[] {
  const ended = new Set(entries.flatMap((e) => (e.type === 'end' ? [e.run] : [])));
  const intents = new Map(
    entries.flatMap((e) => (e.type === 'intent' ? [[`${e.run}#${e.seq}`, e.change] as const] : [])),
  );
  return entries.flatMap((e): Refusal[] => {
    if (e.type !== 'outcome' || e.class !== 'read-only' || ended.has(e.run)) return [];
    const change = intents.get(`${e.run}#${e.seq}`);
    if (!change) return [];
    return [
      {
        userId: change.userId,
        user: change.user,
        kind: change.kind,
        group: changeGroups(change).join(';') || null,
        message: e.error ?? 'read-only directory',
        at: e.at,
        runId: e.run,
      },
    ];
  });
}

/** What an apply reads from the journal of its directory before it plans. */
export interface JournalState {
  pending: PendingIntent[];
  refusals: Refusal[];
  skippedLines: number[];
}

/** Reads a journal file; empty when it does not exist. */
export function readJournal(file: string): JournalState {
  if (!existsSync(file)) return { pending: [], refusals: [], skippedLines: [] };
  const { entries, skippedLines } = parseJournal(readFileSync(file, 'utf8'));
  return { pending: pendingIntents(entries), refusals: interruptedRefusals(entries), skippedLines };
}

/** What the executor records around each change. */
export interface JournalSink {
  /** Records the intent durably before the request; returns its sequence number. */
  intend(change: Change, email: string | null): number;
  /** Records the outcome once the change is audited. */
  settle(seq: number, result: ApplyResult): void;
}

/** Appends to `file` with one file descriptor; intents are fsync'ed before their request is sent. */
export class JournalFile implements JournalSink {
  readonly file: string;
  private readonly run: string;
  private readonly clock: () => Date;
  private fd: number | null;
  private seq = 0;

  constructor(file: string, run: string, clock: () => Date) {
    this.file = file;
    this.run = run;
    this.clock = clock;
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
    const text = readFileSync(file, 'utf8');
    // A line torn by a kill mid-write stays a line of its own: later entries start on a fresh line.
    if (text !== '' && !text.endsWith('\n')) writeSync(this.fd, '\n');
    // A run id written again (a CLI run id is a timestamp) continues after the highest seq already there.
    const prior = parseJournal(text).entries;
    for (const e of prior) if (e.type === 'intent' && e.run === run) this.seq = Math.max(this.seq, e.seq);
  }

  private append(entry: JournalEntry, durable: boolean): void {
    if (this.fd === null) throw new Error(`${this.file}: the journal is closed`);
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    if (durable) fsyncSync(this.fd);
  }

  intend(change: Change, email: string | null): number {
    const seq = ++this.seq;
    const at = this.clock().toISOString();
    this.append({ v: 1, type: 'intent', run: this.run, seq, at, change, email }, true);
    return seq;
  }

  settle(seq: number, result: ApplyResult): void {
    const refused = result.class === 'read-only' ? { class: result.class, error: result.error } : {};
    this.append(
      { v: 1, type: 'outcome', run: this.run, seq, at: result.at, outcome: result.outcome, ...refused },
      false,
    );
  }

  /** The run got to its end (its refused.csv is written). */
  end(): void {
    this.append({ v: 1, type: 'end', run: this.run, at: this.clock().toISOString() }, true);
  }

  /** Closes an earlier run's pending intent. */
  close(of: PendingIntent, outcome: Outcome | 'retried', note: string): void {
    const at = this.clock().toISOString();
    this.append(
      { v: 1, type: 'closed', run: this.run, of: { run: of.run, seq: of.seq }, at, outcome, note },
      true,
    );
  }

  dispose(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
