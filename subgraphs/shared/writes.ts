/**
 * Helpers every write of a subgraph needs: the person it concerns, a per-person lock, today's date. The
 * argument checks (scope, ids, dates) are the kernel's (kernel/validate.ts).
 */
import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/client.js';
import type { Executor } from '../../db/outbox.js';
import { markerInForceSql } from './protection-sql.js';
import { registerDate } from '../../kernel/register-date.js';

/**
 * What a write in another domain must know about the person it changes: that they exist, the
 * protection kinds in force (a write to a hidden category is refused), and the identifier, birth date
 * and register country its change event carries. Read-only and in one statement; everything else of
 * the person domain is reached through federation.
 */
export interface PersonFacts {
  id: string;
  country: 'SE' | 'DK';
  birthDate: string | null;
  /** The current national identifier (canonical form), if any. */
  identifier: string | null;
  /** Protection kinds in force on the register's date (`markerInForce`). */
  activeProtectionKinds: string[];
  /** Life status (persons.status): ACTIVE, EMIGRATED, DECEASED … */
  status: string;
  /** The day the life status began (persons.status_date), if recorded. */
  statusDate: string | null;
}

/** Facts of the given persons; ids with no person are absent from the map. */
export async function loadPersonFacts(tx: Executor, ids: string[]): Promise<Map<string, PersonFacts>> {
  const rows = await selectRows<PersonFacts>(
    tx,
    sql`select p.id, p.country, p.birth_date::text as "birthDate", p.status, p.status_date::text as "statusDate",
          (select i.value from person_identifiers i where i.person_id = p.id and i.valid_to is null
             order by i.valid_from desc nulls last, i.id desc limit 1) as identifier,
          coalesce((select array_agg(distinct m.kind) from protection_markers m where m.person_id = p.id
             and ${markerInForceSql('m')}), '{}') as "activeProtectionKinds"
        from persons p where p.id in (select json_array_elements_text(${JSON.stringify(ids)}::json)::uuid)`,
  );
  return new Map(rows.map((r) => [r.id, { ...r, activeProtectionKinds: parsePgArray(r.activeProtectionKinds) }]));
}

/** postgres.js parses text[]; PGlite too, but be liberal about a `{a,b}` string. */
function parsePgArray(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  if (typeof value === 'string')
    return value
      .replace(/^\{|\}$/g, '')
      .split(',')
      .filter(Boolean);
  return [];
}

/** Serialises writes that concern one person within the domain `domain` (until the transaction ends). */
export function lockPerson(tx: Executor, domain: string, personId: string) {
  return tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${domain}:${personId}`}))`);
}

/** Today in the register's time zone (`registerDate`), `YYYY-MM-DD`: what "current" and "not in the future" mean. */
export function today(): string {
  return registerDate();
}

/**
 * The persons that have (or had: replaced numbers stay theirs) each identifier value; values nobody has
 * are absent. Read-only, one statement, for writes that must name the person a number belongs to.
 */
export async function personIdsByIdentifier(tx: Executor, values: string[]): Promise<Map<string, string>> {
  if (values.length === 0) return new Map();
  const rows = await selectRows<{ value: string; personId: string }>(
    tx,
    sql`select distinct on (i.value) i.value, i.person_id::text as "personId" from person_identifiers i
        where i.value in (select json_array_elements_text(${JSON.stringify(values)}::json))
        order by i.value, i.valid_to desc nulls first, i.id desc`,
  );
  return new Map(rows.map((r) => [r.value, r.personId]));
}
