import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../../db/client.js';
import { appendChangeEvents } from '../../db/outbox.js';
import { auditEvents } from '../../db/schema/index.js';
import { seedPopulation } from '../../db/seed/index.js';
import { DEFAULT_POLICY, PROTECTION_KINDS, PUBLIC_AUTHORITY_ROLE, Policy, UNRESTRICTED_SCOPE, type ProtectionKind } from '../../gateway/policy.js';
import { ageOn } from '../../kernel/event-filter.js';
import { hiddenBy, PROBE_CALLERS, type ProbeCaller } from '../support/callers.js';
import { graphql, type GraphQLResponse, useTestStack } from '../support/stack.js';
import { Collector, connect } from '../support/subscriptions.js';

/**
 * The leak suite's side doors of change events, on a seeded register: what an attacker learns from
 * filters (pull, durable subscription, websocket), reserve-identity events and links, unlink payloads and
 * event dates. For a fact the policy hides from a caller, the answer to a probe must be the same whether
 * or not the hidden value is the one probed; persons the policy excludes never appear at all.
 */

/** A deployment that also hides the birth date of confidentiality-marked persons (so an age probe has a hidden target short of exclusion). */
const policy = new Policy({
  ...DEFAULT_POLICY,
  SE_CONFIDENTIALITY_MARKING: [{ categories: ['ADDRESS', 'CONTACT', 'FAMILY', 'CIVIL_STATUS', 'CITIZENSHIP', 'BIRTH_DATE'], unlessScope: UNRESTRICTED_SCOPE }],
});

interface Fixture {
  kind: ProtectionKind | 'NONE';
  personId: string;
  identifier: string;
  country: 'SE' | 'DK';
  birthDate: string;
  /** The municipality of the live MOVE written for the test (the person's own where they have one). */
  municipality: string;
  /** Another municipality of the same country, the probe that must get the same answer. */
  otherMunicipality: string;
}
const fixtures = new Map<ProtectionKind | 'NONE', Fixture>();
/** When the test's live moves took effect (their ages are computed on it). */
const MOVED = new Date('2025-06-01T09:00:00Z');

/** A live move of a fixture's person into their municipality at MOVED, as the address subgraph writes one. */
const liveMove = (f: Fixture) => ({
  type: 'MOVE' as const,
  personId: f.personId,
  identifier: f.identifier,
  birthDate: f.birthDate,
  occurredAt: MOVED,
  municipalityAfter: f.municipality,
  details: { addressKind: 'REGISTERED', validFrom: MOVED.toISOString().slice(0, 10) },
});

/** Every probe caller but the entitled ones without a purpose (who see what 'no entitlement' sees). */
const CALLERS = Object.fromEntries(Object.entries(PROBE_CALLERS).filter(([name]) => !name.endsWith(', no purpose')));

function hides(caller: ProbeCaller, kind: ProtectionKind | 'NONE') {
  return kind === 'NONE' ? () => false : hiddenBy(policy, caller, kind);
}

async function tokenOf(caller: ProbeCaller, extraScopes = ''): Promise<string> {
  const sub = `probe-${caller.role ?? ''}-${caller.scope ?? ''}-${caller.purpose ?? ''}`;
  return env.stack.issue({
    scope: `folkreg:read ${caller.scope ?? ''} events:subscribe ${extraScopes}`.trim(),
    sub,
    client: sub,
    role: caller.role,
    purpose: caller.purpose,
  });
}

async function ask(caller: ProbeCaller, query: string, variables?: Record<string, unknown>, extraScopes?: string): Promise<GraphQLResponse> {
  return graphql(env.stack.gateway.url, query, variables, { authorization: `Bearer ${await tokenOf(caller, extraScopes)}` });
}

const PULL = /* GraphQL */ `
  query Probe($filter: ChangeEventFilter, $subscriptionId: ID) {
    changeEvents(first: 500, filter: $filter, subscriptionId: $subscriptionId) {
      edges {
        node {
          type
          identifier
          occurredAt
          municipalityAfter
          person {
            id
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** What a probe answers, as the attacker sees it (data and errors). */
async function probe(caller: ProbeCaller, filter: Record<string, unknown>): Promise<string> {
  const res = await ask(caller, PULL, { filter });
  expect(res.status, JSON.stringify(res.errors)).toBe(200);
  return JSON.stringify({ data: res.data, errors: res.errors });
}

/** The same probe as a durable subscription's stored filters. */
async function durableProbe(caller: ProbeCaller, filter: Record<string, unknown>): Promise<string> {
  const created = await ask(caller, 'mutation($f: ChangeEventFilter) { createEventSubscription(input: { filter: $f }) { id } }', { f: filter });
  expect(created.errors).toBeUndefined();
  const res = await ask(caller, PULL, { subscriptionId: created.data.createEventSubscription.id });
  return JSON.stringify({ data: res.data, errors: res.errors });
}

async function wholeLog(caller: ProbeCaller, selection: string): Promise<{ nodes: Record<string, any>[]; errors: NonNullable<GraphQLResponse['errors']> }> {
  const nodes: Record<string, any>[] = [];
  const errors: NonNullable<GraphQLResponse['errors']> = [];
  for (let after: string | null = null; ;) {
    const res: GraphQLResponse = await ask(
      caller,
      `query($after: String) { changeEvents(first: 500, after: $after) { edges { node { ${selection} } } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    const page = res.data.changeEvents;
    const offset = nodes.length;
    nodes.push(...page.edges.map((e: { node: unknown }) => e.node));
    for (const e of res.errors ?? []) errors.push({ ...e, path: e.path && [e.path[0]!, e.path[1]!, Number(e.path[2]) + offset, ...e.path.slice(3)] });
    if (!page.pageInfo.hasNextPage) return { nodes, errors };
    after = page.pageInfo.endCursor;
  }
}

const env = useTestStack({
  seed: async (db) => {
    await seedPopulation(db, { persons: 800, seed: 14 });
    // One seeded person per protection kind in force (and one with none), with their current number.
    const rows = await selectRows<{ kind: string | null; id: string; identifier: string; country: 'SE' | 'DK'; birth: string; municipality: string | null }>(
      db,
      sql`select distinct on (coalesce(m.kind, 'NONE')) m.kind, p.id::text as id, i.value as identifier, p.country, p.birth_date::text as birth,
            (select a.municipality_code from addresses a where a.person_id = p.id and a.kind = 'REGISTERED' and a.valid_to is null and a.municipality_code is not null limit 1) as municipality
          from persons p
          join person_identifiers i on i.person_id = p.id and i.valid_to is null and i.kind in ('PERSONAL_IDENTITY_NUMBER', 'CPR_NUMBER')
          left join protection_markers m on m.person_id = p.id and (m.valid_from is null or m.valid_from <= current_date) and (m.valid_to is null or m.valid_to > current_date)
          where p.status = 'ACTIVE' and p.birth_date is not null
            and (m.kind is not null or not exists (select 1 from protection_markers x where x.person_id = p.id))
            and (select count(*) from protection_markers y where y.person_id = p.id) <= 1
          order by coalesce(m.kind, 'NONE'), p.id`,
    );
    const municipalities = await selectRows<{ country: 'SE' | 'DK'; code: string }>(db, sql`select country, code from municipalities order by country, code`);
    for (const r of rows) {
      const kind = (r.kind ?? 'NONE') as ProtectionKind | 'NONE';
      const own = municipalities.filter((m) => m.country === r.country);
      const municipality = r.municipality ?? own[0]!.code;
      fixtures.set(kind, {
        kind,
        personId: r.id,
        identifier: r.identifier,
        country: r.country,
        birthDate: r.birth,
        municipality,
        otherMunicipality: own.find((m) => m.code !== municipality)!.code,
      });
    }
    expect([...fixtures.keys()].sort()).toEqual([...PROTECTION_KINDS, 'NONE'].sort());
    // A live move of each: into the person's own municipality, as the address subgraph writes one.
    await db.transaction((tx) => appendChangeEvents(tx, [...fixtures.values()].map(liveMove)));
  },
  stack: () => ({ policy }),
});

beforeAll(async () => {}, 240_000);

describe.each(Object.entries(CALLERS))('filters cannot probe — caller: %s', (_name, caller) => {
  it.each([...PROTECTION_KINDS, 'NONE' as const])(
    '%s: municipality, age and identifier probes answer alike whether or not they hit the hidden value',
    async (kind) => {
      const f = fixtures.get(kind)!;
      const hidden = hides(caller, kind);
      const at = (municipality: string) => ({ personIdentifiers: [f.identifier], municipalityCodes: [municipality] });

      // Where the person lives (the ~9-request municipality search of the report).
      const hit = await probe(caller, at(f.municipality));
      const miss = await probe(caller, at(f.otherMunicipality));
      if (hidden('ADDRESS')) expect(hit, 'municipality probe').toEqual(miss);
      else {
        expect(hit).toContain(f.identifier);
        expect(hit).not.toEqual(miss);
      }
      // The same with the filters stored in a durable subscription.
      const durableHit = await durableProbe(caller, at(f.municipality));
      const durableMiss = await durableProbe(caller, at(f.otherMunicipality));
      if (hidden('ADDRESS')) expect(durableHit, 'durable municipality probe').toEqual(durableMiss);
      else expect(durableHit).toContain(f.identifier);

      // The birth date, bisected with minAge/maxAge.
      const age = ageOn(f.birthDate, MOVED);
      const ageHit = await probe(caller, { personIdentifiers: [f.identifier], minAge: age, maxAge: age });
      const ageMiss = await probe(caller, { personIdentifiers: [f.identifier], minAge: age + 1, maxAge: age + 1 });
      if (hidden('BIRTH_DATE')) expect(ageHit, 'age probe').toEqual(ageMiss);
      else expect(ageHit).toContain(f.identifier);

      // The person's number alone: an excluded person's events never come back (no error either).
      const own = await probe(caller, { personIdentifiers: [f.identifier] });
      if (hidden('*')) {
        expect(own).not.toContain(f.identifier);
        expect(own).not.toContain(f.personId);
        expect(own).not.toContain('"errors"');
      } else expect(own).toContain(f.identifier);
    },
  );

  it('the unfiltered log holds no event of a person the policy excludes, and every seeded move of a person whose address is hidden has no date', async () => {
    const { nodes, errors } = await wholeLog(caller, 'type identifier occurredAt recordedAt person { id }');
    const serialized = JSON.stringify(nodes);
    for (const f of fixtures.values()) {
      if (hides(caller, f.kind)('*')) expect(serialized, `${f.kind} excluded`).not.toContain(f.personId);
    }
    // Event dates: an event's occurredAt is masked exactly when its type's fact is hidden.
    const kindsOf = new Map(
      (
        await selectRows<{ id: string; kinds: string[] | string }>(
          env.db,
          sql`select person_id::text as id, array_agg(kind) as kinds from protection_markers
        where (valid_from is null or valid_from <= current_date) and (valid_to is null or valid_to > current_date) group by person_id`,
        )
      ).map((r) => [r.id, (Array.isArray(r.kinds) ? r.kinds : r.kinds.replace(/[{}]/g, '').split(',')) as ProtectionKind[]]),
    );
    const categoryOf: Record<string, string> = {
      MOVE: 'ADDRESS',
      IMMIGRATION: 'ADDRESS',
      EMIGRATION: 'ADDRESS',
      CIVIL_STATUS_CHANGE: 'CIVIL_STATUS',
      DEATH: 'LIFE_STATUS',
      NAME_CHANGE: 'NAME',
    };
    const masked = new Set(errors.filter((e) => e.path?.at(-1) === 'occurredAt').map((e) => e.path![2]));
    let checked = 0;
    nodes.forEach((node, i) => {
      const category = categoryOf[node.type];
      const kinds = node.person ? (kindsOf.get(node.person.id) ?? []) : [];
      if (!category || kinds.length === 0) return;
      const hidden = kinds.some((k) => hides(caller, k)(category));
      expect(node.occurredAt === null, `${node.type} of a ${kinds.join('+')} person`).toBe(hidden);
      expect(masked.has(i)).toBe(hidden);
      if (hidden) checked++;
    });
    if (caller === CALLERS['no entitlement']) expect(checked, 'the seed has moves and civil-status changes of protected persons').toBeGreaterThan(0);
  });
});

describe('event dates on the seeded register', () => {
  it("a seeded move's visible dates do not restate the hidden Address.validFrom, nor a civil-status change's the hidden civilStatusSince", async () => {
    const caller = CALLERS['no entitlement']!;
    const { nodes } = await wholeLog(caller, 'type occurredAt recordedAt person { id }');
    const facts = await selectRows<{ id: string; valid_from: string; since: string | null }>(
      env.db,
      sql`select p.id::text as id, a.valid_from::text as valid_from, p.civil_status_since::text as since from persons p
          join addresses a on a.person_id = p.id and a.kind = 'REGISTERED'
          where exists (select 1 from protection_markers m where m.person_id = p.id and m.kind in ('SE_CONFIDENTIALITY_MARKING', 'SE_PROTECTED_REGISTRATION', 'DK_NAME_AND_ADDRESS'))`,
    );
    const validFroms = new Map<string, Set<string>>();
    for (const f of facts) validFroms.set(f.id, (validFroms.get(f.id) ?? new Set()).add(f.valid_from));
    const moves = nodes.filter((n) => n.type === 'MOVE' && n.person && validFroms.has(n.person.id));
    expect(moves.length).toBeGreaterThan(0);
    // What the attacker can read of each such move: occurredAt is masked, and the day folkreg recorded it
    // is not the day the address began (registers learn of a move days later).
    for (const m of moves) expect(m.occurredAt).toBeNull();
    const restated = moves.filter((m) => validFroms.get(m.person.id)!.has(String(m.recordedAt).slice(0, 10)));
    expect(restated.length, `${restated.length} of ${moves.length} moves recorded on the day the hidden address began`).toBeLessThan(
      Math.max(1, moves.length / 4),
    );
    const since = new Map(facts.filter((f) => f.since).map((f) => [f.id, f.since!]));
    for (const c of nodes.filter((n) => n.type === 'CIVIL_STATUS_CHANGE' && n.person && since.has(n.person.id))) expect(c.occurredAt).toBeNull();
  });
});

describe('websocket filters cannot probe', () => {
  const FOLLOW = /* GraphQL */ `
    subscription Follow($filter: ChangeEventFilter) {
      changeEvents(filter: $filter) {
        type
        identifier
      }
    }
  `;

  it.each([
    ['no entitlement', 'SE_CONFIDENTIALITY_MARKING', 'municipality'],
    ['no entitlement', 'DK_NAME_AND_ADDRESS', 'municipality'],
    ['no entitlement', 'SE_CONFIDENTIALITY_MARKING', 'age'],
    ['marketing purpose', 'DK_MARKETING', 'identifier'],
    ['research purpose', 'DK_RESEARCH', 'municipality'],
  ] as const)('%s, %s: a live %s filter does not match the person', async (callerName, kind, group) => {
    const caller = CALLERS[callerName]!;
    const target = fixtures.get(kind)!;
    const other = fixtures.get('NONE')!;
    const filter: Record<string, unknown> = { personIdentifiers: [target.identifier, other.identifier] };
    if (group === 'municipality') filter.municipalityCodes = [target.municipality, other.municipality];
    if (group === 'age') Object.assign(filter, { minAge: 0, maxAge: 150 });
    const client = connect(env.stack.gateway.url, { authorization: `Bearer ${await tokenOf(caller)}` });
    // The previous case's subscriber is still counted for a while after its client disposed: counting
    // from it (`before + 1`) waited for ever when it left before this one arrived (CI, 60 s timeout).
    await env.stack.gateway.subscriptions.until((s) => s.subscribers === 0);
    const follower = new Collector(client, FOLLOW, { filter });
    await env.stack.gateway.subscriptions.until((s) => s.subscribers === 1);
    // The protected person's matching move first, then the unprotected one's: what arrives first tells.
    await env.db.transaction((tx) => appendChangeEvents(tx, [liveMove(target)]));
    await env.db.transaction((tx) => appendChangeEvents(tx, [liveMove(other)]));
    const [first] = await follower.take(1);
    expect(first!.data.changeEvents).toEqual({ type: 'MOVE', identifier: other.identifier });
    follower.stop();
    await client.dispose();
  });
});

describe('reserve identities reveal nothing the person view hides', () => {
  const ISSUE = 'mutation($input: ReserveIdentityDataInput!) { issueNationalReserveId(input: $input) { id value } }';
  const LINK = 'mutation($id: ID!, $to: String!) { linkReserveIdentity(id: $id, to: $to) { id } }';
  const UNLINK =
    'mutation($id: ID!) { unlinkReserveIdentity(id: $id) { id givenNames familyName birthDate statedAddress { streetAddress city } person { id } } }';
  const writer: ProbeCaller = {};
  const marketing = CALLERS['marketing purpose']!;

  async function linkedIdentity(target: Fixture, given: string) {
    const issued = await ask(
      writer,
      ISSUE,
      {
        input: { givenNames: given, familyName: 'Reservsson', birthDate: target.birthDate, statedAddress: { streetAddress: `${given}vägen 1`, city: 'Gömda' } },
      },
      'reserve-id:write',
    );
    expect(issued.errors).toBeUndefined();
    const { id, value } = issued.data.issueNationalReserveId;
    const linked = await ask(writer, LINK, { id, to: target.identifier }, 'reserve-id:write');
    expect(linked.errors).toBeUndefined();
    return { id, value: value as string };
  }

  it('events about a reserve identity linked to an excluded person carry that person: no number, birth date or CPR number reaches the caller', async () => {
    const target = fixtures.get('DK_MARKETING')!;
    const head = (await ask(marketing, 'query { changeEventsHead }')).data.changeEventsHead;
    const { value } = await linkedIdentity(target, 'Anonym');
    const res = await ask(
      marketing,
      `query($after: String) { changeEvents(after: $after, first: 500) {
      edges { node { type identifier birthDate person { id } details { ... on ReserveIdentityChangeDetails { reserveIdentityAction targetValue } } } } } }`,
      { after: head },
    );
    const serialized = JSON.stringify(res);
    expect(serialized).not.toContain(value);
    expect(serialized).not.toContain(target.identifier);
    expect(serialized).not.toContain(target.birthDate);
    // A caller the person is not excluded from sees both events, each with its person.
    const plain = await ask(
      CALLERS['no entitlement']!,
      `query($after: String) { changeEvents(after: $after, first: 500) { edges { node { identifier person { id } details { ... on ReserveIdentityChangeDetails { reserveIdentityAction targetValue } } } } } }`,
      { after: head },
    );
    const nodes = plain.data.changeEvents.edges.map((e: { node: any }) => e.node).filter((n: any) => n.identifier === value);
    expect(nodes.map((n: any) => [n.details.reserveIdentityAction, n.person?.id])).toEqual([
      ['ISSUED', target.personId],
      ['LINKED', target.personId],
    ]);
  });

  it("a link's history keeps the number masked after the unlink, and the unlink payload is the former person's", async () => {
    const target = fixtures.get('DK_MARKETING')!;
    const { id, value } = await linkedIdentity(target, 'Historisk');
    // A writer the person is not hidden from may end the link; its payload is masked as before.
    const unlinked = await ask(writer, UNLINK, { id }, 'reserve-id:write');
    expect(unlinked.errors).toBeUndefined();
    expect(unlinked.data.unlinkReserveIdentity.person).toEqual({ id: target.personId });
    const history = await ask(
      marketing,
      'query($r: String!) { reserveIdentity(identifier: $r, followLinks: false) { links(includeHistoric: true) { target { kind value } unlinkedAt person { id } } } }',
      { r: value },
    );
    expect(JSON.stringify(history.data)).not.toContain(target.identifier);
    expect(history.data.reserveIdentity.links).toEqual([
      { target: { kind: 'CPR_NUMBER', value: null }, unlinkedAt: expect.any(String), person: expect.anything() },
    ]);
    expect(history.errors?.map((e) => [e.path?.slice(-2).join('.'), e.extensions?.code])).toContainEqual(['target.value', 'PROTECTED_IDENTITY']);
  });

  it('a writer from whom the person hides the identity’s data cannot lift the protection by unlinking', async () => {
    const target = fixtures.get('DK_NAME_AND_ADDRESS')!;
    const { id, value } = await linkedIdentity(target, 'Skyddad');
    const refused = await ask(writer, UNLINK, { id }, 'reserve-id:write');
    expect(refused.errors?.map((e) => [e.extensions?.code, e.extensions?.reason])).toEqual([['PROTECTED_IDENTITY', 'LINKED_PERSON_PROTECTED']]);
    expect(JSON.stringify(refused)).not.toContain('Skyddad');
    // Still linked, still masked.
    const after = await ask(writer, 'query($r: String!) { reserveIdentity(identifier: $r, followLinks: false) { givenNames linkedAt } }', { r: value });
    expect(after.data.reserveIdentity).toEqual({ givenNames: null, linkedAt: expect.any(String) });
  });

  it('an entitled writer may unlink: the payload is released to them as the former person’s, and audited', async () => {
    const target = fixtures.get('DK_NAME_AND_ADDRESS')!;
    const authority: ProbeCaller = { role: PUBLIC_AUTHORITY_ROLE, purpose: 'case-handling' };
    const { id } = await linkedIdentity(target, 'Myndig');
    const unlinked = await ask(authority, UNLINK, { id }, 'reserve-id:write');
    expect(unlinked.errors).toBeUndefined();
    expect(unlinked.data.unlinkReserveIdentity).toMatchObject({ givenNames: 'Myndig', person: { id: target.personId } });
    const audits = await env.db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.personId} = ${target.personId}::uuid`);
    expect(audits.some((a) => a.fields.includes('ReserveIdentity.givenNames'))).toBe(true);
  });
});

describe('migration 0009_event_persons', () => {
  it('gives reserve-identity events written without a person, and links without one, the person they concern', async () => {
    const db = env.db;
    const target = fixtures.get('SE_CONFIDENTIALITY_MARKING')!;
    // Rows as the old write path left them.
    const [identity] = await selectRows<{ id: string }>(
      db,
      sql`insert into reserve_identities (kind, value, given_names) values ('NATIONAL_RESERVE_ID', 'XX9001010101', 'Gammal') returning id::text as id`,
    );
    await db.execute(
      sql`insert into reserve_identity_links (reserve_identity_id, target_kind, target_value) values (${identity!.id}::uuid, 'PERSONAL_IDENTITY_NUMBER', ${target.identifier})`,
    );
    await db.transaction((tx) =>
      appendChangeEvents(tx, [
        { type: 'RESERVE_IDENTITY_CHANGE', identifier: 'XX9001010101', details: { action: 'ISSUED', reserveIdentityId: identity!.id } },
        {
          type: 'RESERVE_IDENTITY_CHANGE',
          identifier: 'XX9001010101',
          details: { action: 'LINKED', reserveIdentityId: identity!.id, targetKind: 'PERSONAL_IDENTITY_NUMBER', targetValue: target.identifier },
        },
      ]),
    );
    const file = readFileSync(new URL('../../db/migrations/0009_event_persons.sql', import.meta.url), 'utf8');
    for (const statement of file.split('--> statement-breakpoint')) await db.execute(sql.raw(statement));
    const events = await selectRows<{ person: string | null }>(
      db,
      sql`select person_id::text as person from change_events where identifier = 'XX9001010101' order by id`,
    );
    expect(events).toEqual([{ person: target.personId }, { person: target.personId }]);
    const [link] = await selectRows<{ person: string | null }>(
      db,
      sql`select target_person_id::text as person from reserve_identity_links where reserve_identity_id = ${identity!.id}::uuid`,
    );
    expect(link!.person).toBe(target.personId);
  });
});
