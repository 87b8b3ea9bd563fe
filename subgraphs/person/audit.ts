import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { auditEvents } from '../../db/schema/index.js';
import { requirePageSize, requirePersonId, requireScope } from '../../kernel/validate.js';
import type { SubgraphContext } from '../shared/server.js';
import type { QueryAuditEventsArgs } from './generated/resolvers.js';

/** Scope of auditors: who may read the record of releases of protected data. */
export const AUDITOR_SCOPE = 'audit:read';
/** Largest page of audit events. @default 200 */
export const MAX_AUDIT_PAGE = 200;

/**
 * `Query.auditEvents`: the durable record the gateway writes before it releases protected fields to
 * an entitled caller, newest first. The person subgraph serves it because every record is about a
 * person; only the gateway writes it.
 */
export async function auditEventsPage(args: QueryAuditEventsArgs, ctx: SubgraphContext) {
  requireScope(ctx.caller.scopes, AUDITOR_SCOPE);
  const first = args.first ?? 50;
  requirePageSize(first, MAX_AUDIT_PAGE);
  const scope = `audit:${args.personId ?? ''}:${args.subject ?? ''}`;
  const conditions: SQL[] = [];
  if (args.personId) {
    conditions.push(eq(auditEvents.personId, requirePersonId(args.personId, 'personId')));
  }
  if (args.subject) conditions.push(eq(auditEvents.subject, args.subject));
  if (args.after) conditions.push(lt(auditEvents.id, ctx.cursors.decode<{ id: number }>(scope, args.after).id));
  const rows = await ctx.db
    .select()
    .from(auditEvents)
    .where(conditions.length ? and(...conditions) : sql`true`)
    .orderBy(desc(auditEvents.id))
    .limit(first + 1);
  const page = rows.slice(0, first);
  const edges = page.map((row) => ({
    cursor: ctx.cursors.encode(scope, { id: row.id }),
    node: { ...row, at: row.at.toISOString(), person: { id: row.personId } },
  }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
