import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { TestStack } from './stack.js';
import { SchemaSet } from '../../kernel/json-schema.js';

/** A response of the delivery routes: status, headers and the body as bytes. */
export interface DeliveryResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
  /** The body as JSON (for the JSON answers). */
  json: any;
}

/**
 * One request to a delivery route of the stack's gateway, over real HTTP. The path is sent as written
 * (node:http does not resolve `..` or decode `%2F` the way `fetch` does), so traversal attempts reach the server.
 */
export async function deliveryRequest(stack: TestStack, token: string | null, method: string, path: string, body?: unknown): Promise<DeliveryResponse> {
  const { hostname, port } = new URL(stack.gateway.url);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: hostname,
        port,
        method,
        path,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
          const json = (headers.get('content-type') ?? '').startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : null;
          ok({ status: res.statusCode ?? 0, headers, bytes, json });
        });
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

/** Polls an extract's status until `done` holds (at most `timeoutMs`), and returns every status seen. */
export async function awaitExtract(
  stack: TestStack,
  token: string,
  id: string,
  done = (s: any) => ['DONE', 'CANCELLED', 'FAILED'].includes(s.status),
  timeoutMs = 60_000,
) {
  const seen: any[] = [];
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await deliveryRequest(stack, token, 'GET', `/extracts/${id}`);
    expect(res.status).toBe(200);
    seen.push(res.json);
    if (done(res.json)) return seen;
    if (Date.now() > until) throw new Error(`extract ${id} still ${res.json.status} after ${timeoutMs} ms`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** NDJSON bytes → the records. */
export function ndjson(bytes: Buffer): any[] {
  return bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

/** The published record schema (schema/files/person-record.schema.json). */
export const PERSON_RECORD_SCHEMA = JSON.parse(readFileSync(new URL('../../schema/files/person-record.schema.json', import.meta.url), 'utf8'));

/** Compiled once per schema: the tests check every record of an extract, and Ajv compiles per set. */
const schemaSets = new Map<string, SchemaSet>();

/** The faults of `value` against the published record schema, as `pointer: message` lines (empty: valid). */
export function schemaFaults(schema: { $id: string }, value: unknown): string[] {
  let set = schemaSets.get(schema.$id);
  if (!set) schemaSets.set(schema.$id, (set = new SchemaSet([schema])));
  return set.faults(schema.$id, value).map((f) => `${f.pointer || '/'}: ${f.message}`);
}

/**
 * A Danish person whose values do not fit CPR's fixed widths: given names of 53 characters (FORNVN 50),
 * a family name with a letter outside ISO-8859-1, an addressing name of 66 (ADRNVN 34: CPR's rule
 * abbreviates it) and a street of 30 (VEJADRNVN 20). What a CPR-layout delivery of them must report.
 */
export const UNFITTING = {
  givenNames: 'Anna Margrethe Christiane Wilhelmine Frederikke Louise',
  familyName: 'Łukasiewicz',
  street: 'Sankt Hans Gade Nordre Tværvej',
  /** As written: cut at 50, `?` for Ł, the addressing name by CPR's rule, the street cut at 20. */
  written: {
    FORNVN: 'Anna Margrethe Christiane Wilhelmine Frederikke Lo',
    EFTERNVN: '?ukasiewicz',
    ADRNVN: '?ukasiewicz, Anna M. C. W. F. L.',
    VEJADRNVN: 'Sankt Hans Gade Nord',
  },
  /** `valuesAdjusted` of a CPR part holding that one person. */
  report: {
    persons: 1,
    fields: {
      '003.ADRNVN': { abbreviated: 1, cut: 0, replaced: 1 },
      '003.VEJADRNVN': { abbreviated: 0, cut: 1, replaced: 0 },
      '008.FORNVN': { abbreviated: 0, cut: 1, replaced: 0 },
      '008.EFTERNVN': { abbreviated: 0, cut: 0, replaced: 1 },
      '008.ADRNVN': { abbreviated: 1, cut: 0, replaced: 1 },
    },
  },
} as const;
