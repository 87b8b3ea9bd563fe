import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { appendChangeEvents, type NewChangeEvent } from '../../db/outbox.js';
import { addresses, protectionMarkers } from '../../db/schema/index.js';
import { readCprFile, type CprFile } from '../../kernel/cpr/index.js';
import { cprNumber, personalIdentityNumber } from '../../kernel/identifiers.js';
import { ephemeralSecrets, type StackSecrets } from '../../kernel/secrets.js';
import { ephemeralDevIssuer, type DevIssuer } from '../../gateway/dev-auth.js';
import { deliveryRequest, ndjson, PERSON_RECORD_SCHEMA, schemaFaults, UNFITTING } from '../support/delivery.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { startTestStack, useTestStack, type TestStack } from '../support/stack.js';

/**
 * Notification files of durable subscriptions over real HTTP: the CPR part read back by kernel/cpr's
 * reader gives the persons and events the owner's own pull gives, the Swedish part the same as JSON
 * total records; protected fields are blank; files are the owner's only; a schedule on two gateways
 * produces each slot once.
 */

const SCOPES = 'events:read events:subscribe person:read address:read';
let secrets: StackSecrets;
let issuer: DevIssuer;
const people: Record<'dkA' | 'dkB' | 'dkProtected' | 'dkUnfitting' | 'seA' | 'seProtected', FixturePerson & { country: 'SE' | 'DK' }> = {} as never;

const env = useTestStack({
  seed: async (db) => {
    secrets = await ephemeralSecrets();
    issuer = await ephemeralDevIssuer();
    const dk = (birthDate: string, serial: number, givenNames: string, familyName: string) =>
      insertPerson(db, {
        identifier: cprNumber({ birthDate, serial, sex: 'FEMALE' }),
        country: 'DK',
        givenNames,
        familyName,
        birthDate,
        municipalityCode: '101',
      });
    const se = (birthDate: string, serial: number, givenNames: string, familyName: string) =>
      insertPerson(db, { identifier: personalIdentityNumber({ birthDate, serial }), country: 'SE', givenNames, familyName, birthDate });
    people.dkA = { ...(await dk('1970-03-04', 101, 'Karen', 'Sørensen')), country: 'DK' };
    people.dkB = { ...(await dk('1985-11-30', 202, 'Mette', 'Kjærgaard')), country: 'DK' };
    people.dkProtected = { ...(await dk('1990-06-15', 303, 'Hemmelig', 'Skjultesen')), country: 'DK' };
    people.dkUnfitting = { ...(await dk('1979-08-12', 404, UNFITTING.givenNames, UNFITTING.familyName)), country: 'DK' };
    await db.update(addresses).set({ streetName: UNFITTING.street }).where(eq(addresses.personId, people.dkUnfitting.id));
    people.seA = { ...(await se('1960-01-20', 441, 'Åsa', 'Öberg')), country: 'SE' };
    people.seProtected = { ...(await se('1975-09-09', 552, 'Dold', 'Gömdsson')), country: 'SE' };
    await db.insert(protectionMarkers).values([
      { personId: people.dkProtected.id, kind: 'DK_NAME_AND_ADDRESS', validFrom: '2020-01-01' },
      { personId: people.seProtected.id, kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2020-01-01' },
    ]);
  },
  stack: () => ({ secrets, issuer, files: { pollMs: 100 } }),
});

const owner = () => env.stack.issue({ scope: SCOPES, sub: 'clerk-a', client: 'kommune-a' });
const intruder = () => env.stack.issue({ scope: SCOPES, sub: 'clerk-b', client: 'kommune-b' });

async function subscription(token: string): Promise<string> {
  const res = await env.stack.queryAs(token, `mutation { createEventSubscription(input: { catchAll: true }) { id } }`);
  expect(res.errors).toBeUndefined();
  return res.data.createEventSubscription.id;
}

async function write(events: NewChangeEvent[]): Promise<void> {
  await env.db.transaction((tx) => appendChangeEvents(tx, events));
}

const move = (p: FixturePerson, before = '101', after = '147'): NewChangeEvent => ({
  type: 'MOVE',
  personId: p.id,
  identifier: p.identifier,
  municipalityBefore: before,
  municipalityAfter: after,
  occurredAt: new Date('2026-11-01T00:00:00Z'),
});
const named = (p: FixturePerson): NewChangeEvent => ({
  type: 'NAME_CHANGE',
  personId: p.id,
  identifier: p.identifier,
  occurredAt: new Date('2026-11-02T00:00:00Z'),
});
const citizenship = (p: FixturePerson): NewChangeEvent => ({ type: 'CITIZENSHIP_CHANGE', personId: p.id, identifier: p.identifier });

/** The owner's own pull of the subscription after `after`: per person identifier, the CPR codes of its events in order. */
async function pull(token: string, subscriptionId: string, after: string | null) {
  const res = await env.stack.queryAs(
    token,
    `query ($s: ID!, $after: String) { changeEvents(subscriptionId: $s, after: $after, first: 500) { pageInfo { endCursor } edges { node { type cprChangeCode person { country identifier { value } } } } } }`,
    { s: subscriptionId, after },
  );
  expect(res.errors).toBeUndefined();
  type Entry = { country: string; codes: (string | null)[] };
  const byPerson = new Map<string, Entry>();
  for (const { node } of res.data.changeEvents.edges as {
    node: { cprChangeCode: string | null; person: { country: string; identifier: { value: string } } };
  }[]) {
    const id = node.person.identifier.value;
    const entry: Entry = byPerson.get(id) ?? { country: node.person.country, codes: [] };
    entry.codes.push(node.cprChangeCode);
    byPerson.set(id, entry);
  }
  return { byPerson, endCursor: res.data.changeEvents.pageInfo.endCursor as string };
}

async function produce(token: string, subscriptionId: string) {
  const res = await deliveryRequest(env.stack, token, 'POST', `/files/subscriptions/${subscriptionId}`);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json;
}

async function part(token: string, meta: any, name: 'cpr' | 'se') {
  const p = meta.parts.find((x: any) => x.name === name);
  const res = await deliveryRequest(env.stack, token, 'GET', p.href);
  expect(res.status).toBe(200);
  expect(createHash('sha256').update(res.bytes).digest('hex')).toBe(p.sha256);
  expect(res.bytes.length).toBe(p.bytes);
  return res;
}

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date()).replaceAll('-', '');

/** Per PNR, the HAENDELSE codes of the person's 099 records, in file order. */
function eventsInFile(file: CprFile): Map<string, string[]> {
  return new Map(
    [...file.persons].map(([pnr, p]) => [pnr, p.records.filter((r) => r.type === '099').map((r) => (r.fields as Record<string, string>).HAENDELSE!)]),
  );
}

describe('notification files', () => {
  it('a file read back by the CPR reader gives the persons and events of the owner’s own pull; the next file holds only what came after', async () => {
    const token = await owner();
    const s = await subscription(token);
    await write([move(people.dkA), named(people.dkA), move(people.dkB), move(people.seA), citizenship(people.dkB)]);
    const expected = await pull(token, s, null);

    const meta = await produce(token, s);
    expect(meta).toMatchObject({ subscriptionId: s, sequence: 1, trigger: 'REQUEST', previousProducedAt: null, complete: true });
    expect(meta.cursors).toEqual({ after: null, to: expected.endCursor });
    expect(meta.counts).toMatchObject({ events: 5, persons: 3, dkPersons: 2, sePersons: 1, eventsWithoutPerson: 0, eventsWithoutCprCode: 1 });

    const cpr = await part(token, meta, 'cpr');
    expect(cpr.headers.get('content-type')).toBe('text/plain; charset=ISO-8859-1');
    const file = readCprFile(cpr.bytes);
    expect(file.problems).toEqual([]);
    expect(file.start!.fields).toMatchObject({ PRODDTO: today(), PRODDTOFORRIG: '00000000', OPGAVENR: '000001' });
    expect(Number(file.end!.fields.TAELLER)).toBe(file.records.length);
    const danish = [...expected.byPerson].filter(([, v]) => v.country === 'DK');
    expect([...file.persons.keys()]).toEqual(danish.map(([pnr]) => pnr));
    // Every event with a CPR code, per person, in log order (CITIZENSHIP_CHANGE has none: counted, not written).
    expect(eventsInFile(file)).toEqual(new Map(danish.map(([pnr, v]) => [pnr, v.codes.filter((c): c is string => c !== null)])));
    const a = file.persons.get(people.dkA.identifier)!;
    expect(a.records[0]!.type).toBe('001');
    expect(a.records.map((r) => r.type)).toEqual(['001', '002', '003', '008', '012', '099', '099']);
    expect(a.records.find((r) => r.type === '008')!.fields).toMatchObject({ FORNVN: 'Karen', EFTERNVN: 'Sørensen' });
    expect(a.records.find((r) => r.type === '002')!.fields).toMatchObject({ KOMKOD: '0101' });
    // ISO-8859-1 on the wire: ø is one byte.
    expect(cpr.bytes.includes(Buffer.from('Sørensen', 'latin1'))).toBe(true);

    const se = ndjson((await part(token, meta, 'se')).bytes);
    expect(se.map((r) => r.identifier)).toEqual([people.seA.identifier]);
    expect(se[0]).toMatchObject({ recordType: 'PERSON', country: 'SE', name: { givenNames: 'Åsa', familyName: 'Öberg' }, withheld: [] });
    expect(se[0].events.map((e: any) => e.type)).toEqual(['MOVE']);
    expect(schemaFaults(PERSON_RECORD_SCHEMA, se[0])).toEqual([]);

    // The next file: only what came after, chained to the first by its production date.
    await write([move(people.dkB, '147', '101')]);
    const next = await produce(token, s);
    expect(next).toMatchObject({ sequence: 2, previousProducedAt: meta.producedAt, cursors: { after: expected.endCursor } });
    const second = readCprFile((await part(token, next, 'cpr')).bytes);
    expect(second.start!.fields).toMatchObject({ PRODDTOFORRIG: today(), OPGAVENR: '000002' });
    expect(eventsInFile(second)).toEqual(new Map([[people.dkB.identifier, ['A01']]]));
    expect(ndjson((await part(token, next, 'se')).bytes)).toEqual([]);
  });

  it('values too long for CPR’s fixed fields are fitted as CPR fits them, and the metadata says which fields of how many persons — never the values', async () => {
    const token = await owner();
    const s = await subscription(token);
    await write([move(people.dkA), named(people.dkUnfitting)]);
    const meta = await produce(token, s);
    const cprPart = meta.parts.find((p: any) => p.name === 'cpr');
    expect(cprPart.valuesAdjusted).toEqual(UNFITTING.report);
    // Counts and field names only: none of the values, whole or fitted.
    const said = JSON.stringify(meta);
    for (const value of [UNFITTING.givenNames, UNFITTING.familyName, UNFITTING.street, ...Object.values(UNFITTING.written)]) expect(said).not.toContain(value);
    const file = readCprFile((await part(token, meta, 'cpr')).bytes);
    expect(file.problems).toEqual([]);
    const fields = (type: string) => file.persons.get(people.dkUnfitting.identifier)!.records.find((r) => r.type === type)!.fields as Record<string, string>;
    expect(fields('008')).toMatchObject({ FORNVN: UNFITTING.written.FORNVN, EFTERNVN: UNFITTING.written.EFTERNVN, ADRNVN: UNFITTING.written.ADRNVN });
    expect(fields('003')).toMatchObject({ ADRNVN: UNFITTING.written.ADRNVN, VEJADRNVN: UNFITTING.written.VEJADRNVN });
    // The person whose values fit is written whole and not counted.
    expect(file.persons.get(people.dkA.identifier)!.records.find((r) => r.type === '008')!.fields).toMatchObject({ FORNVN: 'Karen', EFTERNVN: 'Sørensen' });
    // The Swedish JSON part has no widths: nothing in it is fitted or reported.
    expect(meta.parts.find((p: any) => p.name === 'se').valuesAdjusted).toBeUndefined();
  });

  it('a masked person’s records carry no hidden value: their name and address fields are blank in both parts', async () => {
    const token = await owner();
    const s = await subscription(token);
    await write([move(people.dkProtected), move(people.seProtected, '0180', '0180')]);
    const meta = await produce(token, s);
    const cpr = await part(token, meta, 'cpr');
    const file = readCprFile(cpr.bytes);
    const p = file.persons.get(people.dkProtected.identifier)!;
    const fields = (type: string) => p.records.find((r) => r.type === type)!.fields as Record<string, string>;
    expect(fields('008')).toMatchObject({ FORNVN: '', MELNVN: '', EFTERNVN: '', ADRNVN: '' });
    expect(fields('002')).toMatchObject({ KOMKOD: '0000', HUSNR: '', CONVN: '' });
    expect(fields('003')).toMatchObject({ ADRNVN: '', STANDARDADR: '', VEJADRNVN: '', POSTDISTTXT: '' });
    expect(fields('004')).toMatchObject({ BESKYTTYPE: '0001' });
    // The person's own lines (PNR at 4/10) hold none of their name or address; the file holds neither name anywhere.
    const lines = cpr.bytes.toString('latin1').split('\n');
    const own = lines.filter((l) => l.slice(3, 13) === people.dkProtected.identifier);
    expect(own.length).toBe(p.records.length);
    for (const hidden of ['Hemmelig', 'Skjultesen', 'Storgatan', '111']) expect(own.join('\n')).not.toContain(hidden);
    for (const hidden of ['Hemmelig', 'Skjultesen']) expect(lines.join('\n')).not.toContain(hidden);

    const se = await part(token, meta, 'se');
    const record = ndjson(se.bytes).find((r) => r.id === people.seProtected.id);
    expect(record).toMatchObject({
      identifier: people.seProtected.identifier,
      address: null,
      civilStatus: null,
      citizenships: null,
      withheld: ['ADDRESS', 'CITIZENSHIP', 'CIVIL_STATUS'],
    });
    expect(record.events[0]).toMatchObject({ municipalityBefore: null, municipalityAfter: null, occurredAt: null });
    expect(schemaFaults(PERSON_RECORD_SCHEMA, record)).toEqual([]);
    expect(JSON.stringify(record)).not.toContain('Storgatan');
  });

  it('files are the owner’s: another client gets NOT_FOUND for the file, its parts, its subscription and traversal paths, like for nothing', async () => {
    const token = await owner();
    const s = await subscription(token);
    const meta = await produce(token, s);
    const other = await intruder();
    const missing = crypto.randomUUID();
    const answers: string[] = [];
    for (const [method, path] of [
      ['GET', `/files/${meta.id}`],
      ['GET', `/files/${meta.id}/cpr`],
      ['GET', `/files/${meta.id}/se`],
      ['GET', `/files/${missing}`],
      ['GET', `/files/${missing}/cpr`],
      ['POST', `/files/subscriptions/${s}`],
      ['PUT', `/files/subscriptions/${s}/schedule`],
      ['POST', `/files/subscriptions/${missing}`],
      ['GET', `/files/${meta.id}/../../extracts`],
      ['GET', `/files/..%2F${meta.id}%2Fcpr`],
      ['GET', `/files/${meta.id}/..%2F..%2Fetc%2Fpasswd`],
      ['GET', `/files/${meta.id}/metadata/x`],
    ] as const) {
      const res = await deliveryRequest(env.stack, other, method, path, method === 'PUT' ? { cron: '0 6 * * *' } : undefined);
      expect(res.status, `${method} ${path}`).toBe(404);
      answers.push(res.bytes.toString());
    }
    expect(new Set(answers).size).toBe(1);
    expect((await deliveryRequest(env.stack, other, 'GET', `/files?subscriptionId=${s}`)).json.files).toEqual([]);
    // The owner's list has it; the intruder's attempts changed nothing.
    const mine = await deliveryRequest(env.stack, token, 'GET', `/files?subscriptionId=${s}`);
    expect(mine.json.files.map((f: any) => f.id)).toEqual([meta.id]);
  });

  it('every fetch of a file is recorded; past its retention a file is NOT_FOUND and its bytes are deleted', async () => {
    const token = await owner();
    const s = await subscription(token);
    await write([move(people.dkA)]);
    const meta = await produce(token, s);
    await deliveryRequest(env.stack, token, 'GET', `/files/${meta.id}`);
    await part(token, meta, 'cpr');
    const fetches = await selectRows<{ subject: string; part: string }>(
      env.db,
      sql`select subject, part from delivery_fetches where item_id = ${meta.id} order by id`,
    );
    expect(fetches).toEqual([
      { subject: 'clerk-a', part: 'metadata' },
      { subject: 'clerk-a', part: 'cpr' },
    ]);
    await env.db.execute(sql`update notification_files set expires_at = now() - interval '1 second' where id = ${meta.id}`);
    expect((await deliveryRequest(env.stack, token, 'GET', `/files/${meta.id}/cpr`)).status).toBe(404);
    const blobs = meta.parts.map((p: any) => p.href);
    expect(blobs).toHaveLength(2);
    for (let i = 0; ; i++) {
      const left = await selectRows<{ n: number }>(env.db, sql`select count(*)::int as n from notification_files where id = ${meta.id}`);
      if (left[0]!.n === 0) break;
      if (i > 200) throw new Error('expired file never swept');
      await new Promise((ok) => setTimeout(ok, 50));
    }
    const chunks = await selectRows<{ n: number }>(
      env.db,
      sql`select count(*)::int as n from delivery_chunks where blob_id in (select (p->>'blobId')::uuid from notification_files f, jsonb_array_elements(f.parts) p where f.id = ${meta.id})`,
    );
    expect(chunks[0]!.n).toBe(0);
  });

  it.each([
    [{ cron: 'every morning' }, 'CRON_EXPRESSION'],
    [{ cron: '0 6 * * *', timeZone: 'Mars/Olympus' }, 'CRON_EXPRESSION'],
    [{ cron: '0 6 * * *', format: 'xml' }, 'UNKNOWN_FIELD'],
  ])('a schedule %j is refused with BAD_USER_INPUT %s', async (body, reason) => {
    const token = await owner();
    const s = await subscription(token);
    const res = await deliveryRequest(env.stack, token, 'PUT', `/files/subscriptions/${s}/schedule`, body);
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason });
  });

  it('on a schedule, two gateways on one database produce every slot once: contiguous sequences, no slot twice', async () => {
    const token = await owner();
    const s = await subscription(token);
    const replica: TestStack = await startTestStack(env.db, { secrets, issuer, files: { pollMs: 100 } });
    try {
      const set = await deliveryRequest(env.stack, token, 'PUT', `/files/subscriptions/${s}/schedule`, { cron: '* * * * * *', timeZone: 'Europe/Copenhagen' });
      expect(set.status).toBe(200);
      expect(set.json).toMatchObject({ subscriptionId: s, cron: '* * * * * *' });
      for (let i = 0; i < 5; i++) {
        await write([move(people.dkA)]);
        await new Promise((ok) => setTimeout(ok, 400));
      }
      const until = Date.now() + 30_000;
      let files: any[] = [];
      while (Date.now() < until) {
        files = (await deliveryRequest(replica, token, 'GET', `/files?subscriptionId=${s}`)).json.files;
        if (files.length >= 3) break;
        await new Promise((ok) => setTimeout(ok, 200));
      }
      expect((await deliveryRequest(env.stack, token, 'DELETE', `/files/subscriptions/${s}/schedule`)).json.cron).toBeNull();
      files = (await deliveryRequest(env.stack, token, 'GET', `/files?subscriptionId=${s}`)).json.files;
      expect(files.length).toBeGreaterThanOrEqual(3);
      const sequences = files.map((f) => f.sequence).sort((x, y) => x - y);
      expect(sequences).toEqual(sequences.map((_, i) => i + 1));
      const slots = files.map((f) => f.scheduledFor);
      expect(files.every((f) => f.trigger === 'SCHEDULE' && f.scheduledFor)).toBe(true);
      expect(new Set(slots).size).toBe(slots.length);
      // Chained: each file starts where the one before ended, and every move is in exactly one file.
      const ordered = [...files].sort((x, y) => x.sequence - y.sequence);
      for (let i = 1; i < ordered.length; i++) expect(ordered[i].cursors.after).toBe(ordered[i - 1].cursors.to);
    } finally {
      await replica.close();
    }
  });
});
