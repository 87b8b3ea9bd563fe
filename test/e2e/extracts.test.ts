import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { seedPopulation } from '../../db/seed/index.js';
import { readCprFile } from '../../kernel/cpr/index.js';
import { addresses } from '../../db/schema/index.js';
import { cprNumber } from '../../kernel/identifiers.js';
import { awaitExtract, deliveryRequest, ndjson, PERSON_RECORD_SCHEMA, schemaFaults, UNFITTING } from '../support/delivery.js';
import { insertPerson } from '../support/fixtures.js';
import { useTestStack } from '../support/stack.js';

/**
 * Base extracts over real HTTP against a seeded population: the output matches a `searchPersons` walk of
 * the same criteria by the same caller, is masked for its owner like any read, and is only ever the
 * owner's; bad criteria are refused before anything is queued.
 */

const SCOPES = 'person:read address:read';
let busiest: { se: string; dk: string };

const env = useTestStack({
  seed: async (db) => {
    await seedPopulation(db, { persons: 700, seed: 23 });
    const rows = await selectRows<{ country: 'SE' | 'DK'; code: string }>(
      db,
      sql`select distinct on (country) country, municipality_code as code from persons where municipality_code is not null
          group by country, municipality_code order by country, count(*) desc`,
    );
    busiest = { se: rows.find((r) => r.country === 'SE')!.code, dk: rows.find((r) => r.country === 'DK')!.code };
  },
  // Pages of 100 (not 500): seven pages, so a poll sees the job between pages.
  stack: { files: { pollMs: 100, extractPage: 100 } },
});

const owner = () => env.stack.issue({ scope: SCOPES, sub: 'clerk-a', client: 'client-a' });
const other = () => env.stack.issue({ scope: SCOPES, sub: 'clerk-b', client: 'client-b' });

/** Every id `searchPersons` walks for `filter`, page by page, as the holder of `token`. */
async function searchWalk(token: string, filter: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const res: any = await env.stack.queryAs(
      token,
      `query Walk($filter: PersonSearchFilter!, $after: String) { searchPersons(filter: $filter, first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
      { filter, after },
    );
    expect(res.errors).toBeUndefined();
    ids.push(...res.data.searchPersons.edges.map((e: any) => e.node.id));
    if (!res.data.searchPersons.pageInfo.hasNextPage) return ids;
    after = res.data.searchPersons.pageInfo.endCursor;
  }
}

async function extract(token: string, criteria: Record<string, unknown>, format = 'ndjson') {
  const created = await deliveryRequest(env.stack, token, 'POST', '/extracts', { criteria, format });
  expect(created.status, JSON.stringify(created.json)).toBe(202);
  expect(created.headers.get('location')).toBe(`/extracts/${created.json.id}`);
  const seen = await awaitExtract(env.stack, token, created.json.id);
  const status = seen.at(-1);
  expect(status.status).toBe('DONE');
  const data = await deliveryRequest(env.stack, token, 'GET', `/extracts/${created.json.id}/data`);
  expect(data.status).toBe(200);
  return { id: created.json.id as string, status, seen, data };
}

describe('base extracts', () => {
  it.each(['se', 'dk'] as const)(
    'an extract by municipality (%s) holds exactly the persons a searchPersons walk of the same criteria finds, in its order',
    async (country) => {
      const token = await owner();
      const code = busiest[country];
      const { status, data } = await extract(token, { municipalityCode: code });
      const walk = await searchWalk(token, { municipalityCode: code });
      expect(walk.length).toBeGreaterThan(5);
      const records = ndjson(data.bytes);
      expect(records.map((r) => r.id)).toEqual(walk);
      // Every line is a record of the published schema (schema/files/person-record.schema.json).
      expect(records.flatMap((r) => schemaFaults(PERSON_RECORD_SCHEMA, r))).toEqual([]);
      expect(records.every((r) => r.address?.municipalityCode === code)).toBe(true);
      expect(status).toMatchObject({ persons: walk.length, scanned: walk.length, total: walk.length, percent: 100, bytes: data.bytes.length });
      // The checksum the status and the response state is the bytes' own.
      const sha = createHash('sha256').update(data.bytes).digest('hex');
      expect(status.sha256).toBe(sha);
      expect(data.headers.get('repr-digest')).toBe(`sha-256=:${Buffer.from(sha, 'hex').toString('base64')}:`);
    },
  );

  it('reports progress as it goes: counts and percent only grow, total is counted once, DONE is 100 %', async () => {
    const token = await owner();
    const { seen, status } = await extract(token, { birthDateFrom: '1900-01-01' });
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].scanned).toBeGreaterThanOrEqual(seen[i - 1].scanned);
      expect(seen[i].percent).toBeGreaterThanOrEqual(seen[i - 1].percent);
    }
    // Seen between pages: a running job part of the way (seven pages of 100, polled every 50 ms).
    expect(seen.some((s) => s.status === 'RUNNING' && s.percent > 0 && s.percent < 100 && s.total !== null)).toBe(true);
    expect(status.total).toBe(status.scanned);
    expect(status.total).toBeGreaterThan(600);
    expect(status).toMatchObject({ status: 'DONE', percent: 100 });
    expect(seen.every((s) => s.percent <= 100 && s.persons <= (s.total ?? Infinity))).toBe(true);
  });

  it('ages and life status narrow the walk: every person is of the age and status asked', async () => {
    const token = await owner();
    const { data } = await extract(token, { minAge: 30, maxAge: 40, lifeStatus: ['ACTIVE'], country: 'SE' });
    const records = ndjson(data.bytes);
    expect(records.length).toBeGreaterThan(10);
    const today = new Date();
    for (const r of records) {
      expect(r).toMatchObject({ country: 'SE', status: 'ACTIVE' });
      const b = new Date(`${r.birthDate}T00:00:00Z`);
      let age = today.getUTCFullYear() - b.getUTCFullYear();
      if (today.getUTCMonth() < b.getUTCMonth() || (today.getUTCMonth() === b.getUTCMonth() && today.getUTCDate() < b.getUTCDate())) age--;
      expect(age).toBeGreaterThanOrEqual(30);
      expect(age).toBeLessThanOrEqual(40);
    }
  });

  it('a protected person is blank where their protection hides data from the owner, and nothing hidden is in the bytes', async () => {
    const token = await owner();
    const protectedRows = await selectRows<{ id: string; family: string; street: string | null }>(
      env.db,
      sql`select p.id::text as id, n.family_name as family, (select a.street_name from addresses a where a.person_id = p.id and a.valid_to is null limit 1) as street
          from persons p join protection_markers m on m.person_id = p.id and m.kind = 'DK_NAME_AND_ADDRESS' and m.valid_to is null and (m.valid_from is null or m.valid_from <= current_date)
          join person_names n on n.person_id = p.id and n.valid_to is null where p.country = 'DK' and p.birth_date is not null`,
    );
    expect(protectedRows.length).toBeGreaterThan(0);
    const { data } = await extract(token, { birthDateFrom: '1900-01-01', country: 'DK' });
    const records = new Map(ndjson(data.bytes).map((r) => [r.id, r]));
    for (const p of protectedRows) {
      const r = records.get(p.id);
      expect(r, 'the protected person is in the extract: birth date is not what they hide').toBeDefined();
      expect(r).toMatchObject({ name: null, address: null, withheld: ['ADDRESS', 'NAME'] });
      expect(schemaFaults(PERSON_RECORD_SCHEMA, r)).toEqual([]);
      expect(r.protection.map((m: any) => m.kind)).toContain('DK_NAME_AND_ADDRESS');
      expect(JSON.stringify(r)).not.toContain(p.family);
      if (p.street) expect(JSON.stringify(r)).not.toContain(p.street);
    }
  });

  it('an entitled owner gets the protected fields, and each release is in the audit log under the extract', async () => {
    const token = await env.stack.issue({ scope: SCOPES, sub: 'authority-clerk', client: 'authority', role: 'public-authority', purpose: 'case-handling' });
    const { data } = await extract(token, { birthDateFrom: '1900-01-01', country: 'DK' });
    const released = ndjson(data.bytes).filter((r) => r.protection.some((m: any) => m.kind === 'DK_NAME_AND_ADDRESS'));
    expect(released.length).toBeGreaterThan(0);
    expect(released.every((r) => r.name !== null && r.withheld.length === 0)).toBe(true);
    const audit = await selectRows<{ person: string }>(
      env.db,
      sql`select person_id::text as person from audit_events where subject = 'authority-clerk' and operation_name = 'DeliveryExtractPage' and purpose = 'case-handling'`,
    );
    expect(new Set(audit.map((a) => a.person))).toEqual(new Set(released.map((r) => r.id)));
  });

  it('CSV: a header and one line per person; the CPR layout (country DK) reads back as the same persons', async () => {
    const token = await owner();
    const code = busiest.dk;
    const walk = await searchWalk(token, { municipalityCode: code });
    const csv = await extract(token, { municipalityCode: code }, 'csv');
    expect(csv.data.headers.get('content-type')).toContain('text/csv');
    const lines = csv.data.bytes.toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]!.startsWith('id,country,identifier,')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(walk);

    const cpr = await extract(token, { municipalityCode: code, country: 'DK' }, 'cpr');
    expect(cpr.data.headers.get('content-type')).toBe('text/plain; charset=ISO-8859-1');
    const file = readCprFile(cpr.data.bytes);
    expect(file.problems).toEqual([]);
    const ndjsonRecords = ndjson((await extract(token, { municipalityCode: code, country: 'DK' })).data.bytes);
    expect([...file.persons.keys()]).toEqual(ndjsonRecords.map((r) => r.identifier));
    expect(Number(file.end!.fields.TAELLER)).toBe(file.records.length);
    for (const r of ndjsonRecords) {
      const person = file.persons.get(r.identifier)!;
      const komkod = person.records.find((x) => x.type === '002')!.fields as Record<string, string>;
      expect(komkod.KOMKOD).toBe(code.padStart(4, '0'));
      const name = person.records.find((x) => x.type === '008')?.fields as Record<string, string> | undefined;
      if (r.name) expect(name?.EFTERNVN).toBe(r.name.familyName ?? '');
    }
  });

  it('CPR layout: values too long for its fields are fitted as CPR fits them and reported in the status (fields and persons, never values)', async () => {
    // Born on a day the seed never uses, so the extract holds this person alone.
    const born = '1899-12-30';
    const p = await insertPerson(env.db, {
      identifier: cprNumber({ birthDate: born, serial: 401, sex: 'FEMALE' }),
      country: 'DK',
      givenNames: UNFITTING.givenNames,
      familyName: UNFITTING.familyName,
      birthDate: born,
      municipalityCode: '101',
    });
    await env.db.update(addresses).set({ streetName: UNFITTING.street }).where(eq(addresses.personId, p.id));
    const token = await owner();
    const criteria = { birthDateFrom: born, birthDateTo: born, country: 'DK' };
    const cpr = await extract(token, criteria, 'cpr');
    expect(cpr.status.valuesAdjusted).toEqual(UNFITTING.report);
    const said = JSON.stringify(cpr.status);
    for (const value of [UNFITTING.givenNames, UNFITTING.familyName, UNFITTING.street, ...Object.values(UNFITTING.written)]) expect(said).not.toContain(value);
    const file = readCprFile(cpr.data.bytes);
    expect(file.problems).toEqual([]);
    const name = file.persons.get(p.identifier)!.records.find((r) => r.type === '008')!.fields as Record<string, string>;
    expect(name).toMatchObject({ FORNVN: UNFITTING.written.FORNVN, EFTERNVN: UNFITTING.written.EFTERNVN, ADRNVN: UNFITTING.written.ADRNVN });
    // NDJSON and CSV have no widths: the values whole, and no such report.
    const whole = await extract(token, criteria);
    expect(ndjson(whole.data.bytes)[0].name).toMatchObject({ givenNames: UNFITTING.givenNames, familyName: UNFITTING.familyName });
    expect(whole.status.valuesAdjusted).toBeUndefined();
  });

  it('cancel: the job ends CANCELLED, its output is gone and cannot be fetched', async () => {
    const token = await owner();
    const created = await deliveryRequest(env.stack, token, 'POST', '/extracts', { criteria: { birthDateFrom: '1900-01-01' }, format: 'csv' });
    expect(created.status).toBe(202);
    const cancel = await deliveryRequest(env.stack, token, 'POST', `/extracts/${created.json.id}/cancel`);
    expect(cancel.status).toBe(200);
    const seen = await awaitExtract(env.stack, token, created.json.id);
    expect(seen.at(-1).status).toBe('CANCELLED');
    const data = await deliveryRequest(env.stack, token, 'GET', `/extracts/${created.json.id}/data`);
    expect(data.status).toBe(409);
    expect(data.json.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_READY', status: 'CANCELLED' });
    const chunks = await selectRows<{ n: number }>(
      env.db,
      sql`select count(*)::int as n from delivery_chunks c join extract_jobs j on j.blob_id = c.blob_id where j.id = ${created.json.id}`,
    );
    expect(chunks[0]!.n).toBe(0);
  });

  it("another client's job is NOT_FOUND exactly like one that does not exist, on every route; so are paths that are no route", async () => {
    const { id } = await extract(await owner(), { municipalityCode: busiest.se });
    const intruder = await other();
    const missing = crypto.randomUUID();
    const bodies: string[] = [];
    for (const [method, path] of [
      ['GET', `/extracts/${id}`],
      ['GET', `/extracts/${id}/data`],
      ['POST', `/extracts/${id}/cancel`],
      ['GET', `/extracts/${missing}`],
      ['GET', `/extracts/${missing}/data`],
      ['GET', `/extracts/../extracts/${id}`],
      ['GET', `/extracts/${id}%2F..%2F..%2Fdata`],
      ['GET', `/extracts/..%2F..%2Fetc%2Fpasswd`],
      ['GET', `/extracts/${id}/data/extra`],
    ] as const) {
      const res = await deliveryRequest(env.stack, intruder, method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      bodies.push(res.bytes.toString());
    }
    expect(new Set(bodies).size).toBe(1);
    expect((await deliveryRequest(env.stack, intruder, 'GET', '/extracts')).json.extracts.map((e: any) => e.id)).not.toContain(id);
    // The owner still sees it untouched.
    expect((await deliveryRequest(env.stack, await owner(), 'GET', `/extracts/${id}`)).json.status).toBe('DONE');
  });

  it.each([
    [{ criteria: { municipalityCode: '0180', shoeSize: 42 } }, 'UNKNOWN_CRITERION'],
    [{ criteria: { municipalityCode: '0180' }, format: 'xml' }, 'EXTRACT_FORMAT'],
    [{ criteria: { municipalityCode: '0180' }, format: 'cpr' }, 'EXTRACT_FORMAT'],
    [{ criteria: { municipalityCode: '9999' } }, 'UNKNOWN_MUNICIPALITY'],
    [{ criteria: { municipalityCode: '18' } }, 'INVALID_MUNICIPALITY_CODE'],
    [{ criteria: { minAge: 50, maxAge: 20 } }, 'INVALID_AGE_RANGE'],
    [{ criteria: { minAge: -1 } }, 'INVALID_AGE_RANGE'],
    [{ criteria: { birthDateFrom: '2001-02-30' } }, 'IMPOSSIBLE_DATE'],
    [{ criteria: { birthDateFrom: '2001-01-01', birthDateTo: '2000-01-01' } }, 'EMPTY_RANGE'],
    [{ criteria: { minAge: 10, lifeStatus: ['ALIVE'] } }, 'UNKNOWN_LIFE_STATUS'],
    [{ criteria: { minAge: 10, country: 'NO' } }, 'COUNTRY'],
    [{ criteria: { country: 'SE' } }, 'NO_CRITERION'],
    [{ criteria: { minAge: 10 }, deliverTo: 'ftp://x' }, 'UNKNOWN_FIELD'],
  ])('refuses %j with BAD_USER_INPUT %s and queues nothing', async (body, reason) => {
    const before = await selectRows<{ n: number }>(env.db, sql`select count(*)::int as n from extract_jobs`);
    const res = await deliveryRequest(env.stack, await owner(), 'POST', '/extracts', body);
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason });
    const after = await selectRows<{ n: number }>(env.db, sql`select count(*)::int as n from extract_jobs`);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('needs a token (401) and the scopes of what it reads (403 MISSING_SCOPE)', async () => {
    expect((await deliveryRequest(env.stack, null, 'POST', '/extracts', { criteria: { minAge: 1 } })).status).toBe(401);
    const personOnly = await env.stack.issue({ scope: 'person:read', sub: 'p', client: 'client-a' });
    const res = await deliveryRequest(env.stack, personOnly, 'POST', '/extracts', { criteria: { minAge: 1 } });
    expect(res.status).toBe(403);
    expect(res.json.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'MISSING_SCOPE' });
  });

  it('every fetch of an output is recorded (who, which, when); past its retention it is NOT_FOUND and its bytes are deleted', async () => {
    const token = await owner();
    const { id } = await extract(token, { municipalityCode: busiest.se });
    const fetches = await selectRows<{ subject: string; part: string }>(env.db, sql`select subject, part from delivery_fetches where item_id = ${id}`);
    expect(fetches).toEqual([{ subject: 'clerk-a', part: 'data' }]);
    await env.db.execute(sql`update extract_jobs set expires_at = now() - interval '1 second' where id = ${id}`);
    expect((await deliveryRequest(env.stack, token, 'GET', `/extracts/${id}`)).status).toBe(404);
    expect((await deliveryRequest(env.stack, token, 'GET', `/extracts/${id}/data`)).status).toBe(404);
    // The sweep of the next poll deletes the job and its bytes.
    for (let i = 0; ; i++) {
      const left = await selectRows<{ n: number }>(env.db, sql`select count(*)::int as n from extract_jobs where id = ${id}`);
      if (left[0]!.n === 0) break;
      if (i > 200) throw new Error('expired extract never swept');
      await new Promise((ok) => setTimeout(ok, 50));
    }
  });
});
