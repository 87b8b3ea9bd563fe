import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { appendChangeEvents } from '../../db/outbox.js';
import { protectionMarkers } from '../../db/schema/index.js';
import { AUTHORITY } from '../support/callers.js';
import { personalIdentityNumber } from '../../kernel/identifiers.js';
import { OTHER_LABEL } from '../../kernel/metrics.js';
import { insertPerson, type FixturePerson } from '../support/fixtures.js';
import { startTestStack, useTestStack } from '../support/stack.js';
import { Collector, connect } from '../support/subscriptions.js';

/**
 * `/metrics` of the gateway and of a subgraph, scraped over HTTP like Prometheus does, after a query, a
 * masked read, an audited release, a refused over-limit document and a websocket subscription.
 */

const MAX_OPERATION_NAMES = 100; // GraphQLMetrics' default bound

let open: FixturePerson;
let hidden: FixturePerson;

const env = useTestStack({
  seed: async (db) => {
    const person = (givenNames: string, familyName: string, birthDate: string, serial: number) =>
      insertPerson(db, { identifier: personalIdentityNumber({ birthDate, serial }), givenNames, familyName, birthDate, municipalityCode: '0180' });
    open = await person('Vilgot', 'Mätarsson', '1975-05-05', 311);
    hidden = await person('Sigrid', 'Skyddadottir', '1983-08-08', 422);
    await db.insert(protectionMarkers).values([{ personId: hidden.id, kind: 'SE_PROTECTED_REGISTRATION', validFrom: '2020-01-01' }]);
  },
});

/** One exposition, parsed: every sample's name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

async function scrape(url: string): Promise<{ text: string; samples: Sample[]; contentType: string | null }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const text = await res.text();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { text, samples, contentType: res.headers.get('content-type') };
}

/** The value of one sample (0 when absent: a counter not yet incremented has no sample). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.reduce((sum, s) => sum + s.value, 0);
}

const PERSON = `query MetricsLookup($i: String!) { person(identifier: $i) { name { givenNames familyName } address { postalCode } } }`;

describe('/metrics', () => {
  it('moves with a query, a masked read, an audited release, a refused document and a subscription, on the gateway and a subgraph', async () => {
    const gatewayUrl = env.stack.gateway.metricsUrl;
    const personUrl = env.stack.subgraphs.person.metricsUrl!;
    const before = (await scrape(gatewayUrl)).samples;
    const personBefore = (await scrape(personUrl)).samples;

    // A plain query, and a masked read of a protected person by a caller with no entitlement.
    expect((await env.stack.query(PERSON, { i: open.identifier })).errors).toBeUndefined();
    const masked = await env.stack.query(PERSON, { i: hidden.identifier });
    expect(masked.errors?.map((e) => e.extensions?.code)).toContain('PROTECTED_IDENTITY');
    // An entitled caller gets it, recorded in the audit log.
    const authority = await env.stack.issue({
      scope: ['folkreg:read', ...AUTHORITY.scopes].join(' '),
      sub: 'case-officer',
      role: AUTHORITY.role!,
      purpose: AUTHORITY.purpose!,
    });
    expect((await env.stack.queryAs(authority, PERSON, { i: hidden.identifier })).errors).toBeUndefined();
    // A document deeper than maxDepth (15), refused before it is planned.
    const deep = `query TooDeep { person(identifier: "x") { ${'familyRelations { edges { node { relative { '.repeat(4)}id${' } } } }'.repeat(4)} } }`;
    const refused = await env.stack.query(deep);
    expect(refused.errors?.[0]?.extensions?.code).toBe('DEPTH_LIMIT_EXCEEDED');
    // A websocket subscription that delivers one event.
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${await env.stack.token('folkreg:read')}` });
    const events = new Collector(client, `subscription MetricsFollow { changeEvents { type } }`);
    await env.stack.gateway.subscriptions.until((s) => s.subscribers === 1);
    await env.db.transaction((tx) =>
      appendChangeEvents(tx, [{ type: 'MOVE', personId: open.id, identifier: open.identifier, occurredAt: new Date('2025-03-01T00:00:00Z') }]),
    );
    await events.take(1);
    const during = await scrape(gatewayUrl);
    events.stop();
    await client.dispose();

    const after = (await scrape(gatewayUrl)).samples;
    const moved = (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(during.contentType).toMatch(/^text\/plain/);
    const lookup = { graphql_operation_name: 'MetricsLookup', graphql_operation_type: 'query' };
    expect(moved('graphql_server_request_duration_seconds_count', lookup)).toBe(3);
    expect(moved('graphql_server_request_errors_total', lookup)).toBe(1);
    expect(moved('graphql_server_request_duration_seconds_count', { graphql_operation_name: 'TooDeep' })).toBe(0); // refused before Apollo
    expect(moved('http_server_request_duration_seconds_count', { http_route: '/graphql', http_request_method: 'POST', http_response_status_code: '200' })).toBe(
      3,
    );
    expect(moved('http_server_request_duration_seconds_count', { http_route: '/graphql', http_response_status_code: '400' })).toBe(1);
    expect(moved('folkreg_errors_total', { code: 'PROTECTED_IDENTITY' })).toBeGreaterThanOrEqual(1);
    expect(moved('folkreg_errors_total', { code: 'DEPTH_LIMIT_EXCEEDED' })).toBe(1);
    expect(moved('folkreg_limit_refusals_total', { limit: 'maxDepth' })).toBe(1);
    expect(moved('folkreg_masked_fields_total', { category: 'ADDRESS' })).toBe(1);
    expect(moved('folkreg_audited_releases_total')).toBeGreaterThanOrEqual(1);
    expect(moved('folkreg_audit_write_failures_total')).toBe(0);
    expect(moved('folkreg_subgraph_fetch_duration_seconds_count', { subgraph: 'person' })).toBeGreaterThanOrEqual(3);
    expect(moved('folkreg_subgraph_fetch_duration_seconds_count', { subgraph: 'address' })).toBeGreaterThanOrEqual(3);
    expect(valueOf(during.samples, 'folkreg_websocket_connections')).toBe(1);
    expect(valueOf(during.samples, 'folkreg_websocket_subscriptions')).toBe(1);
    expect(valueOf(during.samples, 'folkreg_feeds')).toBe(1);
    expect(moved('folkreg_event_commit_to_frame_seconds_count')).toBe(1);
    // Process metrics, event-loop lag among them.
    for (const name of ['nodejs_eventloop_lag_seconds', 'process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes'])
      expect(after.some((s) => s.name === name)).toBe(true);

    // The person subgraph served the gateway's fetches, each timed and counted.
    const personAfter = (await scrape(personUrl)).samples;
    const subgraphMoved = (name: string, labels: Record<string, string> = {}) => valueOf(personAfter, name, labels) - valueOf(personBefore, name, labels);
    expect(subgraphMoved('http_server_request_duration_seconds_count', { http_route: '/graphql', http_response_status_code: '200' })).toBeGreaterThanOrEqual(3);
    expect(subgraphMoved('graphql_server_request_duration_seconds_count', { graphql_operation_type: 'query' })).toBeGreaterThanOrEqual(3);
    expect(personAfter.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('shows the database pool in use and waiting under concurrent requests, and both back at 0 after them', async () => {
    const personUrl = env.stack.subgraphs.person.metricsUrl!;
    const pool = async () => {
      const { samples } = await scrape(personUrl);
      return {
        used: valueOf(samples, 'db_client_connection_count', { db_client_connection_state: 'used' }),
        pending: valueOf(samples, 'db_client_connection_pending_requests'),
        max: valueOf(samples, 'db_client_connection_max'),
      };
    };
    const idle = await pool();
    expect(idle).toEqual({ used: 0, pending: 0, max: env.database.pool.max });
    // A transaction holds the table every person lookup reads first: the lookups' statements hold their
    // connections (Postgres) or queue behind it (the embedded database's one backend) until it ends.
    let release!: () => void;
    const held = new Promise<void>((ok) => (release = ok));
    let locked!: () => void;
    const lockTaken = new Promise<void>((ok) => (locked = ok));
    const holder = env.db.transaction(async (tx) => {
      await tx.execute(sql`lock table person_identifiers in access exclusive mode`);
      locked();
      await held;
    });
    await lockTaken;
    const concurrent = idle.max + 4;
    const lookups = Array.from({ length: concurrent }, () => env.stack.query(PERSON, { i: open.identifier }));
    let busy = await pool();
    // Re-scraped until every lookup has reached the database (no time bound here: the test's own timeout bounds it).
    while (busy.used + busy.pending < concurrent + 1) {
      await new Promise((ok) => setTimeout(ok, 20));
      busy = await pool();
    }
    expect(busy.used).toBe(idle.max);
    expect(busy.pending).toBeGreaterThan(0);
    const excerpt = (await scrape(personUrl)).text.split('\n').filter((l) => l.startsWith('db_client_connection'));
    console.log(`person subgraph /metrics while the lookups wait:\n${excerpt.join('\n')}`);
    release();
    await holder;
    for (const result of await Promise.all(lookups)) expect(result.errors).toBeUndefined();
    expect(await pool()).toEqual({ used: 0, pending: 0, max: idle.max });
  });

  it('shows how far a feed is behind the head while it reads a backlog, and 0 once it has caught up', async () => {
    // One event per batch: a feed resuming 40 events back stays behind for 40 batches.
    const stack = await startTestStack(env.db, { subscriptions: { feed: { batchSize: 1 } } });
    try {
      const written = Array.from({ length: 41 }, (_, i) => ({
        type: 'MOVE' as const,
        personId: open.id,
        identifier: open.identifier,
        occurredAt: new Date(Date.UTC(2025, 0, 1 + i)),
      }));
      await env.db.transaction((tx) => appendChangeEvents(tx, written.slice(0, 1)));
      await env.db.transaction((tx) => appendChangeEvents(tx, written.slice(1)));
      const token = await stack.token('folkreg:read');
      const head = await stack.queryAs(token, `query Tail { changeEvents(first: 500) { pageInfo { endCursor } behindHead } }`);
      const tail = head.data as { changeEvents: { pageInfo: { endCursor: string }; behindHead: number } };
      expect(tail.changeEvents.behindHead).toBe(0);
      // The cursor 40 events before the head: the pull query says so too.
      const back = await stack.queryAs(token, `query Back { changeEvents(first: 500) { edges { cursor } } }`);
      const cursors = (back.data as { changeEvents: { edges: { cursor: string }[] } }).changeEvents.edges.map((e) => e.cursor);
      const from = cursors.at(-41)!;
      const pulled = await stack.queryAs(token, `query Behind($after: String) { changeEvents(after: $after, first: 3) { behindHead } }`, { after: from });
      expect(pulled.data).toEqual({ changeEvents: { behindHead: 37 } });

      const client = connect(stack.gateway.url, { authorization: `Bearer ${token}` });
      const events = new Collector(client, `subscription Resume($after: String) { changeEvents(after: $after) { type } }`, { after: from });
      // The feed's first batch is read at subscribe: it then knows it has 39 events to go.
      let seen: { events: number; seconds: number } | undefined;
      await stack.gateway.subscriptions.until((s) => (seen = s.lags.find((l) => l.events > 0)) !== undefined);
      expect(seen!.events).toBe(39);
      const scraped = await scrape(stack.gateway.metricsUrl);
      const during = scraped.samples;
      console.log(
        `gateway /metrics while the feed reads its backlog:\n${scraped.text
          .split('\n')
          .filter((l) => /^folkreg_(feed|event_commit)/.test(l))
          .join('\n')}`,
      );
      // Scraped a round trip later: at most a few of the 39 batches are read by then.
      expect(valueOf(during, 'folkreg_feed_lag_events_max')).toBeGreaterThan(0);
      expect(valueOf(during, 'folkreg_feed_lag_events_max')).toBeLessThanOrEqual(39);
      expect(valueOf(during, 'folkreg_feed_lag_events')).toBe(valueOf(during, 'folkreg_feed_lag_events_max'));
      expect(valueOf(during, 'folkreg_feed_lag_seconds_max')).toBeGreaterThan(0);

      await events.take(40);
      // The batch of the 40th event found nothing after it.
      expect(stack.gateway.subscriptions.stats().lags).toEqual([{ events: 0, seconds: 0 }]);
      const after = (await scrape(stack.gateway.metricsUrl)).samples;
      expect(valueOf(after, 'folkreg_feed_lag_events_max')).toBe(0);
      expect(valueOf(after, 'folkreg_feed_lag_seconds_max')).toBe(0);
      // One frame per event to the one subscriber, each timed from its write.
      expect(valueOf(after, 'folkreg_event_commit_to_frame_seconds_count')).toBe(40);
      events.stop();
      await client.dispose();
    } finally {
      await stack.close();
    }
  });

  it('needs no token, and answers GET only', async () => {
    const res = await fetch(env.stack.gateway.metricsUrl, { method: 'POST' });
    expect(res.status).toBe(405);
    expect((await fetch(env.stack.subgraphs.address.metricsUrl!)).status).toBe(200);
  });

  it('one head long-poll per gateway: the subscription subgraph answers it once per commit, for websockets and webhooks alike', async () => {
    // The longest wait the subgraph allows, so no poll ends by its timeout while this test runs.
    const stack = await startTestStack(env.db, { subscriptions: { headWaitSeconds: 30 } });
    try {
      const subscriptionUrl = stack.subgraphs.subscription.metricsUrl!;
      const headPolls = async () =>
        (await scrape(subscriptionUrl)).samples
          .filter((s) => s.name === 'graphql_server_request_duration_seconds_count' && s.labels.graphql_operation_name?.startsWith('Head'))
          .reduce((sum, s) => sum + s.value, 0);
      const token = await stack.issue({ scope: 'folkreg:read', sub: 'head-count', client: 'head-count' });
      const client = connect(stack.gateway.url, { authorization: `Bearer ${token}` });
      const events = new Collector(client, `subscription { changeEvents { type } }`);
      // Counted once its feed is at the head: the head watcher has read the head and is waiting on it.
      await stack.gateway.subscriptions.until((s) => s.subscribers === 1);
      const before = await headPolls();
      for (const n of [1, 2]) {
        await env.db.transaction((tx) => appendChangeEvents(tx, [{ type: 'NAME_CHANGE', personId: open.id, identifier: open.identifier }]));
        await events.take(n);
      }
      // Two commits, one watcher: two answers (the webhook worker polled a head of its own before: four).
      expect((await headPolls()) - before).toBe(2);
      events.stop();
      await client.dispose();
    } finally {
      await stack.close();
    }
  }, 180_000);

  it('moves to a listener of its own with METRICS_PORT: the service port no longer serves it', async () => {
    const stack = await startTestStack(env.db, { metrics: { port: 0 } });
    try {
      expect(new URL(stack.gateway.metricsUrl).port).not.toBe(String(stack.gateway.port));
      expect((await fetch(stack.gateway.url.replace('/graphql', '/metrics'))).status).toBe(404);
      const { samples } = await scrape(stack.gateway.metricsUrl);
      expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    } finally {
      await stack.close();
    }
  });

  it('bounds operation names: 300 distinct names give at most the bound and `other`', async () => {
    for (let i = 0; i < 300; i++) await env.stack.query(`query Distinct${String.fromCharCode(65 + (i % 26))}x${i.toString(36)} { __typename }`);
    // A name that carries a person's number is never a label, even with room left.
    await env.stack.query(`query Lookup${open.identifier} { __typename }`);
    for (const url of [env.stack.gateway.metricsUrl, env.stack.subgraphs.person.metricsUrl!]) {
      const names = new Set((await scrape(url)).samples.map((s) => s.labels.graphql_operation_name).filter((n) => n !== undefined));
      expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 3); // + other, anonymous, unknown
    }
    const gateway = (await scrape(env.stack.gateway.metricsUrl)).samples;
    expect(valueOf(gateway, 'graphql_server_request_duration_seconds_count', { graphql_operation_name: OTHER_LABEL })).toBeGreaterThanOrEqual(200);
  });

  it('carries no identifier or name of a person in any label, on the gateway and on every subgraph', async () => {
    const persons = [open, hidden];
    const forbidden = persons.flatMap((p) => [p.identifier, p.identifier.slice(2), p.id, ...p.givenNames.split(' '), p.familyName]);
    for (const url of [env.stack.gateway.metricsUrl, ...Object.values(env.stack.subgraphs).map((s) => s.metricsUrl!)]) {
      const { samples } = await scrape(url);
      const values = samples.flatMap((s) => Object.values(s.labels));
      for (const value of values) for (const word of forbidden) expect(value).not.toContain(word);
      // No label value holds four digits in a row (identifiers, dates), except bucket bounds and status codes.
      const named = samples.flatMap((s) => Object.entries(s.labels).filter(([k]) => !['le', 'http_response_status_code', 'quantile'].includes(k)));
      expect(named.filter(([, v]) => /\d{4}/.test(v))).toEqual([]);
    }
  });
});
