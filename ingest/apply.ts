/**
 * The apply core of every ingest: one person's state (`state.ts`) written in the caller's transaction,
 * as a difference: what already holds is left alone, so a file read twice changes nothing the second
 * time and writes no event.
 *
 * It writes the tables of three domains (person, address, family) in one transaction, as a CPR 001
 * record asks ("replace what you hold for this PNR"): that is why the ingest is a module of its own and
 * not part of one subgraph (README "Layout"). What the domains derive from each other stays derived by
 * the database as for every other write: `persons.municipality_code` from the registered address
 * (migration 0006), a person's name words from their name (0008), and the life status from life events
 * (0010/0011), after which the status the source gives is set. Writes of one person are serialised with
 * the mutations' (the same advisory lock key as subgraphs/shared/writes.ts `lockPerson`).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { poolOf, selectRows } from '../db/client.js';
import { appendChangeEvents, type NewChangeEvent } from '../db/outbox.js';
import { addresses, familyRelations, personCitizenships, personIdentifiers, personNames, persons, protectionMarkers } from '../db/schema/index.js';
import { nameSearchKey } from '../kernel/search-key.js';
import type { IngestLine, IngestReport } from './report.js';
import type { AddressState, NameState, PersonState, RelativeRef } from './state.js';
import { STATED_RELATION_KINDS } from './state.js';

/** A transaction of the ingest. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Why a person's state was not applied (the transaction is rolled back). */
export class ApplyRefusal extends Error {
  constructor(
    readonly reason: 'IDENTIFIER_TAKEN' | 'OVERLAPPING_MARKER' | 'CONSTRAINT',
    message: string,
    readonly field: string | null = null,
    readonly value: string | null = null,
  ) {
    super(message);
    this.name = 'ApplyRefusal';
  }
}

export interface Applied {
  readonly personId: string;
  readonly outcome: 'created' | 'updated' | 'unchanged';
  readonly eventsWritten: number;
  /** Relatives named by a number no person had yet: the caller may apply again once they exist. */
  readonly unresolvedRelatives: readonly string[];
}

/** Options of `applyPerson`. */
export interface ApplyOptions {
  /** The register's date (YYYY-MM-DD): the day facts the source no longer states end on. */
  readonly today: string;
  /** The source of the events (`details.source`). */
  readonly source: 'CPR' | 'NDJSON';
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/** Event types whose trigger (migrations 0010/0011) sets the life status: the source's status is set after them. */
const STATUS_EVENTS: ReadonlySet<string> = new Set(['EMIGRATION', 'IMMIGRATION', 'DEATH', 'DISAPPEARANCE', 'REAPPEARANCE', 'DEATH_ANNULLED']);

/** Lock key shared with the mutations (subgraphs/shared/writes.ts `lockPerson(tx, 'person', id)`). */
function lockPerson(tx: Tx, personId: string) {
  return tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`person:${personId}`}))`);
}

async function personIdsOf(tx: Tx, values: readonly string[]): Promise<Map<string, string>> {
  if (values.length === 0) return new Map();
  const rows = await selectRows<{ value: string; personId: string }>(
    tx,
    sql`select i.value, i.person_id::text as "personId" from person_identifiers i
        where i.value in (select json_array_elements_text(${JSON.stringify(values)}::json))`,
  );
  return new Map(rows.map((r) => [r.value, r.personId]));
}

/** What the register holds for a person, read in one round trip after their lock (empty for a person created now). */
interface Held {
  readonly identifiers: (typeof personIdentifiers.$inferSelect)[];
  readonly names: (typeof personNames.$inferSelect)[];
  readonly markers: (typeof protectionMarkers.$inferSelect)[];
  /** Current (open-ended) registered and foreign addresses. */
  readonly addresses: (typeof addresses.$inferSelect)[];
  readonly relations: (typeof familyRelations.$inferSelect)[];
  /** Every citizenship period, current and ended. */
  readonly citizenships: (typeof personCitizenships.$inferSelect)[];
  readonly eventKeys: ReadonlySet<string>;
}

const NOTHING_HELD: Held = { identifiers: [], names: [], markers: [], addresses: [], relations: [], citizenships: [], eventKeys: new Set() };

async function heldOf(tx: Tx, personId: string, state: PersonState) {
  const [[person], identifiers, names, markers, current, relations, citizenships, keys] = await Promise.all([
    tx.select().from(persons).where(eq(persons.id, personId)),
    tx.select().from(personIdentifiers).where(eq(personIdentifiers.personId, personId)),
    state.name !== undefined || state.previousNames !== undefined ? tx.select().from(personNames).where(eq(personNames.personId, personId)) : [],
    state.protections !== undefined ? tx.select().from(protectionMarkers).where(eq(protectionMarkers.personId, personId)) : [],
    state.address !== undefined || state.foreignAddress !== undefined
      ? tx
          .select()
          .from(addresses)
          .where(and(eq(addresses.personId, personId), sql`${addresses.validTo} is null`))
      : [],
    state.relations !== undefined ? tx.select().from(familyRelations).where(eq(familyRelations.personId, personId)) : [],
    statesCitizenships(state) ? tx.select().from(personCitizenships).where(eq(personCitizenships.personId, personId)) : [],
    state.events.length > 0
      ? selectRows<{ key: string }>(
          tx,
          sql`select details->>'sourceKey' as key from change_events where person_id = ${personId}::uuid and details ? 'sourceKey'`,
        )
      : [],
  ]);
  const held: Held = { identifiers, names, markers, addresses: current, relations, citizenships, eventKeys: new Set(keys.map((k) => k.key)) };
  return { person: person!, held };
}

/**
 * The writes of one person, gathered while the difference is worked out: updates of held rows first (they
 * end what a new row replaces), then one multi-row insert per table. Statement-level triggers (municipality,
 * name words) see the same end state either way.
 */
class Writes {
  readonly updates: (() => PromiseLike<unknown>)[] = [];
  readonly identifiers: (typeof personIdentifiers.$inferInsert)[] = [];
  readonly names: (typeof personNames.$inferInsert)[] = [];
  readonly markers: (typeof protectionMarkers.$inferInsert)[] = [];
  readonly addresses: (typeof addresses.$inferInsert)[] = [];
  readonly relations: (typeof familyRelations.$inferInsert)[] = [];
  readonly citizenships: (typeof personCitizenships.$inferInsert)[] = [];

  get count() {
    return (
      this.updates.length +
      this.identifiers.length +
      this.names.length +
      this.markers.length +
      this.addresses.length +
      this.relations.length +
      this.citizenships.length
    );
  }

  async flush(tx: Tx): Promise<void> {
    for (const update of this.updates) await update();
    const inserts: PromiseLike<unknown>[] = [];
    if (this.identifiers.length > 0) inserts.push(tx.insert(personIdentifiers).values(this.identifiers));
    if (this.names.length > 0) inserts.push(tx.insert(personNames).values(this.names));
    if (this.markers.length > 0) inserts.push(tx.insert(protectionMarkers).values(this.markers));
    if (this.addresses.length > 0) inserts.push(tx.insert(addresses).values(this.addresses));
    if (this.relations.length > 0) inserts.push(tx.insert(familyRelations).values(this.relations));
    // A current period may be there already: the insert trigger on persons opened it, start unknown, for a
    // person created in this transaction (migration 0041). Then it only gets its start.
    if (this.citizenships.length > 0)
      inserts.push(
        tx
          .insert(personCitizenships)
          .values(this.citizenships)
          .onConflictDoUpdate({
            target: [personCitizenships.personId, personCitizenships.country],
            targetWhere: sql`${personCitizenships.validTo} is null`,
            set: { validFrom: sql`excluded.valid_from` },
          }),
      );
    // Pipelined: one table each, sent together.
    await Promise.all(inserts);
  }
}

/**
 * Applies `state` in `tx` (one transaction per person: the caller's). Throws `ApplyRefusal` to refuse.
 *
 * Statements (README "Ingest throughput"): the number's lock, one lookup of the person's numbers and every
 * relative's, then for a person already held their lock and one pipelined read of what is held; the
 * changes as updates and one multi-row insert per table; the events; the person row only when it differs.
 * A person created now is known to hold nothing, so nothing is read for them.
 */
export async function applyPerson(tx: Tx, state: PersonState, options: ApplyOptions): Promise<Applied> {
  const { today } = options;
  const previous = state.previousIdentifiers ?? [];
  const own = [state.identifier, ...previous.map((p) => p.value)];
  const relatives = [...(state.relations ?? []).map((r) => r.relative.identifier), state.civilStatus?.partner?.identifier].filter(
    (v): v is string => Boolean(v) && !own.includes(v!),
  );
  // Two files (or a file and a mutation) naming the same new number must not both create a person.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`identifier:${state.identifier}`}))`);
  const found = await personIdsOf(tx, [...own, ...relatives]);
  let personId = found.get(state.identifier) ?? previous.map((p) => found.get(p.value)).find(Boolean) ?? null;
  for (const value of own) {
    const owner = found.get(value);
    if (owner && owner !== personId) throw new ApplyRefusal('IDENTIFIER_TAKEN', `The number ${value} belongs to another person in the register.`, 'PNR', value);
  }
  const unresolved: string[] = [];
  const resolve = (ref: RelativeRef | null | undefined): string | null => {
    if (!ref?.identifier) return null;
    const id = own.includes(ref.identifier) ? personId : (found.get(ref.identifier) ?? null);
    if (!id) unresolved.push(ref.identifier);
    return id;
  };

  const wanted: Partial<typeof persons.$inferInsert> = {
    sex: state.sex,
    birthDate: state.birthDate,
    status: state.status,
    statusDate: state.statusDate,
    registeringAuthority: state.registeringAuthority,
  };
  const wantedCitizenships = state.citizenships !== undefined ? [...new Set(state.citizenships)].sort() : undefined;
  if (state.civilStatus) {
    wanted.civilStatus = state.civilStatus.status;
    wanted.civilStatusSince = state.civilStatus.since;
    if (state.civilStatus.partner !== undefined) wanted.civilStatusPartnerId = resolve(state.civilStatus.partner) ?? null;
  }
  let created = false;
  let row: typeof persons.$inferSelect | null = null;
  let held = NOTHING_HELD;
  if (personId === null) {
    // Created with everything the source states of the row itself.
    const [inserted] = await tx
      .insert(persons)
      .values({
        ...wanted,
        country: state.country,
        sex: state.sex,
        status: state.status,
        registeringAuthority: state.registeringAuthority,
        ...(wantedCitizenships ? { citizenships: wantedCitizenships } : {}),
        registeredOn: today,
      })
      .returning({ id: persons.id });
    personId = inserted!.id;
    created = true;
  } else {
    await lockPerson(tx, personId);
    ({ person: row, held } = await heldOf(tx, personId, state));
  }

  const w = new Writes();
  planIdentifiers(w, tx, personId, held, state, today);
  if (state.name !== undefined || state.previousNames !== undefined) planNames(w, tx, personId, held, state, today);
  if (state.protections !== undefined) planProtections(w, tx, personId, held, state, today);
  if (state.address !== undefined) planAddress(w, tx, personId, held, state, today);
  if (state.foreignAddress !== undefined) planForeignAddress(w, tx, personId, held, state, today);
  if (state.relations !== undefined) planRelations(w, tx, personId, held, state, today, resolve);
  if (statesCitizenships(state)) planCitizenships(w, tx, personId, held, state, today, created);
  const changed = created || w.count > 0;
  await w.flush(tx);

  // Events, after the address (a move's municipality after, read by the insert itself) and before the
  // status (which follows events).
  const fresh: NewChangeEvent[] = [];
  const base = { personId, identifier: state.identifier, birthDate: state.birthDate };
  const after = sql`(select municipality_code from persons where id = ${personId}::uuid)`;
  if (created) fresh.push({ ...base, type: 'PERSON_REGISTERED', municipalityAfter: after, details: { source: options.source } });
  const seen = new Set(held.eventKeys);
  for (const event of state.events) {
    if (seen.has(event.key)) continue;
    seen.add(event.key);
    const moved = event.type === 'MOVE' || event.type === 'EMIGRATION' || event.type === 'IMMIGRATION' || event.type === 'DISAPPEARANCE';
    fresh.push({
      ...base,
      type: event.type,
      occurredAt: event.occurredAt,
      municipalityBefore: moved ? (row?.municipalityCode ?? null) : null,
      municipalityAfter: moved ? after : null,
      details: {
        source: options.source,
        sourceKey: event.key,
        validFrom: event.occurredAt.toISOString().slice(0, 10),
        ...(event.code ? { cprChangeCode: event.code } : {}),
        ...(event.derived ? { cprDerivedMarker: event.derived } : {}),
      },
    });
  }
  await appendChangeEvents(tx, fresh);

  // The person row last: the source's status wins over what the events' trigger derived.
  const patch: Partial<typeof persons.$inferInsert> = {};
  if (row) {
    for (const [key, value] of Object.entries(wanted) as [keyof typeof wanted, unknown][]) {
      if (!same(row[key as keyof typeof row], value)) (patch as Record<string, unknown>)[key] = value;
    }
    if (wantedCitizenships && JSON.stringify([...row.citizenships].sort()) !== JSON.stringify(wantedCitizenships)) patch.citizenships = wantedCitizenships;
  }
  const statusMoved = fresh.some((e) => STATUS_EVENTS.has(e.type));
  const differs = Object.keys(patch).length > 0;
  if (differs || statusMoved) {
    await tx
      .update(persons)
      .set({ ...patch, ...(statusMoved ? { status: state.status, statusDate: state.statusDate } : {}), updatedAt: new Date() })
      .where(
        differs
          ? eq(persons.id, personId)
          : and(eq(persons.id, personId), sql`(${persons.status}, ${persons.statusDate}) is distinct from (${state.status}::text, ${state.statusDate}::date)`),
      );
  }
  return {
    personId,
    outcome: created ? 'created' : changed || differs || fresh.length > 0 ? 'updated' : 'unchanged',
    eventsWritten: fresh.filter((e) => e.type !== 'PERSON_REGISTERED').length,
    unresolvedRelatives: unresolved,
  };
}

function planIdentifiers(w: Writes, tx: Tx, personId: string, held: Held, state: PersonState, today: string): void {
  const rows = held.identifiers;
  const kindOf = (value: string) => (state.country === 'DK' ? 'CPR_NUMBER' : value.slice(6, 7) >= '6' ? 'COORDINATION_NUMBER' : 'PERSONAL_IDENTITY_NUMBER');
  const current = rows.find((r) => r.value === state.identifier);
  if (!current) {
    w.identifiers.push({ personId, kind: kindOf(state.identifier), value: state.identifier, validFrom: state.birthDate });
  } else if (current.validTo !== null) {
    w.updates.push(() => tx.update(personIdentifiers).set({ validTo: null }).where(eq(personIdentifiers.id, current.id)));
  }
  const stated = new Set([state.identifier]);
  for (const p of state.previousIdentifiers ?? []) {
    stated.add(p.value);
    const row = rows.find((r) => r.value === p.value);
    const validTo = p.validTo ?? today;
    if (!row) {
      w.identifiers.push({ personId, kind: kindOf(p.value), value: p.value, validFrom: p.validFrom, validTo });
    } else if (row.validTo !== validTo) {
      w.updates.push(() => tx.update(personIdentifiers).set({ validTo }).where(eq(personIdentifiers.id, row.id)));
    }
  }
  // A number still current here that the source no longer gives as current: it ends (and keeps finding the person).
  if (state.previousIdentifiers !== undefined) {
    for (const row of rows) {
      if (!stated.has(row.value) && row.validTo === null) {
        w.updates.push(() => tx.update(personIdentifiers).set({ validTo: today }).where(eq(personIdentifiers.id, row.id)));
      }
    }
  }
}

const nameFields = (n: NameState) => [n.givenNames ?? null, n.middleName ?? null, n.familyName ?? null, n.addressingName ?? null];
const sameName = (a: NameState, b: NameState) => JSON.stringify(nameFields(a)) === JSON.stringify(nameFields(b));
/** A previous name (CPR 026) carries no addressing name: it is the same name when its parts are. */
const sameParts = (a: NameState, b: NameState) => JSON.stringify(nameFields(a).slice(0, 3)) === JSON.stringify(nameFields(b).slice(0, 3));

function planNames(w: Writes, tx: Tx, personId: string, held: Held, state: PersonState, today: string): void {
  const rows = [...held.names];
  const insert = (n: NameState, validTo: string | null) =>
    w.names.push({
      personId,
      givenNames: n.givenNames,
      middleName: n.middleName,
      familyName: n.familyName,
      addressingName: n.addressingName,
      searchKey: nameSearchKey(n.givenNames, n.middleName, n.familyName),
      validFrom: n.validFrom,
      validTo,
    });
  if (state.name !== undefined) {
    const current = rows.find((r) => r.validTo === null);
    const want = state.name;
    if (want === null) {
      if (current) {
        w.updates.push(() => tx.update(personNames).set({ validTo: today }).where(eq(personNames.id, current.id)));
      }
    } else if (!current) {
      insert(want, null);
    } else if (!sameName(current, want) || !same(current.validFrom, want.validFrom)) {
      if (same(current.validFrom, want.validFrom) || (want.validFrom !== null && current.validFrom !== null && want.validFrom <= current.validFrom)) {
        // A correction of the current name (same start, or the source dates it no later): in place.
        w.updates.push(() =>
          tx
            .update(personNames)
            .set({
              givenNames: want.givenNames,
              middleName: want.middleName,
              familyName: want.familyName,
              addressingName: want.addressingName,
              searchKey: nameSearchKey(want.givenNames, want.middleName, want.familyName),
              validFrom: want.validFrom,
            })
            .where(eq(personNames.id, current.id)),
        );
      } else {
        w.updates.push(() =>
          tx
            .update(personNames)
            .set({ validTo: want.validFrom ?? today })
            .where(eq(personNames.id, current.id)),
        );
        rows.push({ ...current, validTo: want.validFrom ?? today });
        insert(want, null);
      }
    }
  }
  for (const old of state.previousNames ?? []) {
    const row = rows.find((r) => r.validTo !== null && sameParts(r, old) && same(r.validFrom, old.validFrom));
    const validTo = old.validTo ?? today;
    if (!row) {
      insert(old, validTo);
    } else if (row.validTo !== validTo) {
      w.updates.push(() => tx.update(personNames).set({ validTo }).where(eq(personNames.id, row.id)));
    }
  }
}

function planProtections(w: Writes, tx: Tx, personId: string, held: Held, state: PersonState, today: string): void {
  const wanted = state.protections ?? [];
  for (const [i, a] of wanted.entries()) {
    for (const b of wanted.slice(i + 1)) {
      if (
        a.kind === b.kind &&
        (a.validTo === null || b.validFrom === null || b.validFrom < a.validTo) &&
        (b.validTo === null || a.validFrom === null || a.validFrom < b.validTo)
      )
        throw new ApplyRefusal('OVERLAPPING_MARKER', `Two ${a.kind} markers overlap.`, 'START_DT-BESKYTTELSE', b.validFrom);
    }
  }
  const rows = held.markers;
  const matched = new Set<number>();
  for (const want of wanted) {
    const row = rows.find((r) => r.kind === want.kind && same(r.validFrom, want.validFrom));
    if (row) {
      matched.add(row.id);
      if (!same(row.validTo, want.validTo)) {
        w.updates.push(() => tx.update(protectionMarkers).set({ validTo: want.validTo }).where(eq(protectionMarkers.id, row.id)));
      }
    }
  }
  // A marker the source no longer states ends today, or where a stated one of its kind begins (never overlapping it).
  for (const row of rows) {
    if (matched.has(row.id) || (row.validTo !== null && row.validTo <= today)) continue;
    const next = wanted
      .filter((w) => w.kind === row.kind && w.validFrom !== null && (row.validFrom === null || w.validFrom >= row.validFrom))
      .map((w) => w.validFrom!)
      .sort()[0];
    let end = next !== undefined && next < today ? next : today;
    if (row.validFrom !== null && end < row.validFrom) end = row.validFrom;
    if (row.validTo !== null && row.validTo <= end) continue;
    w.updates.push(() => tx.update(protectionMarkers).set({ validTo: end }).where(eq(protectionMarkers.id, row.id)));
  }
  for (const want of wanted) {
    if (rows.some((r) => r.kind === want.kind && same(r.validFrom, want.validFrom))) continue;
    w.markers.push({ personId, kind: want.kind, validFrom: want.validFrom, validTo: want.validTo });
  }
}

const statesCitizenships = (state: PersonState) => state.citizenships !== undefined || state.citizenshipPeriods !== undefined;

/**
 * Citizenship periods, written before the person row's set (which the trigger of migration 0041 then
 * finds in step). A current country gets the start the source gives (a held start is kept when the
 * source gives none); a country no longer current ends where a stated ended period of it says (CPR 027),
 * else today; a stated ended period not held (by country and start) is added, one held gets the stated
 * end. Ended periods held and not stated are history and stay.
 */
function planCitizenships(w: Writes, tx: Tx, personId: string, held: Held, state: PersonState, today: string, created: boolean): void {
  const stated = state.citizenshipPeriods ?? [];
  const startOf = new Map(stated.filter((p) => p.validTo === null).map((p) => [p.country, p.validFrom]));
  const ended = stated.filter((p) => p.validTo !== null);
  const used = new Set<(typeof ended)[number]>();
  const open = held.citizenships.filter((r) => r.validTo === null);
  if (state.citizenships !== undefined) {
    const current = new Set(state.citizenships);
    for (const country of current) {
      const row = open.find((r) => r.country === country);
      const validFrom = startOf.get(country) ?? null;
      // A person created now has the period already (start unknown): only a start is news.
      if (!row && (!created || validFrom !== null)) w.citizenships.push({ personId, country, validFrom });
      else if (row && validFrom !== null && row.validFrom !== validFrom)
        w.updates.push(() => tx.update(personCitizenships).set({ validFrom }).where(eq(personCitizenships.id, row.id)));
    }
    for (const row of open) {
      if (current.has(row.country)) continue;
      const ending = ended.find(
        (p) => !used.has(p) && p.country === row.country && (row.validFrom === null || p.validFrom === null || p.validFrom === row.validFrom),
      );
      if (ending) {
        used.add(ending);
        const validFrom = ending.validFrom ?? row.validFrom;
        w.updates.push(() => tx.update(personCitizenships).set({ validFrom, validTo: ending.validTo }).where(eq(personCitizenships.id, row.id)));
      } else if (row.validFrom !== null && row.validFrom >= today) {
        // Begun today or later and gone already: never in force.
        w.updates.push(() => tx.delete(personCitizenships).where(eq(personCitizenships.id, row.id)));
      } else {
        w.updates.push(() => tx.update(personCitizenships).set({ validTo: today }).where(eq(personCitizenships.id, row.id)));
      }
    }
  }
  for (const p of ended) {
    if (used.has(p)) continue;
    // The same period is the same country and start (as a previous name): a corrected end is updated.
    const row = held.citizenships.find((r) => r.validTo !== null && r.country === p.country && same(r.validFrom, p.validFrom));
    if (!row) w.citizenships.push({ personId, country: p.country, validFrom: p.validFrom, validTo: p.validTo });
    else if (row.validTo !== p.validTo)
      w.updates.push(() => tx.update(personCitizenships).set({ validTo: p.validTo }).where(eq(personCitizenships.id, row.id)));
  }
}

const ADDRESS_FIELDS = [
  'municipalityCode',
  'countyCode',
  'roadCode',
  'streetName',
  'houseNumber',
  'floor',
  'sideDoor',
  'buildingNumber',
  'locality',
  'postalCode',
  'postalDistrict',
  'careOf',
  'standardAddressLine',
] as const satisfies readonly (keyof AddressState)[];

const currentAddress = (held: Held, kind: 'REGISTERED' | 'FOREIGN') => held.addresses.find((a) => a.kind === kind) ?? null;

function planAddress(w: Writes, tx: Tx, personId: string, held: Held, state: PersonState, today: string): void {
  const current = currentAddress(held, 'REGISTERED');
  const want = state.address ?? null;
  if (want === null) {
    if (!current) return;
    const end = state.foreignAddress?.emigrationDate ?? today;
    w.updates.push(() =>
      tx
        .update(addresses)
        .set({ validTo: current.validFrom !== null && end < current.validFrom ? current.validFrom : end })
        .where(eq(addresses.id, current.id)),
    );
    return;
  }
  if (current && ADDRESS_FIELDS.every((f) => same(current[f], want[f])) && same(current.validFrom, want.validFrom)) return;
  const values = Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, want[f]])) as Pick<AddressState, (typeof ADDRESS_FIELDS)[number]>;
  if (current && (same(current.validFrom, want.validFrom) || (want.validFrom !== null && current.validFrom !== null && want.validFrom <= current.validFrom))) {
    w.updates.push(() =>
      tx
        .update(addresses)
        .set({ ...values, validFrom: want.validFrom })
        .where(eq(addresses.id, current.id)),
    );
    return;
  }
  if (current)
    w.updates.push(() =>
      tx
        .update(addresses)
        .set({ validTo: want.validFrom ?? today })
        .where(eq(addresses.id, current.id)),
    );
  w.addresses.push({ personId, kind: 'REGISTERED', countryCode: state.country, ...values, validFrom: want.validFrom });
}

function planForeignAddress(w: Writes, tx: Tx, personId: string, held: Held, state: PersonState, today: string): void {
  const current = currentAddress(held, 'FOREIGN');
  const want = state.foreignAddress ?? null;
  if (want === null) {
    if (!current) return;
    w.updates.push(() =>
      tx
        .update(addresses)
        .set({ validTo: state.address?.validFrom ?? today })
        .where(eq(addresses.id, current.id)),
    );
    return;
  }
  const lines = [...want.lines];
  if (
    current &&
    current.countryCode === want.countryCode &&
    JSON.stringify(current.deliveryLines ?? []) === JSON.stringify(lines) &&
    same(current.emigrationDate, want.emigrationDate)
  )
    return;
  if (current)
    w.updates.push(() =>
      tx
        .update(addresses)
        .set({ validTo: want.emigrationDate ?? today })
        .where(eq(addresses.id, current.id)),
    );
  w.addresses.push({
    personId,
    kind: 'FOREIGN',
    countryCode: want.countryCode,
    deliveryLines: lines,
    emigrationDate: want.emigrationDate,
    validFrom: want.emigrationDate,
  });
}

function planRelations(w: Writes, tx: Tx, personId: string, held: Held, state: PersonState, today: string, resolve: (ref: RelativeRef) => string | null): void {
  const all = held.relations.filter((r) => STATED_RELATION_KINDS.includes(r.kind));
  const rows = all.filter((r) => r.validTo === null || r.validTo > today);
  const keyOf = (kind: string, relativeId: string | null, name: string | null, birthDate: string | null) =>
    relativeId ? `${kind}:${relativeId}` : `${kind}:n:${(name ?? '').toLowerCase()}|${birthDate ?? ''}`;
  type Wanted = {
    kind: (typeof STATED_RELATION_KINDS)[number];
    relativeId: string | null;
    name: string | null;
    birthDate: string | null;
    birthDateOfRelative: string | null;
    validFrom: string | null;
    validTo: string | null;
  };
  const wanted = new Map<string, Wanted>();
  const ended: Wanted[] = [];
  for (const r of state.relations ?? []) {
    const relativeId = resolve(r.relative);
    const name = relativeId ? null : r.relative.name;
    const birthDate = relativeId ? null : r.relative.birthDate;
    const want = { kind: r.kind, relativeId, name, birthDate, birthDateOfRelative: r.relative.birthDate, validFrom: r.validFrom, validTo: r.validTo ?? null };
    if (want.validTo !== null && want.validTo <= today) ended.push(want);
    else wanted.set(keyOf(r.kind, relativeId, name, birthDate), want);
  }
  const kept = new Set<string>();
  const leftover: typeof rows = [];
  for (const row of rows) {
    const key = keyOf(row.kind, row.relativePersonId, row.relativeName, row.relativeBirthDate);
    const want = wanted.get(key);
    if (want && !kept.has(key)) {
      kept.add(key);
      if (!same(row.validTo, want.validTo)) {
        w.updates.push(() => tx.update(familyRelations).set({ validTo: want.validTo }).where(eq(familyRelations.id, row.id)));
      }
    } else leftover.push(row);
  }
  // A relative recorded without a person (their number was not registered yet) who now is one: the row is
  // linked in place, not ended and written anew (same kind, same relative's birth date).
  for (const [key, want] of wanted) {
    if (kept.has(key) || want.relativeId === null || !want.birthDateOfRelative) continue;
    const at = leftover.findIndex((r) => r.kind === want.kind && r.relativePersonId === null && r.relativeBirthDate === want.birthDateOfRelative);
    if (at < 0) continue;
    const [row] = leftover.splice(at, 1);
    w.updates.push(() =>
      tx
        .update(familyRelations)
        .set({ relativePersonId: want.relativeId, relativeName: null, relativeBirthDate: null, validFrom: want.validFrom, validTo: want.validTo })
        .where(eq(familyRelations.id, row!.id)),
    );
    kept.add(key);
  }
  for (const row of leftover) {
    const key = keyOf(row.kind, row.relativePersonId, row.relativeName, row.relativeBirthDate);
    // Not stated any more: it ends, unless it is history the source states as such (below).
    const history = ended.find((e) => keyOf(e.kind, e.relativeId, e.name, e.birthDate) === key && same(e.validFrom, row.validFrom));
    const end = history?.validTo ?? (row.validFrom !== null && row.validFrom > today ? row.validFrom : today);
    w.updates.push(() => tx.update(familyRelations).set({ validTo: end }).where(eq(familyRelations.id, row.id)));
    if (history) all.push({ ...row, validTo: end });
  }
  const insert = (want: Wanted) =>
    w.relations.push({
      personId,
      kind: want.kind,
      relativePersonId: want.relativeId,
      relativeName: want.name,
      relativeBirthDate: want.birthDate,
      validFrom: want.validFrom,
      validTo: want.validTo,
    });
  for (const [key, want] of wanted) {
    if (kept.has(key)) continue;
    insert(want);
  }
  for (const e of ended) {
    const key = keyOf(e.kind, e.relativeId, e.name, e.birthDate);
    if (all.some((r) => r.validTo !== null && keyOf(r.kind, r.relativePersonId, r.relativeName, r.relativeBirthDate) === key && same(r.validFrom, e.validFrom)))
      continue;
    insert(e);
  }
}

/** A person's state as a feed read it, with its notices; or the report lines that refuse the person. */
export type Built = { state: PersonState; notices: IngestLine[] } | { refusals: IngestLine[] };

/** SQLSTATE classes of a fault in the data (integrity, data exception): the person is refused, the ingest goes on. */
function dataFault(err: unknown): string | null {
  const code = (err as { code?: unknown })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' && (code.startsWith('23') || code.startsWith('22')) ? code : null;
}

/** SQLSTATEs after which a person's transaction is run again: a deadlock (40P01), a serialization failure (40001). */
function retryable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  return code === '40P01' || code === '40001';
}

/** Tries of one person's transaction before a deadlock or serialization failure is the ingest's failure. */
const ATTEMPTS = 5;

/**
 * Persons applied at once, each in its own transaction on a connection of its own: the wall time of an
 * ingest is round trips to Postgres (measured: ~5 ms of the ingest's CPU a person against 40–80 ms of
 * wall time each, one after the other), so a few in flight overlap them. Bounded by the pool
 * (`poolOf(db).max`): on the embedded database (one backend) one at a time.
 */
export const INGEST_CONCURRENCY = 4;

type ItemOrigin = { offset: number; line: number | null; recordType: string | null };

/** One person's turn: the report lines it adds (in file order) and what came of it. */
interface Turn {
  readonly lines: IngestLine[];
  readonly state: PersonState | null;
  readonly pnr: string;
  readonly result: Applied | null;
}

/**
 * Runs `turns` with at most `limit` in flight and hands each one's outcome to `fold` in the order given,
 * so report lines and outcomes read as if they had run one after the other. Two turns that share a
 * number (`keys`: a person's numbers, current and previous) never run at once: the later one waits, and
 * then finds what the earlier wrote, as it would have in sequence.
 */
async function inOrder(turns: Iterable<{ keys: readonly string[]; run: () => Promise<Turn> }>, limit: number, fold: (turn: Turn) => void): Promise<void> {
  const queue: { done: Promise<Turn>; settled: boolean; turn?: Turn }[] = [];
  const running = new Map<string, Promise<unknown>>();
  const inFlight = new Set<Promise<unknown>>();
  const drain = () => {
    while (queue[0]?.settled) fold(queue.shift()!.turn!);
  };
  try {
    for (const { keys, run } of turns) {
      // Bounded: at most `limit` transactions, and a queue of finished turns waiting for an earlier one.
      while (inFlight.size >= limit || queue.length >= limit * 16) {
        await Promise.race(queue.length >= limit * 16 ? [queue[0]!.done] : inFlight);
        drain();
      }
      for (;;) {
        const blocking = keys.map((k) => running.get(k)).filter((p): p is Promise<unknown> => p !== undefined);
        if (blocking.length === 0) break;
        await Promise.all(blocking);
      }
      const entry: (typeof queue)[number] = { done: null as unknown as Promise<Turn>, settled: false };
      const done = run().then((turn) => {
        entry.settled = true;
        entry.turn = turn;
        return turn;
      });
      entry.done = done;
      const flight = done.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(flight);
      for (const k of keys) running.set(k, flight);
      void flight.then(() => {
        inFlight.delete(flight);
        for (const k of keys) if (running.get(k) === flight) running.delete(k);
      });
      queue.push(entry);
      drain();
    }
    for (const entry of queue) await entry.done;
    drain();
  } finally {
    // A failed turn (not a refusal: the database gone) fails the ingest; the others still in flight end first.
    await Promise.allSettled(inFlight);
  }
}

/**
 * Applies each state in its own transaction; a refusal rolls that person back. Persons who name a relative
 * the same run creates are applied once more afterwards, once every person of the first pass is done, so
 * the link is made now and a second ingest of the same file finds nothing to change. Up to
 * `INGEST_CONCURRENCY` persons are in flight (`inOrder`); the report reads in file order all the same.
 *
 * Deadlocks: a person's transaction locks their own number (advisory), their own person (advisory, rows of
 * their own) and, through foreign keys, only a KEY SHARE on a relative's row, which no ingest write
 * conflicts with (person rows are updated without their key); persons sharing a number never run at once.
 * A deadlock with another writer (a mutation) or a serialization failure runs the person again.
 */
export async function applyAll(
  db: Db,
  items: Iterable<{ pnr: string; origin: ItemOrigin; build: () => Built }>,
  options: { today: string; source: 'CPR' | 'NDJSON'; concurrency?: number },
): Promise<{ lines: IngestLine[]; summary: IngestReport['summary'] }> {
  const limit = Math.max(1, Math.min(options.concurrency ?? INGEST_CONCURRENCY, poolOf(db)?.max ?? 1));
  const lines: IngestLine[] = [];
  const outcomes = new Map<string, Applied['outcome']>();
  let refused = 0;
  let events = 0;
  const again: { pnr: string; state: PersonState }[] = [];
  const run = async (pnr: string, state: PersonState, origin: ItemOrigin, before: IngestLine[]): Promise<Turn> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await db.transaction((tx) => applyPerson(tx, state, options));
        return { lines: before, state, pnr, result };
      } catch (err) {
        if (retryable(err) && attempt < ATTEMPTS) continue;
        const fault =
          err instanceof ApplyRefusal
            ? err
            : dataFault(err)
              ? new ApplyRefusal('CONSTRAINT', `The database refused the person's data (SQLSTATE ${dataFault(err)}).`)
              : null;
        if (!fault) throw err;
        const refusal: IngestLine = {
          severity: 'refused',
          pnr,
          ...origin,
          field: fault.field,
          value: fault.value,
          reason: fault.reason,
          message: fault.message,
        };
        return { lines: [...before, refusal], state, pnr, result: null };
      }
    }
  };
  const keysOf = (pnr: string, state: PersonState) => [...new Set([pnr, state.identifier, ...(state.previousIdentifiers ?? []).map((p) => p.value)])];
  const first = function* () {
    for (const item of items) {
      const built = item.build();
      if ('refusals' in built) {
        const turn: Turn = { lines: built.refusals, state: null, pnr: item.pnr, result: null };
        yield { keys: [], run: () => Promise.resolve(turn) };
        continue;
      }
      yield { keys: keysOf(item.pnr, built.state), run: () => run(item.pnr, built.state, item.origin, built.notices) };
    }
  };
  await inOrder(first(), limit, (turn) => {
    lines.push(...turn.lines);
    if (!turn.result || !turn.state) {
      refused += 1;
      return;
    }
    outcomes.set(turn.state.identifier, turn.result.outcome);
    events += turn.result.eventsWritten;
    if (turn.result.unresolvedRelatives.length > 0) again.push({ pnr: turn.pnr, state: turn.state });
  });
  const second = function* () {
    for (const { pnr, state } of again)
      yield { keys: keysOf(pnr, state), run: () => run(pnr, { ...state, events: [] }, { offset: 0, line: null, recordType: null }, []) };
  };
  await inOrder(second(), limit, (turn) => {
    lines.push(...turn.lines);
    const { result, state } = turn;
    if (result && state && result.outcome !== 'unchanged' && outcomes.get(state.identifier) === 'unchanged') outcomes.set(state.identifier, 'updated');
  });
  const count = (o: Applied['outcome']) => [...outcomes.values()].filter((v) => v === o).length;
  return {
    lines,
    summary: {
      personsCreated: count('created'),
      personsUpdated: count('updated'),
      personsUnchanged: count('unchanged'),
      personsRefused: refused,
      eventsWritten: events,
    },
  };
}
