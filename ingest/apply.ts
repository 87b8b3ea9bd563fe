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
import { selectRows } from '../db/client.js';
import { appendChangeEvents, type NewChangeEvent } from '../db/outbox.js';
import { addresses, familyRelations, personIdentifiers, personNames, persons, protectionMarkers } from '../db/schema/index.js';
import { nameSearchKey } from '../kernel/search-key.js';
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

/** Applies `state` in `tx` (one transaction per person: the caller's). Throws `ApplyRefusal` to refuse. */
export async function applyPerson(tx: Tx, state: PersonState, options: ApplyOptions): Promise<Applied> {
  const { today } = options;
  const previous = state.previousIdentifiers ?? [];
  // Two files (or a file and a mutation) naming the same new number must not both create a person.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`identifier:${state.identifier}`}))`);
  const owners = await personIdsOf(tx, [state.identifier, ...previous.map((p) => p.value)]);
  let personId = owners.get(state.identifier) ?? previous.map((p) => owners.get(p.value)).find(Boolean) ?? null;
  for (const [value, owner] of owners) {
    if (owner !== personId) throw new ApplyRefusal('IDENTIFIER_TAKEN', `The number ${value} belongs to another person in the register.`, 'PNR', value);
  }
  let changed = false;
  let created = false;
  if (personId === null) {
    const [row] = await tx
      .insert(persons)
      .values({
        country: state.country,
        sex: state.sex,
        birthDate: state.birthDate,
        status: state.status,
        statusDate: state.statusDate,
        registeringAuthority: state.registeringAuthority,
        registeredOn: today,
      })
      .returning({ id: persons.id });
    personId = row!.id;
    created = changed = true;
  }
  await lockPerson(tx, personId);
  const [before] = await tx.select({ municipalityCode: persons.municipalityCode }).from(persons).where(eq(persons.id, personId));
  const unresolved: string[] = [];
  const resolve = async (ref: RelativeRef | null): Promise<string | null> => {
    if (!ref?.identifier) return null;
    const found = (await personIdsOf(tx, [ref.identifier])).get(ref.identifier) ?? null;
    if (!found) unresolved.push(ref.identifier);
    return found;
  };

  changed = (await applyIdentifiers(tx, personId, state, today)) || changed;
  if (state.name !== undefined || state.previousNames !== undefined) changed = (await applyNames(tx, personId, state, today)) || changed;
  if (state.protections !== undefined) changed = (await applyProtections(tx, personId, state, today)) || changed;
  if (state.address !== undefined) changed = (await applyAddress(tx, personId, state, today)) || changed;
  if (state.foreignAddress !== undefined) changed = (await applyForeignAddress(tx, personId, state, today)) || changed;
  if (state.relations !== undefined) changed = (await applyRelations(tx, personId, state, today, resolve)) || changed;
  const partnerId = state.civilStatus ? await resolve(state.civilStatus.partner) : undefined;

  // Events, after the address (a move's municipality after) and before the status (which follows events).
  const [after] = await tx.select({ municipalityCode: persons.municipalityCode }).from(persons).where(eq(persons.id, personId));
  const fresh: NewChangeEvent[] = [];
  const base = { personId, identifier: state.identifier, birthDate: state.birthDate };
  if (created) fresh.push({ ...base, type: 'PERSON_REGISTERED', municipalityAfter: after?.municipalityCode ?? null, details: { source: options.source } });
  if (state.events.length > 0) {
    const keys = await selectRows<{ key: string }>(
      tx,
      sql`select details->>'sourceKey' as key from change_events where person_id = ${personId}::uuid and details ? 'sourceKey'`,
    );
    const seen = new Set(keys.map((k) => k.key));
    for (const event of state.events) {
      if (seen.has(event.key)) continue;
      seen.add(event.key);
      const moved = event.type === 'MOVE' || event.type === 'EMIGRATION' || event.type === 'IMMIGRATION' || event.type === 'DISAPPEARANCE';
      fresh.push({
        ...base,
        type: event.type,
        occurredAt: event.occurredAt,
        municipalityBefore: moved ? (before?.municipalityCode ?? null) : null,
        municipalityAfter: moved ? (after?.municipalityCode ?? null) : null,
        details: {
          source: options.source,
          sourceKey: event.key,
          validFrom: event.occurredAt.toISOString().slice(0, 10),
          ...(event.code ? { cprChangeCode: event.code } : {}),
          ...(event.derived ? { cprDerivedMarker: event.derived } : {}),
        },
      });
    }
  }
  await appendChangeEvents(tx, fresh);

  // The person row last: the source's status wins over what the events' trigger derived.
  const [row] = await tx.select().from(persons).where(eq(persons.id, personId));
  const patch: Partial<typeof persons.$inferInsert> = {};
  const wanted: Partial<typeof persons.$inferInsert> = {
    sex: state.sex,
    birthDate: state.birthDate,
    status: state.status,
    statusDate: state.statusDate,
    registeringAuthority: state.registeringAuthority,
  };
  if (state.civilStatus) {
    wanted.civilStatus = state.civilStatus.status;
    wanted.civilStatusSince = state.civilStatus.since;
    wanted.civilStatusPartnerId = partnerId ?? null;
  }
  for (const [key, value] of Object.entries(wanted) as [keyof typeof wanted, unknown][]) {
    if (!same(row![key as keyof typeof row], value)) (patch as Record<string, unknown>)[key] = value;
  }
  if (state.citizenships !== undefined) {
    const want = [...new Set(state.citizenships)].sort();
    if (JSON.stringify([...row!.citizenships].sort()) !== JSON.stringify(want)) patch.citizenships = want;
  }
  if (Object.keys(patch).length > 0) {
    await tx
      .update(persons)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(persons.id, personId));
    changed = true;
  }
  return {
    personId,
    outcome: created ? 'created' : changed || fresh.length > 0 ? 'updated' : 'unchanged',
    eventsWritten: fresh.filter((e) => e.type !== 'PERSON_REGISTERED').length,
    unresolvedRelatives: unresolved,
  };
}

async function applyIdentifiers(tx: Tx, personId: string, state: PersonState, today: string): Promise<boolean> {
  const rows = await tx.select().from(personIdentifiers).where(eq(personIdentifiers.personId, personId));
  const kindOf = (value: string) => (state.country === 'DK' ? 'CPR_NUMBER' : value.slice(6, 7) >= '6' ? 'COORDINATION_NUMBER' : 'PERSONAL_IDENTITY_NUMBER');
  let changed = false;
  const current = rows.find((r) => r.value === state.identifier);
  if (!current) {
    await tx.insert(personIdentifiers).values({ personId, kind: kindOf(state.identifier), value: state.identifier, validFrom: state.birthDate });
    changed = true;
  } else if (current.validTo !== null) {
    await tx.update(personIdentifiers).set({ validTo: null }).where(eq(personIdentifiers.id, current.id));
    changed = true;
  }
  const stated = new Set([state.identifier]);
  for (const p of state.previousIdentifiers ?? []) {
    stated.add(p.value);
    const row = rows.find((r) => r.value === p.value);
    const validTo = p.validTo ?? today;
    if (!row) {
      await tx.insert(personIdentifiers).values({ personId, kind: kindOf(p.value), value: p.value, validFrom: p.validFrom, validTo });
      changed = true;
    } else if (row.validTo !== validTo) {
      await tx.update(personIdentifiers).set({ validTo }).where(eq(personIdentifiers.id, row.id));
      changed = true;
    }
  }
  // A number still current here that the source no longer gives as current: it ends (and keeps finding the person).
  if (state.previousIdentifiers !== undefined) {
    for (const row of rows) {
      if (!stated.has(row.value) && row.validTo === null) {
        await tx.update(personIdentifiers).set({ validTo: today }).where(eq(personIdentifiers.id, row.id));
        changed = true;
      }
    }
  }
  return changed;
}

const nameFields = (n: NameState) => [n.givenNames ?? null, n.middleName ?? null, n.familyName ?? null, n.addressingName ?? null];
const sameName = (a: NameState, b: NameState) => JSON.stringify(nameFields(a)) === JSON.stringify(nameFields(b));
/** A previous name (CPR 026) carries no addressing name: it is the same name when its parts are. */
const sameParts = (a: NameState, b: NameState) => JSON.stringify(nameFields(a).slice(0, 3)) === JSON.stringify(nameFields(b).slice(0, 3));

async function applyNames(tx: Tx, personId: string, state: PersonState, today: string): Promise<boolean> {
  const rows = await tx.select().from(personNames).where(eq(personNames.personId, personId));
  let changed = false;
  const insert = (n: NameState, validTo: string | null) =>
    tx.insert(personNames).values({
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
        await tx.update(personNames).set({ validTo: today }).where(eq(personNames.id, current.id));
        changed = true;
      }
    } else if (!current) {
      await insert(want, null);
      changed = true;
    } else if (!sameName(current, want) || !same(current.validFrom, want.validFrom)) {
      if (same(current.validFrom, want.validFrom) || (want.validFrom !== null && current.validFrom !== null && want.validFrom <= current.validFrom)) {
        // A correction of the current name (same start, or the source dates it no later): in place.
        await tx
          .update(personNames)
          .set({
            givenNames: want.givenNames,
            middleName: want.middleName,
            familyName: want.familyName,
            addressingName: want.addressingName,
            searchKey: nameSearchKey(want.givenNames, want.middleName, want.familyName),
            validFrom: want.validFrom,
          })
          .where(eq(personNames.id, current.id));
      } else {
        await tx
          .update(personNames)
          .set({ validTo: want.validFrom ?? today })
          .where(eq(personNames.id, current.id));
        rows.push({ ...current, validTo: want.validFrom ?? today });
        await insert(want, null);
      }
      changed = true;
    }
  }
  for (const old of state.previousNames ?? []) {
    const row = rows.find((r) => r.validTo !== null && sameParts(r, old) && same(r.validFrom, old.validFrom));
    const validTo = old.validTo ?? today;
    if (!row) {
      await insert(old, validTo);
      changed = true;
    } else if (row.validTo !== validTo) {
      await tx.update(personNames).set({ validTo }).where(eq(personNames.id, row.id));
      changed = true;
    }
  }
  return changed;
}

async function applyProtections(tx: Tx, personId: string, state: PersonState, today: string): Promise<boolean> {
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
  const rows = await tx.select().from(protectionMarkers).where(eq(protectionMarkers.personId, personId));
  let changed = false;
  const matched = new Set<number>();
  for (const want of wanted) {
    const row = rows.find((r) => r.kind === want.kind && same(r.validFrom, want.validFrom));
    if (row) {
      matched.add(row.id);
      if (!same(row.validTo, want.validTo)) {
        await tx.update(protectionMarkers).set({ validTo: want.validTo }).where(eq(protectionMarkers.id, row.id));
        changed = true;
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
    await tx.update(protectionMarkers).set({ validTo: end }).where(eq(protectionMarkers.id, row.id));
    changed = true;
  }
  for (const want of wanted) {
    if (rows.some((r) => r.kind === want.kind && same(r.validFrom, want.validFrom))) continue;
    await tx.insert(protectionMarkers).values({ personId, kind: want.kind, validFrom: want.validFrom, validTo: want.validTo });
    changed = true;
  }
  return changed;
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

async function currentAddress(tx: Tx, personId: string, kind: 'REGISTERED' | 'FOREIGN') {
  const rows = await tx
    .select()
    .from(addresses)
    .where(and(eq(addresses.personId, personId), eq(addresses.kind, kind), sql`${addresses.validTo} is null`));
  return rows[0] ?? null;
}

async function applyAddress(tx: Tx, personId: string, state: PersonState, today: string): Promise<boolean> {
  const current = await currentAddress(tx, personId, 'REGISTERED');
  const want = state.address ?? null;
  if (want === null) {
    if (!current) return false;
    const end = state.foreignAddress?.emigrationDate ?? today;
    await tx
      .update(addresses)
      .set({ validTo: current.validFrom !== null && end < current.validFrom ? current.validFrom : end })
      .where(eq(addresses.id, current.id));
    return true;
  }
  if (current && ADDRESS_FIELDS.every((f) => same(current[f], want[f])) && same(current.validFrom, want.validFrom)) return false;
  const values = Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, want[f]])) as Pick<AddressState, (typeof ADDRESS_FIELDS)[number]>;
  if (current && (same(current.validFrom, want.validFrom) || (want.validFrom !== null && current.validFrom !== null && want.validFrom <= current.validFrom))) {
    await tx
      .update(addresses)
      .set({ ...values, validFrom: want.validFrom })
      .where(eq(addresses.id, current.id));
    return true;
  }
  if (current)
    await tx
      .update(addresses)
      .set({ validTo: want.validFrom ?? today })
      .where(eq(addresses.id, current.id));
  await tx.insert(addresses).values({ personId, kind: 'REGISTERED', countryCode: state.country, ...values, validFrom: want.validFrom });
  return true;
}

async function applyForeignAddress(tx: Tx, personId: string, state: PersonState, today: string): Promise<boolean> {
  const current = await currentAddress(tx, personId, 'FOREIGN');
  const want = state.foreignAddress ?? null;
  if (want === null) {
    if (!current) return false;
    await tx
      .update(addresses)
      .set({ validTo: state.address?.validFrom ?? today })
      .where(eq(addresses.id, current.id));
    return true;
  }
  const lines = [...want.lines];
  if (
    current &&
    current.countryCode === want.countryCode &&
    JSON.stringify(current.deliveryLines ?? []) === JSON.stringify(lines) &&
    same(current.emigrationDate, want.emigrationDate)
  )
    return false;
  if (current)
    await tx
      .update(addresses)
      .set({ validTo: want.emigrationDate ?? today })
      .where(eq(addresses.id, current.id));
  await tx.insert(addresses).values({
    personId,
    kind: 'FOREIGN',
    countryCode: want.countryCode,
    deliveryLines: lines,
    emigrationDate: want.emigrationDate,
    validFrom: want.emigrationDate,
  });
  return true;
}

async function applyRelations(
  tx: Tx,
  personId: string,
  state: PersonState,
  today: string,
  resolve: (ref: RelativeRef) => Promise<string | null>,
): Promise<boolean> {
  const all = (await tx.select().from(familyRelations).where(eq(familyRelations.personId, personId))).filter((r) => STATED_RELATION_KINDS.includes(r.kind));
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
    const relativeId = await resolve(r.relative);
    const name = relativeId ? null : r.relative.name;
    const birthDate = relativeId ? null : r.relative.birthDate;
    const w = { kind: r.kind, relativeId, name, birthDate, birthDateOfRelative: r.relative.birthDate, validFrom: r.validFrom, validTo: r.validTo ?? null };
    if (w.validTo !== null && w.validTo <= today) ended.push(w);
    else wanted.set(keyOf(r.kind, relativeId, name, birthDate), w);
  }
  let changed = false;
  const held = new Set<string>();
  const leftover: typeof rows = [];
  for (const row of rows) {
    const key = keyOf(row.kind, row.relativePersonId, row.relativeName, row.relativeBirthDate);
    const w = wanted.get(key);
    if (w && !held.has(key)) {
      held.add(key);
      if (!same(row.validTo, w.validTo)) {
        await tx.update(familyRelations).set({ validTo: w.validTo }).where(eq(familyRelations.id, row.id));
        changed = true;
      }
    } else leftover.push(row);
  }
  // A relative recorded without a person (their number was not registered yet) who now is one: the row is
  // linked in place, not ended and written anew (same kind, same relative's birth date).
  for (const [key, w] of wanted) {
    if (held.has(key) || w.relativeId === null || !w.birthDateOfRelative) continue;
    const at = leftover.findIndex((r) => r.kind === w.kind && r.relativePersonId === null && r.relativeBirthDate === w.birthDateOfRelative);
    if (at < 0) continue;
    const [row] = leftover.splice(at, 1);
    await tx
      .update(familyRelations)
      .set({ relativePersonId: w.relativeId, relativeName: null, relativeBirthDate: null, validFrom: w.validFrom, validTo: w.validTo })
      .where(eq(familyRelations.id, row!.id));
    held.add(key);
    changed = true;
  }
  for (const row of leftover) {
    const key = keyOf(row.kind, row.relativePersonId, row.relativeName, row.relativeBirthDate);
    // Not stated any more: it ends, unless it is history the source states as such (below).
    const history = ended.find((e) => keyOf(e.kind, e.relativeId, e.name, e.birthDate) === key && same(e.validFrom, row.validFrom));
    const end = history?.validTo ?? (row.validFrom !== null && row.validFrom > today ? row.validFrom : today);
    await tx.update(familyRelations).set({ validTo: end }).where(eq(familyRelations.id, row.id));
    if (history) all.push({ ...row, validTo: end });
    changed = true;
  }
  const insert = (w: Wanted) =>
    tx.insert(familyRelations).values({
      personId,
      kind: w.kind,
      relativePersonId: w.relativeId,
      relativeName: w.name,
      relativeBirthDate: w.birthDate,
      validFrom: w.validFrom,
      validTo: w.validTo,
    });
  for (const [key, w] of wanted) {
    if (held.has(key)) continue;
    await insert(w);
    changed = true;
  }
  for (const e of ended) {
    const key = keyOf(e.kind, e.relativeId, e.name, e.birthDate);
    if (all.some((r) => r.validTo !== null && keyOf(r.kind, r.relativePersonId, r.relativeName, r.relativeBirthDate) === key && same(r.validFrom, e.validFrom)))
      continue;
    await insert(e);
    changed = true;
  }
  return changed;
}
