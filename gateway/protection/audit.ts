import type { Db } from '../../db/client.js';
import { auditEvents } from '../../db/schema/audit.js';
import { inSpan } from '../../kernel/tracing.js';

/** One response's releases of protected fields to an entitled caller. */
export interface AuditRecord {
  subject: string;
  client: string | null;
  purpose: string | null;
  operationName: string | null;
  /** Person id → the field coordinates (`Person.address`) released of that person. */
  releases: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Writes audit records durably; a rejected promise means nothing may be released. */
export interface AuditLog {
  record(entry: AuditRecord): Promise<void>;
}

/** Audit records in the `audit_events` table, one row per person, committed before the response is sent. */
export function databaseAuditLog(db: Db): AuditLog {
  return {
    record(entry) {
      // Its span counts the rows written; the persons and fields are not span data.
      return inSpan('audit.write', { attributes: { 'folkreg.audit.rows': entry.releases.size } }, () => write(db, entry));
    },
  };
}

/** One row per person released, in one statement. */
async function write(db: Db, entry: AuditRecord): Promise<void> {
  const at = new Date();
  await db.insert(auditEvents).values(
    [...entry.releases].map(([personId, fields]) => ({
      at,
      subject: entry.subject,
      client: entry.client,
      personId,
      fields: [...fields].sort(),
      operationName: entry.operationName,
      purpose: entry.purpose,
    })),
  );
}
