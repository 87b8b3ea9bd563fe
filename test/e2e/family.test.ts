import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { changeEvents, familyRelations, protectionMarkers } from '../../db/schema/index.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { insertPerson, relate, type FixturePerson } from '../support/fixtures.js';
import { codes, useTestStack } from '../support/stack.js';

let anna: FixturePerson;
let erik: FixturePerson;
let hidden: FixturePerson;
let writer: Record<string, string>;
let n = 0;

async function newPerson(givenNames: string): Promise<FixturePerson> {
  n++;
  return insertPerson(env.db, {
    identifier: personalIdentityNumber({ birthDate: `1960-03-${String((n % 28) + 1).padStart(2, '0')}`, serial: 300 + n }),
    givenNames,
    familyName: 'Berg',
  });
}

/** What a page and a write both give of a relation. */
const RELATION = /* GraphQL */ `
  fragment Relation on FamilyRelation {
    id
    kind
    relationCode
    current
    since
    until
    relativeName
    relativeBirthDate
    relative {
      id
    }
  }
`;

const PAGE = /* GraphQL */ `
  query Page($id: String!, $first: Int, $after: String, $historic: Boolean, $kinds: [FamilyRelationKind!]) {
    person(identifier: $id) {
      familyRelations(first: $first, after: $after, includeHistoric: $historic, kinds: $kinds) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            ...Relation
          }
        }
      }
    }
  }
  ${RELATION}
`;

const RECORD = /* GraphQL */ `
  mutation Record($input: RecordFamilyRelationInput!) {
    recordFamilyRelation(input: $input) {
      relation {
        ...Relation
      }
    }
  }
  ${RELATION}
`;
const END = /* GraphQL */ `
  mutation End($input: EndFamilyRelationInput!) {
    endFamilyRelation(input: $input) {
      relation {
        id
        current
        until
      }
    }
  }
`;

async function page(person: FixturePerson, first: number, after?: string | null, extra: Record<string, unknown> = {}) {
  const res = await env.stack.query(PAGE, { id: person.identifier, first, after, ...extra });
  expect(res.errors).toBeUndefined();
  return res.data.person.familyRelations;
}

/** Walks every page, running `between` after each page; returns the relation ids in the order seen. */
async function walk(person: FixturePerson, first: number, extra: Record<string, unknown> = {}, between?: (pageNo: number) => Promise<void>) {
  const seen: string[] = [];
  let after: string | null = null;
  for (let pageNo = 1; ; pageNo++) {
    const p: any = await page(person, first, after, extra);
    seen.push(...p.edges.map((e: any) => e.node.id));
    if (!p.pageInfo.hasNextPage) return seen;
    after = p.pageInfo.endCursor;
    await between?.(pageNo);
  }
}

async function record(input: Record<string, unknown>, headers = writer) {
  return env.stack.query(RECORD, { input }, headers);
}

async function relationCount(personId: string): Promise<number> {
  const [row] = await selectRows<{ n: number }>(env.db, sql`select count(*)::int as n from family_relations where person_id = ${personId}`);
  return row!.n;
}

async function eventCount(): Promise<number> {
  const [row] = await selectRows<{ n: number }>(env.db, sql`select count(*)::int as n from change_events`);
  return row!.n;
}

const env = useTestStack({
  seed: async (db) => {
    anna = await insertPerson(db, { identifier: '191212121212', givenNames: 'Anna', familyName: 'Östlund', birthDate: '1912-12-12' });
    erik = await insertPerson(db, { identifier: '198211059954', givenNames: 'Erik', familyName: 'Åberg', birthDate: '1982-11-05', sex: 'MALE' });
    hidden = await newPerson('Hemlig');
    await db.insert(protectionMarkers).values({ personId: hidden.id, kind: 'SE_CONFIDENTIALITY_MARKING', validFrom: '2020-01-01' });
    await relate(db, anna.id, 'MOTHER', { name: 'Karin Lind', birthDate: '1890-04-02' });
    await relate(db, anna.id, 'SPOUSE', erik);
    for (let i = 0; i < 12; i++) await relate(db, anna.id, 'CHILD', await newPerson(`Barn${i}`));
    await relate(db, anna.id, 'SPOUSE', { name: 'Gustav Ek', birthDate: '1905-02-03' }, '1940-01-01');
  },
});

beforeAll(async () => {
  writer = { authorization: `Bearer ${await env.stack.issue({ scope: 'folkreg:read family:write', sub: 'clerk' })}` };
});

describe('reading family relations', () => {
  it('gives kind, Familie+ code, validity, and a relative known only by name and birth date', async () => {
    const p = await page(anna, 20, null, { historic: true });
    expect(p.totalCount).toBe(15);
    const nodes = p.edges.map((e: any) => e.node);
    expect(nodes[0]).toMatchObject({
      kind: 'MOTHER',
      relationCode: 'Mor',
      current: true,
      since: '2001-01-01',
      until: null,
      relativeName: 'Karin Lind',
      relativeBirthDate: '1890-04-02',
      relative: null,
    });
    expect(nodes[1]).toMatchObject({ kind: 'SPOUSE', relationCode: 'Ægtefælle', relative: { id: erik.id }, relativeName: null });
    expect(nodes[2]).toMatchObject({ kind: 'CHILD', relationCode: 'Barn' });
    expect(nodes.at(-1)).toMatchObject({ kind: 'SPOUSE', current: false, until: '1940-01-01', relativeName: 'Gustav Ek' });
  });

  it('filters by kind and leaves ended relations out unless includeHistoric', async () => {
    expect((await page(anna, 20, null, { kinds: ['SPOUSE'] })).totalCount).toBe(1);
    expect((await page(anna, 20, null, { kinds: ['SPOUSE'], historic: true })).totalCount).toBe(2);
  });
});

describe('the pagination contract', () => {
  it.each([1, 3, 7, 20])('walking pages of %i yields every relation exactly once, in a stable order', async (first) => {
    const all = await walk(anna, 20, { historic: true });
    const seen = await walk(anna, first, { historic: true });
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(15);
  });

  it('relations added and ended between two page requests: each current one exactly once, added ones after, ended ones left out', async () => {
    const p = await newPerson('Paula');
    const initial: string[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await record({ personId: p.id, kind: 'CHILD', relativePersonId: (await newPerson(`Kid${i}`)).id, since: '2010-01-01' });
      expect(r.errors).toBeUndefined();
      initial.push(r.data.recordFamilyRelation.relation.id);
    }
    const added: string[] = [];
    const seen = await walk(p, 3, {}, async (pageNo) => {
      if (pageNo !== 1) return;
      // After page 1 (initial[0..2]): one already read and one not yet read end; two are added.
      for (const id of [initial[1], initial[5]])
        expect((await env.stack.query(END, { input: { relationId: id, until: '2024-06-01' } }, writer)).errors).toBeUndefined();
      for (let i = 0; i < 2; i++)
        added.push((await record({ personId: p.id, kind: 'CHILD', relativePersonId: (await newPerson(`Late${i}`)).id })).data.recordFamilyRelation.relation.id);
    });
    expect(seen).toEqual([...initial.filter((id) => id !== initial[5]), ...added]);

    // With includeHistoric, the ended one not yet read appears too (with its end date), still once.
    const withHistory = await walk(p, 3, { historic: true });
    expect(withHistory).toEqual([...initial, ...added]);
  });

  it('a cursor of a relation that has since ended or been removed continues after its position', async () => {
    const p = await newPerson('Rut');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await record({ personId: p.id, kind: 'CHILD', relativePersonId: (await newPerson(`R${i}`)).id })).data.recordFamilyRelation.relation.id);
    const first = await page(p, 2);
    expect(first.edges.map((e: any) => e.node.id)).toEqual(ids.slice(0, 2));
    await env.stack.query(END, { input: { relationId: ids[1], until: '2025-01-01' } }, writer);
    expect((await page(p, 2, first.pageInfo.endCursor)).edges.map((e: any) => e.node.id)).toEqual(ids.slice(2, 4));

    const second = await page(p, 1, first.pageInfo.endCursor);
    await env.db.delete(familyRelations).where(eq(familyRelations.id, Number(ids[2])));
    expect((await page(p, 2, second.pageInfo.endCursor)).edges.map((e: any) => e.node.id)).toEqual([ids[3], ids[4]]);
  });

  it.each([0, 21, -1])('first: %i gives BAD_USER_INPUT', async (first) => {
    const res = await env.stack.query(PAGE, { id: anna.identifier, first });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.reason).toBe('PAGE_SIZE');
  });

  it('a cursor from another person, another filter, random base64 or a tampered one gives BAD_USER_INPUT', async () => {
    const cursor: string = (await page(anna, 2)).pageInfo.endCursor;
    const tampered = Buffer.from(JSON.stringify([`family:${erik.id}::false`, 1])).toString('base64url') + cursor.slice(cursor.indexOf('.'));
    for (const [who, after, extra, reason] of [
      [erik, cursor, {}, 'FOREIGN_CURSOR'],
      [anna, cursor, { kinds: ['CHILD'] }, 'FOREIGN_CURSOR'],
      [anna, cursor, { historic: true }, 'FOREIGN_CURSOR'],
      [anna, Buffer.from('{"id":1}').toString('base64'), {}, 'INVALID_CURSOR'],
      [anna, 'not a cursor', {}, 'INVALID_CURSOR'],
      [erik, tampered, {}, 'INVALID_CURSOR'],
    ] as const) {
      const res = await env.stack.query(PAGE, { id: who.identifier, first: 2, after, ...extra });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.extensions!.reason).toBe(reason);
    }
  });
});

describe('recording and ending relations', () => {
  it('records a relation, writing a FAMILY_RELATION_CHANGE event in the same transaction', async () => {
    const p = await newPerson('Ola');
    const before = await eventCount();
    const res = await record({ personId: p.id, kind: 'FATHER', relativeName: 'Nils Berg', relativeBirthDate: '1930-05-06', since: '1960-03-01' });
    expect(res.errors).toBeUndefined();
    expect(res.data.recordFamilyRelation.relation).toMatchObject({
      kind: 'FATHER',
      relationCode: 'Far',
      current: true,
      since: '1960-03-01',
      until: null,
      relativeName: 'Nils Berg',
      relativeBirthDate: '1930-05-06',
      relative: null,
    });
    const events = await env.db.select().from(changeEvents).where(eq(changeEvents.personId, p.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'FAMILY_RELATION_CHANGE',
      identifier: p.identifier,
      details: { action: 'ADDED', relationKind: 'FATHER', relationId: Number(res.data.recordFamilyRelation.relation.id) },
    });
    expect(await eventCount()).toBe(before + 1);

    const again = await record({ personId: p.id, kind: 'FATHER', relativeName: 'nils berg', relativeBirthDate: '1930-05-06' });
    expect(codes(again)).toEqual(['CONFLICT']);

    const custody = await record({ personId: p.id, kind: 'CUSTODY_HOLDER', relativePersonId: erik.id, since: '1960-03-01' });
    expect(custody.data.recordFamilyRelation.relation).toMatchObject({ kind: 'CUSTODY_HOLDER', relationCode: null, relative: { id: erik.id } });
  });

  it('ends a relation with an ENDED event; ending it again is a CONFLICT', async () => {
    const p = await newPerson('Stina');
    const spouse = await newPerson('Sven');
    const id = (await record({ personId: p.id, kind: 'SPOUSE', relativePersonId: spouse.id, since: '2000-06-01' })).data.recordFamilyRelation.relation.id;
    const ended = await env.stack.query(END, { input: { relationId: id, until: '2020-02-29' } }, writer);
    expect(ended.errors).toBeUndefined();
    expect(ended.data.endFamilyRelation.relation).toEqual({ id, current: false, until: '2020-02-29' });
    const events = await env.db.select().from(changeEvents).where(eq(changeEvents.personId, p.id));
    expect(events.map((e) => (e.details as any).action)).toEqual(['ADDED', 'ENDED']);
    expect(events[1]!.details).toEqual({ action: 'ENDED', relationKind: 'SPOUSE', relationId: Number(id), relativePersonId: spouse.id });
    expect(codes(await env.stack.query(END, { input: { relationId: id, until: '2021-01-01' } }, writer))).toEqual(['CONFLICT']);
    // Ended, the same relation may be recorded anew (remarriage).
    expect((await record({ personId: p.id, kind: 'SPOUSE', relativePersonId: spouse.id, since: '2022-01-01' })).errors).toBeUndefined();
  });

  it('refuses bad input with a stable code and writes nothing', async () => {
    const p = await newPerson('Vera');
    const rel = await newPerson('Vilgot');
    const unknown = '00000000-0000-4000-8000-000000000000';
    const id = (await record({ personId: p.id, kind: 'SPOUSE', relativePersonId: rel.id, since: '2010-01-01' })).data.recordFamilyRelation.relation.id;
    const rows = await relationCount(p.id);
    const events = await eventCount();
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ personId: unknown, kind: 'CHILD', relativePersonId: rel.id }, 'NOT_FOUND'],
      [{ personId: p.id, kind: 'CHILD', relativePersonId: unknown }, 'NOT_FOUND'],
      [{ personId: 'anna', kind: 'CHILD', relativePersonId: rel.id }, 'BAD_USER_INPUT', 'INVALID_ID'],
      [{ personId: p.id, kind: 'COUSIN', relativePersonId: rel.id }, 'BAD_USER_INPUT'],
      [{ personId: p.id, kind: 'CHILD' }, 'BAD_USER_INPUT', 'RELATIVE'],
      [{ personId: p.id, kind: 'CHILD', relativePersonId: rel.id, relativeName: 'X Y', relativeBirthDate: '2000-01-01' }, 'BAD_USER_INPUT', 'RELATIVE'],
      [{ personId: p.id, kind: 'CHILD', relativeName: 'X Y', relativeBirthDate: '2000-01-01' }, 'BAD_USER_INPUT', 'RELATIVE'],
      [{ personId: p.id, kind: 'MOTHER', relativeName: 'X Y' }, 'BAD_USER_INPUT', 'RELATIVE'],
      [{ personId: p.id, kind: 'CHILD', relativePersonId: p.id }, 'BAD_USER_INPUT', 'RELATIVE'],
      [{ personId: p.id, kind: 'CHILD', relativePersonId: rel.id, since: '2023-02-30' }, 'BAD_USER_INPUT', 'IMPOSSIBLE_DATE'],
      [{ personId: p.id, kind: 'CHILD', relativePersonId: rel.id, since: '3000-01-01' }, 'BAD_USER_INPUT', 'DATE_OUT_OF_RANGE'],
      [{ personId: p.id, kind: 'SPOUSE', relativePersonId: rel.id }, 'CONFLICT'],
    ];
    for (const [input, code, reason] of cases) {
      const res = await record(input);
      expect(codes(res), JSON.stringify(input)).toEqual([code]);
      if (reason) expect(res.errors![0]!.extensions!.reason).toBe(reason);
    }
    for (const [input, code] of [
      [{ relationId: '999999999', until: '2020-01-01' }, 'NOT_FOUND'],
      [{ relationId: 'abc', until: '2020-01-01' }, 'BAD_USER_INPUT'],
      [{ relationId: id, until: '2009-12-31' }, 'BAD_USER_INPUT'],
      [{ relationId: id, until: '2020-13-01' }, 'BAD_USER_INPUT'],
      [{ relationId: id, until: '3000-01-01' }, 'BAD_USER_INPUT'],
    ] as const) {
      expect(codes(await env.stack.query(END, { input }, writer)), JSON.stringify(input)).toEqual([code]);
    }
    expect(await relationCount(p.id)).toBe(rows);
    expect(await eventCount()).toBe(events);
    expect((await page(p, 20)).edges[0].node).toMatchObject({ current: true, until: null });
  });

  it('needs the family:write scope', async () => {
    const res = await env.stack.query(RECORD, { input: { personId: anna.id, kind: 'CHILD', relativePersonId: erik.id } });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors![0]!.message).toContain('family:write');
  });

  it('refuses to change the family of a person whose family data is hidden from the caller', async () => {
    const res = await record({ personId: hidden.id, kind: 'CHILD', relativePersonId: erik.id });
    expect(codes(res)).toEqual(['PROTECTED_IDENTITY']);
    expect(await relationCount(hidden.id)).toBe(0);
  });
});
