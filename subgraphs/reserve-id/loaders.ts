import DataLoader from 'dataloader';
import { inArray, sql } from 'drizzle-orm';
import { selectRows, type Db } from '../../db/client.js';
import { reserveIdentities, reserveIdentityLinks } from '../../db/schema/index.js';
import { byKey, groupBy, traced } from '../shared/loaders.js';

export type ReserveIdentityRow = typeof reserveIdentities.$inferSelect;
export type LinkRow = typeof reserveIdentityLinks.$inferSelect;
/** A reserve identity as reached from a person: when its (direct or indirect) link to them was made. */
export type LinkedReserveIdentity = ReserveIdentityRow & { linkedAt: Date | null };

/** One hop of a chain of current links: `from` is linked to `targetKind`/`targetValue`. */
export interface Hop {
  start: string;
  depth: number;
  targetKind: LinkRow['targetKind'];
  targetValue: string;
  targetReserveId: string | null;
  /** The registered person a person-number target belongs to (set when the link is made). */
  targetPersonId: string | null;
}

/** Chains are short (LRID → NRID → SNR → PNR); the bound only stops a corrupt loop. */
export const MAX_CHAIN = 8;

export function createReserveIdLoaders(db: Db) {
  return {
    byId: new DataLoader<string, ReserveIdentityRow | null>(
      traced('reserve-id.byId', async (ids) => {
        const rows = await db
          .select()
          .from(reserveIdentities)
          .where(inArray(reserveIdentities.id, [...ids]));
        return byKey(ids, rows, (r) => r.id);
      }),
    ),
    byValue: new DataLoader<string, ReserveIdentityRow | null>(
      traced('reserve-id.byValue', async (values) => {
        const rows = await db
          .select()
          .from(reserveIdentities)
          .where(inArray(reserveIdentities.value, [...values]));
        return byKey(values, rows, (r) => r.value);
      }),
    ),
    links: new DataLoader<string, LinkRow[]>(
      traced('reserve-id.links', async (ids) => {
        const rows = await db
          .select()
          .from(reserveIdentityLinks)
          .where(inArray(reserveIdentityLinks.reserveIdentityId, [...ids]));
        return groupBy(ids, rows, (r) => r.reserveIdentityId);
      }),
    ),
    /** The current links from each identity upwards, in order (one recursive statement for the batch). */
    chain: new DataLoader<string, Hop[]>(
      traced('reserve-id.chain', async (ids) => {
        const rows = await selectRows<Hop>(
          db,
          sql`with recursive chain(start, depth, target_kind, target_value, target_reserve_id, target_person_id) as (
              select l.reserve_identity_id, 0, l.target_kind, l.target_value, t.id, l.target_person_id
                from reserve_identity_links l left join reserve_identities t on t.value = l.target_value
               where l.reserve_identity_id in (${sql.join(
                 ids.map((id) => sql`${id}::uuid`),
                 sql`, `,
               )}) and l.unlinked_at is null
              union all
              select c.start, c.depth + 1, l.target_kind, l.target_value, t.id, l.target_person_id
                from chain c join reserve_identity_links l on l.reserve_identity_id = c.target_reserve_id and l.unlinked_at is null
                left join reserve_identities t on t.value = l.target_value
               where c.depth < ${MAX_CHAIN})
            select start::text as start, depth, target_kind as "targetKind", target_value as "targetValue", target_reserve_id::text as "targetReserveId",
                   target_person_id::text as "targetPersonId"
              from chain order by start, depth`,
        );
        return groupBy(ids, rows, (r) => r.start);
      }),
    ),
    /**
     * Reserve identities whose chain of current links reaches any of a person's identifier values,
     * keyed by the person's values (joined with ','), with when their first hop was linked.
     */
    linkedTo: new DataLoader<string, LinkedReserveIdentity[]>(
      traced('reserve-id.linkedTo', async (keys) => {
        const values = [...new Set(keys.flatMap((k) => k.split(',')))].filter((v) => v !== '');
        if (values.length === 0) return keys.map(() => []);
        const rows = await selectRows<{ id: string; root: string; linkedAt: string }>(
          db,
          sql`with recursive up(id, root, linked_at, depth) as (
              select l.reserve_identity_id, l.target_value, l.linked_at, 0 from reserve_identity_links l
               where l.target_value in (${sql.join(
                 values.map((v) => sql`${v}`),
                 sql`, `,
               )}) and l.unlinked_at is null
              union all
              select l.reserve_identity_id, up.root, l.linked_at, up.depth + 1
                from up join reserve_identities r on r.id = up.id
                join reserve_identity_links l on l.target_value = r.value and l.unlinked_at is null
               where up.depth < ${MAX_CHAIN})
            select id::text as id, root, linked_at as "linkedAt" from up`,
        );
        const identities = rows.length
          ? await db
              .select()
              .from(reserveIdentities)
              .where(inArray(reserveIdentities.id, [...new Set(rows.map((r) => r.id))]))
          : [];
        const byIdentity = new Map(identities.map((r) => [r.id, r]));
        return keys.map((key) => {
          const mine = new Set(key.split(','));
          const seen = new Map<string, LinkedReserveIdentity>();
          for (const r of rows) {
            const identity = byIdentity.get(r.id);
            if (mine.has(r.root) && identity && !seen.has(r.id)) seen.set(r.id, { ...identity, linkedAt: new Date(r.linkedAt) });
          }
          return [...seen.values()];
        });
      }),
    ),
  };
}

export type ReserveIdLoaders = ReturnType<typeof createReserveIdLoaders>;
