import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { PERSON_FIELDS, personRecord, withheldUnder, type DeliveredPerson } from '../../gateway/files/records.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { INGEST_NDJSON_PATH } from '../../kernel/ingest-route.js';
import { logTo, setLogLevel } from '../../kernel/log.js';
import { bearer, useTestStack } from '../support/stack.js';

const env = useTestStack();
let ingester: string;
const logged: string[] = [];
let restore: () => void;
beforeAll(async () => {
  ingester = await env.stack.token('register:ingest', { sub: 'skv-feed', client: 'skv-feed' });
  // Everything down to trace, captured: nothing of a person may reach a log line.
  setLogLevel('trace');
  restore = logTo({ write: (line: string) => logged.push(line) });
});
afterAll(() => {
  restore?.();
  setLogLevel('warn');
});

const line = (identifier: string, over: Record<string, unknown> = {}) => ({
  recordType: 'PERSON',
  country: 'SE',
  identifier,
  name: { givenNames: 'Gunnel', middleName: null, familyName: 'Tornqvist', addressingName: null, validFrom: '2001-01-01' },
  birthDate: `${identifier.slice(0, 4)}-${identifier.slice(4, 6)}-${identifier.slice(6, 8)}`,
  sex: 'FEMALE',
  status: 'ACTIVE',
  statusDate: null,
  civilStatus: 'UNMARRIED',
  civilStatusSince: null,
  citizenships: ['SE'],
  protection: [],
  address: {
    kind: 'REGISTERED',
    municipalityCode: '0180',
    streetName: 'Hornsgatan 5',
    postalCode: '11820',
    postalDistrict: 'Stockholm',
    validFrom: '2020-02-01',
  },
  ...over,
});
const ndjson = (...lines: object[]) => Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n'));
async function post(body: Uint8Array, token?: string) {
  const res = await fetch(new URL(INGEST_NDJSON_PATH, env.stack.gateway.url), {
    method: 'POST',
    body: body as unknown as BodyInit,
    headers: { 'content-type': 'application/x-ndjson', ...(token ? bearer(token) : {}) },
  });
  return { status: res.status, body: (await res.json()) as any };
}
const count = async (table: string) => (await selectRows<{ n: number }>(env.db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;

describe('POST /ingest/ndjson on the gateway', () => {
  it('imports the body and answers the report; the run is audited; a folkreg total record read back through the gateway changes nothing', async () => {
    const pnr = personalIdentityNumber({ birthDate: '1961-04-12', serial: 402 });
    const res = await post(ndjson(line(pnr)), ingester);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ format: 'ndjson', accepted: true, summary: { personsCreated: 1, personsRefused: 0 }, lines: [] });
    const [run] = await selectRows<{ subject: string; client: string; format: string }>(env.db, sql`select subject, client, format from ingest_runs`);
    expect(run).toEqual({ subject: 'skv-feed', client: 'skv-feed', format: 'ndjson' });

    // The register's own total record of the person (what an extract or notification file writes) reads back unchanged.
    const read = await env.stack.queryAs(
      await env.stack.token('folkreg:read'),
      `query($id: String!) { person(identifier: $id) { ...DeliveryPerson } } ${PERSON_FIELDS}`,
      {
        id: pnr,
      },
    );
    const record = personRecord(read.data.person as DeliveredPerson, withheldUnder(read.errors as never, ['person']));
    expect(record).toMatchObject({ identifier: pnr, address: { municipalityCode: '0180', streetName: 'Hornsgatan 5' } });
    const events = await count('change_events');
    const again = await post(ndjson(record), ingester);
    expect(again.body.summary).toEqual({ personsCreated: 0, personsUpdated: 0, personsUnchanged: 1, personsRefused: 0, eventsWritten: 0 });
    expect(await count('change_events')).toBe(events);
  });

  it('refuses without a token and without register:ingest, writing nothing', async () => {
    const file = ndjson(line(personalIdentityNumber({ birthDate: '1962-05-13', serial: 403 })));
    const [persons, runs] = [await count('persons'), await count('ingest_runs')];
    const none = await post(file);
    expect([none.status, none.body.errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    const writer = await post(file, await env.stack.token('folkreg:read register:write'));
    expect([writer.status, writer.body.errors[0].extensions]).toEqual([
      403,
      { code: 'FORBIDDEN', reason: 'MISSING_SCOPE', requiredScopes: [['register:ingest']] },
    ]);
    expect([await count('persons'), await count('ingest_runs')]).toEqual([persons, runs]);
  });

  it('a protected person: masked at the next read, and nothing of theirs in any log line, good line or refused', async () => {
    const hidden = personalIdentityNumber({ birthDate: '1973-09-21', serial: 404 });
    const refused = personalIdentityNumber({ birthDate: '1974-10-22', serial: 405 });
    const secret = { given: 'Sigbritt', family: 'Hemligsson', street: 'Gömdavägen 77' };
    const marker = [{ kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2024-01-01', validTo: null }];
    const over = (municipalityCode: string) => ({
      name: { givenNames: secret.given, middleName: null, familyName: secret.family, addressingName: null, validFrom: '2001-01-01' },
      protection: marker,
      address: { kind: 'REGISTERED', municipalityCode, streetName: secret.street, postalCode: '11820', postalDistrict: 'Stockholm', validFrom: '2020-02-01' },
    });
    const from = logged.length;
    const res = await post(ndjson(line(hidden, over('0180')), line(refused, over('9999'))), ingester);
    expect(res.body.summary).toMatchObject({ personsCreated: 1, personsRefused: 1 });
    // The report goes to the caller who sent the values, and only to them.
    expect(res.body.lines).toMatchObject([{ line: 2, field: '/address/municipalityCode', value: '"9999"', reason: 'UNKNOWN_MUNICIPALITY' }]);
    const read = await env.stack.query(`query($id: String!) { person(identifier: $id) { name { familyName } address { streetName } } }`, { id: hidden });
    expect(read.data.person.address).toBeNull();
    expect(read.errors?.map((e) => e.extensions?.code)).toContain('PROTECTED_IDENTITY');
    const text = logged.slice(from).join('\n');
    expect(text).toContain('ndjson import ingested');
    for (const value of [hidden, refused, secret.given, secret.family, secret.street, '9999']) expect(text).not.toContain(value);
  });
});
