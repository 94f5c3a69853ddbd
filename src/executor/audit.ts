// The audit trail, written as changes complete: a crash leaves every row so far on disk.
import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type AuditContext, auditCsvHeader, auditCsvRow, auditRecord } from '../report/csv.ts';
import type { ApplyResult, Skipped } from '../model.ts';
import { ruleText } from '../model/rules.ts';
import { skipText } from '../report/reason.ts';

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
  /**
   * A planned skip worth remembering (a user held back after a re-activation by hand): outcome skipped, the
   * detail as the error, so later runs count the cooldown from the first run that saw it.
   */
  writeSkip(s: Skipped, at: string, email: string | null): void {
    appendFileSync(
      this.file,
      auditCsvRow({
        ...this.context,
        timestamp: at,
        kind: s.kind,
        userId: s.userId,
        username: s.user,
        email,
        group: s.group ?? null,
        rule: ruleText(s.rule),
        reason: skipText(s),
        outcome: 'skipped',
        error: s.detail,
      }),
    );
  }
}

/** Keeps results in memory (for tests and for composing sinks). */
export class MemoryAudit implements AuditSink {
  readonly rows: { result: ApplyResult; email: string | null }[] = [];
  write(result: ApplyResult, email: string | null): void {
    this.rows.push({ result, email });
  }
}
