// The audit trail, written as changes complete: a crash leaves every row so far on disk.
import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type AuditContext, auditCsvHeader, auditCsvRow, auditRecord } from '../report/csv.ts';
import type { ApplyResult } from '../model.ts';

export interface AuditSink {
  write(result: ApplyResult, email: string | null): void;
}

/** Appends to `file` (header written once), synchronously, so no row is lost to a crash. */
export class CsvAuditFile implements AuditSink {
  readonly file: string;
  private readonly context: AuditContext;
  constructor(file: string, context: AuditContext) {
    this.file = file;
    this.context = context;
    mkdirSync(path.dirname(file), { recursive: true });
    if (!existsSync(file) || statSync(file).size === 0) writeFileSync(file, auditCsvHeader());
  }
  write(result: ApplyResult, email: string | null): void {
    appendFileSync(this.file, auditCsvRow(auditRecord(result, this.context, email)));
  }
}

/** Keeps results in memory (for tests and for composing sinks). */
export class MemoryAudit implements AuditSink {
  readonly rows: { result: ApplyResult; email: string | null }[] = [];
  write(result: ApplyResult, email: string | null): void {
    this.rows.push({ result, email });
  }
}
