/**
 * INGEST_MAX_BYTES over real HTTP (README "Limits", "Ingest bodies"): a stack configured with a small bound
 * answers a body over it 413 PAYLOAD_TOO_LARGE, declared or streamed, and ingests and audits nothing; a
 * body under it is ingested. The person subgraph holds its route to the same bound (plus the options line).
 */
import { request as httpRequest } from 'node:http';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { ANONYMOUS } from '../../kernel/caller.js';
import { GATEWAY_TOKEN_HEADER, signGatewayToken } from '../../kernel/gateway-token.js';
import { forwardedIngestBody, INGEST_CPR_PATH, INGEST_NDJSON_PATH } from '../../kernel/ingest-route.js';
import { ephemeralSecrets } from '../../kernel/secrets.js';
import { cprFile, dkPnr, type CprPersonSpec } from '../support/cpr-files.js';
import { bearer, useTestStack } from '../support/stack.js';

const LIMIT = 4096;
let secrets: Awaited<ReturnType<typeof ephemeralSecrets>>;
const env = useTestStack({ stack: async () => ({ secrets: (secrets = await ephemeralSecrets()), ingestMaxBytes: LIMIT }) });
let ingester: string;
beforeAll(async () => {
  ingester = await env.stack.token('register:ingest', { sub: 'cpr-feed', client: 'cpr-feed' });
});

const home = { komkod: '0101', street: 'Ægirsgade', house: '12', postnr: '2200', district: 'København N', since: '2016-01-01' };
const person = (n: number): CprPersonSpec => ({ pnr: dkPnr('1990-01-01', n), birthDate: '1990-01-01', given: 'Mette', family: 'Holm', address: home });
const counts = async () =>
  (
    await selectRows<{ persons: number; runs: number }>(
      env.db,
      sql`select (select count(*) from persons)::int as persons, (select count(*) from ingest_runs)::int as runs`,
    )
  )[0]!;

/** POSTs `chunks` to the gateway, with a declared length or chunked (no content-length), and reads the answer. */
function post(path: string, chunks: Buffer[], declared: boolean) {
  return new Promise<{ status: number; body: any }>((ok, fail) => {
    const length = chunks.reduce((n, c) => n + c.length, 0);
    const req = httpRequest(
      new URL(path, env.stack.gateway.url),
      {
        method: 'POST',
        headers: { ...bearer(ingester), 'content-type': 'application/octet-stream', ...(declared ? { 'content-length': String(length) } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => ok({ status: res.statusCode!, body: JSON.parse(text) }));
      },
    );
    // The gateway may answer and close before the whole body is sent: the answer is what counts.
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' || (err as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : fail(err)));
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('INGEST_MAX_BYTES', () => {
  it('a body over the configured bound is 413 PAYLOAD_TOO_LARGE, declared or streamed, and nothing is ingested or audited', async () => {
    const big = cprFile(
      { task: 1, date: '2026-12-01' },
      Array.from({ length: 12 }, (_, i) => person(i)),
    );
    expect(big.length).toBeGreaterThan(LIMIT);
    const before = await counts();
    const declared = await post(INGEST_CPR_PATH, [big], true);
    expect([declared.status, declared.body.errors[0].extensions.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(declared.body.errors[0].message).toContain(String(LIMIT));
    // No content-length: refused once the bytes read pass the bound.
    const streamed = await post(INGEST_CPR_PATH, [big.subarray(0, 2048), big.subarray(2048)], false);
    expect([streamed.status, streamed.body.errors[0].extensions.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const ndjson = await post(INGEST_NDJSON_PATH, [Buffer.alloc(LIMIT + 1, 0x0a)], true);
    expect([ndjson.status, ndjson.body.errors[0].extensions.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(await counts()).toEqual(before);
  });

  it('a body under it is ingested', async () => {
    const small = cprFile({ task: 2, date: '2026-12-01' }, [person(100), person(101)]);
    expect(small.length).toBeLessThanOrEqual(LIMIT);
    const before = await counts();
    for (const declared of [true, false]) {
      const answer = await post(`${INGEST_CPR_PATH}?force=true`, [small], declared);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ accepted: true });
    }
    const after = await counts();
    expect([after.persons - before.persons, after.runs - before.runs]).toEqual([2, 2]);
  });

  it('the person subgraph takes no more than the bound and the options line, even with a good gateway token', async () => {
    const caller = { ...ANONYMOUS, subject: 'cpr-feed', scopes: ['register:ingest'] };
    const big = cprFile(
      { task: 3, date: '2026-12-01' },
      Array.from({ length: 12 }, (_, i) => person(200 + i)),
    );
    const body = forwardedIngestBody({ force: false }, big);
    expect(body.length).toBeGreaterThan(LIMIT + 256);
    const token = signGatewayToken(caller, secrets.gatewayKeys.privateKey, { subgraph: 'person', body, route: INGEST_CPR_PATH });
    const before = await counts();
    const res = await fetch(new URL(INGEST_CPR_PATH, env.stack.subgraphs.person.url), {
      method: 'POST',
      body: body as unknown as BodyInit,
      headers: { [GATEWAY_TOKEN_HEADER]: token },
    });
    expect([res.status, ((await res.json()) as any).errors[0].extensions.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(await counts()).toEqual(before);
  });
});
