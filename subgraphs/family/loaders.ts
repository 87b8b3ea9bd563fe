import DataLoader from 'dataloader';
import { traced } from '../shared/loaders.js';
import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../../db/client.js';
import { registerDate } from '../../kernel/register-date.js';
import type { FamilyRelationKind } from '../../kernel/register-codes.js';

export interface RelationRow {
  id: number;
  personId: string;
  kind: FamilyRelationKind;
  relativePersonId: string | null;
  relativeName: string | null;
  relativeBirthDate: string | null;
  validFrom: string | null;
  validTo: string | null;
}

export interface RelationPageKey {
  personId: string;
  /** Relation id the page starts after (keyset pagination); 0 for the first page. */
  afterId: number;
  /** Rows to fetch: page size + 1, to learn whether another page follows. */
  limit: number;
  kinds: string[] | null;
  includeHistoric: boolean;
}

export interface RelationPage {
  rows: RelationRow[];
  totalCount: number;
}

/**
 * Pages of relations for many persons in one statement: a lateral subquery per person takes that
 * person's next `limit` rows after the cursor, another counts the matching relations.
 */
export function createFamilyLoaders(db: Db) {
  return {
    page: new DataLoader<RelationPageKey, RelationPage, string>(
      traced('family.page', async (keys) => {
        // Keys of one batch may differ in arguments; group those that share them.
        const groups = new Map<string, RelationPageKey[]>();
        for (const k of keys) {
          const g = JSON.stringify([k.limit, k.kinds, k.includeHistoric]);
          groups.set(g, [...(groups.get(g) ?? []), k]);
        }
        const results = new Map<RelationPageKey, RelationPage>();
        for (const group of groups.values()) {
          const { limit, kinds, includeHistoric } = group[0]!;
          const today = registerDate();
          const kindsJson = kinds ? JSON.stringify(kinds) : null;
          // One JSON parameter instead of typed arrays: both drivers pass it the same way.
          const wanted = JSON.stringify(group.map((k) => ({ person_id: k.personId, after_id: k.afterId })));
          const filter = sql`(${kindsJson}::jsonb is null or ${kindsJson}::jsonb ? r.kind)
                and (${includeHistoric} or r.valid_to is null or r.valid_to > ${today}::date)`;
          // Per wanted person, two lateral index range scans on (person_id, id): the count and the page.
          // (A join of the recordset against the whole table lets the planner pick a sequential scan.)
          const rows = await selectRows<RelationRow & { afterId: string; total: string }>(
            db,
            sql`
            select p.id, w.person_id as "personId", p.kind, p.relative_person_id as "relativePersonId",
                   p.relative_name as "relativeName", p.relative_birth_date::text as "relativeBirthDate",
                   p.valid_from::text as "validFrom", p.valid_to::text as "validTo", w.after_id as "afterId", c.total
            from json_to_recordset(${wanted}::json) as w(person_id uuid, after_id bigint)
            cross join lateral (select count(*) as total from family_relations r where r.person_id = w.person_id and ${filter}) c
            left join lateral (
              select r.* from family_relations r
              where r.person_id = w.person_id and r.id > w.after_id and ${filter}
              order by r.id limit ${limit}
            ) p on true
            order by w.person_id, w.after_id, p.id`,
          );
          const perPerson = new Map<string, RelationPage>();
          for (const r of rows) {
            const key = `${r.personId}:${r.afterId}`;
            const page = perPerson.get(key) ?? { rows: [], totalCount: Number(r.total) };
            if (r.id !== null) page.rows.push({ ...r, id: Number(r.id) });
            perPerson.set(key, page);
          }
          for (const k of group) results.set(k, perPerson.get(`${k.personId}:${k.afterId}`) ?? { rows: [], totalCount: 0 });
        }
        return keys.map((k) => results.get(k)!);
      }),
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
  };
}

export type FamilyLoaders = ReturnType<typeof createFamilyLoaders>;
