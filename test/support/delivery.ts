import { expect } from 'vitest';
import type { TestStack } from './stack.js';

/** A response of the delivery routes: status, headers and the body as bytes. */
export interface DeliveryResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
  /** The body as JSON (for the JSON answers). */
  json: any;
}

/** One request to a delivery route of the stack's gateway, over real HTTP. */
export async function deliveryRequest(stack: TestStack, token: string | null, method: string, path: string, body?: unknown): Promise<DeliveryResponse> {
  const url = new URL(path, stack.gateway.url).toString();
  const res = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: unknown = null;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) json = JSON.parse(bytes.toString('utf8'));
  return { status: res.status, headers: res.headers, bytes, json };
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
