import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { appendChangeEvents, assignReserveIdentityEvents, type Executor } from '../../db/outbox.js';
import { selectRows } from '../../db/client.js';
import { nationalReserveIdSerials, reserveIdentities, reserveIdentityLinks } from '../../db/schema/index.js';
import { conflict, notFound, protectedIdentity, userInputError } from '../../kernel/errors.js';
import { isIsoDate, parseOrReject, requireId, requireScope as requireScopeOf } from '../../kernel/validate.js';
import type { Caller } from '../../kernel/caller.js';
import { isHidden, type ProtectionCategory } from '../../kernel/protection.js';
import { loadPersonFacts, personIdsByIdentifier } from '../shared/writes.js';
import { NRID_LETTERS, nationalReserveIdFor, type IdentifierKind } from '../../kernel/identifiers.js';
import { MAX_CHAIN, type ReserveIdentityRow } from './loaders.js';

export const RESERVE_ID_WRITE_SCOPE = 'reserve-id:write';
/** Identities issued here say so in `issuedBy`. */
const ISSUER = 'folkreg';
/** Serialises link changes, so two concurrent links cannot close a cycle between them. */
const LINK_LOCK = 0x5e5e1d;

/** PU LinkPersonIdentity: a link goes to the same level or higher (LRID → NRID → SNR → PNR). */
const LEVEL: Record<IdentifierKind, number> = {
  LOCAL_RESERVE_ID: 0,
  NATIONAL_RESERVE_ID: 1,
  COORDINATION_NUMBER: 2,
  PERSONAL_IDENTITY_NUMBER: 3,
  CPR_NUMBER: 3,
};

export interface ReserveIdentityDataInput {
  givenNames?: string | null;
  familyName?: string | null;
  birthDate?: string | null;
  sex?: 'MALE' | 'FEMALE' | 'UNKNOWN' | null;
  statedAddress?: { streetAddress?: string | null; postalCode?: string | null; city?: string | null; country?: string | null } | null;
}

function requireScope(caller: Caller): void {
  requireScopeOf(caller.scopes, RESERVE_ID_WRITE_SCOPE, `Changing reserve identities needs the scope '${RESERVE_ID_WRITE_SCOPE}'.`);
}

/** Column values of the fields present in the input; `undefined` fields are left alone. */
function columnsOf(input: ReserveIdentityDataInput | null | undefined): Partial<typeof reserveIdentities.$inferInsert> {
  if (!input) return {};
  const out: Partial<typeof reserveIdentities.$inferInsert> = {};
  const text = (v: string | null | undefined) => (v == null ? null : v.trim() || null);
  if (input.givenNames !== undefined) out.givenNames = text(input.givenNames);
  if (input.familyName !== undefined) out.familyName = text(input.familyName);
  if (input.birthDate !== undefined) {
    if (input.birthDate !== null && !isIsoDate(input.birthDate)) {
      throw userInputError(`'birthDate' must be a real date YYYY-MM-DD; got '${input.birthDate}'.`, 'IMPOSSIBLE_DATE');
    }
    if (input.birthDate !== null && input.birthDate > new Date().toISOString().slice(0, 10))
      throw userInputError(`'birthDate' ${input.birthDate} is in the future.`, 'IMPOSSIBLE_DATE');
    out.birthDate = input.birthDate;
  }
  if (input.sex !== undefined) out.sex = input.sex === 'UNKNOWN' ? null : input.sex;
  if (input.statedAddress !== undefined) {
    const a = input.statedAddress;
    const country = text(a?.country)?.toUpperCase() ?? null;
    if (country !== null && !/^[A-Z]{2}$/.test(country))
      throw userInputError(`'statedAddress.country' must be an ISO 3166-1 alpha-2 code; got '${a?.country}'.`, 'COUNTRY');
    out.statedAddress = text(a?.streetAddress);
    out.statedPostalCode = text(a?.postalCode);
    out.statedCity = text(a?.city);
    out.statedCountry = country;
  }
  return out;
}

type Action = 'ISSUED' | 'REGISTERED' | 'UPDATED' | 'LINKED' | 'UNLINKED';

/** Identifier kinds that number a registered person (the top of a chain). */
export const PERSON_KINDS: ReadonlySet<string> = new Set(['PERSONAL_IDENTITY_NUMBER', 'COORDINATION_NUMBER', 'CPR_NUMBER']);

/**
 * The event about `row`. It carries `personId`, the registered person the identity resolves to when the
 * event is written (for UNLINKED: the one it resolved to until then; a later link adopts the events that
 * had none, see `assignReserveIdentityEvents`), so the gateway masks its number,
 * birth date and link target by that person's protection, and the event filters treat it as theirs.
 */
async function event(tx: Executor, row: ReserveIdentityRow, action: Action, personId: string | null, target?: { kind: string; value: string }): Promise<void> {
  await appendChangeEvents(tx, [
    {
      type: 'RESERVE_IDENTITY_CHANGE',
      personId,
      identifier: row.value,
      birthDate: row.birthDate,
      details: {
        action,
        reserveIdentityId: row.id,
        reserveIdentityKind: row.kind,
        ...(target ? { targetKind: target.kind, targetValue: target.value } : {}),
      },
    },
  ]);
}

type LinkTarget = Pick<typeof reserveIdentityLinks.$inferSelect, 'targetKind' | 'targetValue' | 'targetPersonId'>;

/**
 * The registered person a link points at: the person whose number it names, or the person the reserve
 * identity it names resolves to through its own current links. Null when the chain ends at no
 * registered person.
 */
async function personOfTarget(tx: Executor, link: LinkTarget): Promise<string | null> {
  let current: LinkTarget | undefined = link;
  for (let depth = 0; current && depth < MAX_CHAIN; depth++) {
    if (PERSON_KINDS.has(current.targetKind)) {
      return current.targetPersonId ?? (await personIdsByIdentifier(tx, [current.targetValue])).get(current.targetValue) ?? null;
    }
    [current] = await tx
      .select({
        targetKind: reserveIdentityLinks.targetKind,
        targetValue: reserveIdentityLinks.targetValue,
        targetPersonId: reserveIdentityLinks.targetPersonId,
      })
      .from(reserveIdentityLinks)
      .innerJoin(reserveIdentities, eq(reserveIdentities.id, reserveIdentityLinks.reserveIdentityId))
      .where(and(eq(reserveIdentities.value, current.targetValue), isNull(reserveIdentityLinks.unlinkedAt)));
  }
  return null;
}

/** The person a reserve identity resolves to now (through its current link), or null. */
async function personOfIdentity(tx: Executor, identityId: string): Promise<string | null> {
  const [link] = await tx
    .select({ targetKind: reserveIdentityLinks.targetKind, targetValue: reserveIdentityLinks.targetValue, targetPersonId: reserveIdentityLinks.targetPersonId })
    .from(reserveIdentityLinks)
    .where(and(eq(reserveIdentityLinks.reserveIdentityId, identityId), isNull(reserveIdentityLinks.unlinkedAt)));
  return link ? personOfTarget(tx, link) : null;
}

/** What a reserve identity holds about its person: ending a link lifts that person's protection off it. */
const RESERVE_IDENTITY_CATEGORIES: readonly ProtectionCategory[] = ['RESERVE_IDENTITY', 'IDENTITY', 'NAME', 'BIRTH_DATE', 'SEX', 'ADDRESS'];

/**
 * PROTECTED_IDENTITY when the caller may not see part of what the identity holds of `personId`: ending
 * the link would hand that data, no longer covered by the person's protection, to the caller.
 */
async function refuseLiftingProtection(tx: Executor, caller: Caller, personId: string | null): Promise<void> {
  if (!personId) return;
  const person = (await loadPersonFacts(tx, [personId])).get(personId);
  if (!person) return;
  const hidden = RESERVE_IDENTITY_CATEGORIES.filter((c) => isHidden(caller, person.activeProtectionKinds, c));
  if (hidden.length) {
    throw protectedIdentity("The linked person's protected identity hides this reserve identity's data from you; the link was not ended.", {
      reason: 'LINKED_PERSON_PROTECTED',
    });
  }
}

/**
 * The n-th national reserve ID for a birth date and sex: G runs fastest, then the letter pair NN, then the
 * series (known date) or the date serial (unknown date). Distinct n give distinct numbers.
 */
function nthNationalReserveId(birthDate: string | null, sex: 'MALE' | 'FEMALE' | null, n: number): string {
  const perSex = sex === null ? NRID_LETTERS.length : 5;
  const pairs = NRID_LETTERS.length ** 2;
  const pair = Math.floor(n / perSex) % pairs;
  const rest = Math.floor(n / (perSex * pairs));
  const serialLetters = NRID_LETTERS[Math.floor(pair / NRID_LETTERS.length)]! + NRID_LETTERS[pair % NRID_LETTERS.length]!;
  if (birthDate === null) {
    const dateSerial = [rest % 100, 20 + (Math.floor(rest / 100) % 80), 40 + (Math.floor(rest / 8000) % 20)].map((v) => String(v).padStart(2, '0')).join('');
    return nationalReserveIdFor({ birthDate, sex, serialLetters, serialIndex: n % perSex, dateSerial });
  }
  if (rest >= 26) throw conflict(`Every national reserve ID for birth date ${birthDate} and sex ${sex ?? 'unknown'} has been issued.`, { reason: 'EXHAUSTED' });
  return nationalReserveIdFor({ birthDate, sex, serialLetters, serialIndex: n % perSex, series: rest + 1 });
}

/**
 * Takes the next serial for (birth date, sex) with one atomic upsert — concurrent issuers get distinct
 * serials — and skips numbers that exist already (issued elsewhere, or registered from another system).
 */
export async function issueNationalReserveId(db: Db, caller: Caller, input: ReserveIdentityDataInput): Promise<ReserveIdentityRow> {
  requireScope(caller);
  const data = columnsOf(input);
  const birthDate = data.birthDate ?? null;
  if (birthDate !== null && (birthDate < '1900-01-01' || birthDate > '2199-12-31'))
    throw userInputError(`National reserve IDs cover birth dates 1900–2199; got ${birthDate}.`, 'DATE_OUT_OF_RANGE');
  const sex = (data.sex as 'MALE' | 'FEMALE' | null | undefined) ?? null;
  const key = `${birthDate ?? 'unknown'}:${sex ?? 'unknown'}`;
  return db.transaction(async (tx) => {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const [serial] = await tx
        .insert(nationalReserveIdSerials)
        .values({ key, next: 1 })
        .onConflictDoUpdate({ target: nationalReserveIdSerials.key, set: { next: sql`${nationalReserveIdSerials.next} + 1` } })
        .returning({ next: nationalReserveIdSerials.next });
      const value = nthNationalReserveId(birthDate, sex, serial!.next - 1);
      const [row] = await tx
        .insert(reserveIdentities)
        .values({ kind: 'NATIONAL_RESERVE_ID', value, issuedBy: ISSUER, ...data })
        .onConflictDoNothing({ target: reserveIdentities.value })
        .returning();
      if (row) {
        await event(tx, row, 'ISSUED', null);
        return row;
      }
    }
    throw new Error(`No free national reserve ID for ${key} after 1000 attempts`);
  });
}

export async function registerLocalReserveId(
  db: Db,
  caller: Caller,
  identifier: string,
  input: ReserveIdentityDataInput | null | undefined,
): Promise<ReserveIdentityRow> {
  requireScope(caller);
  const local = parseOrReject(identifier).find((p) => p.kind === 'LOCAL_RESERVE_ID');
  if (!local)
    throw userInputError(`'${identifier}' is not a local reserve ID of a known region (VGR yyyymmddGggC, SLL 99yyyyNNNNNC).`, 'NOT_A_LOCAL_RESERVE_ID');
  const data = columnsOf(input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reserveIdentities)
      .values({
        kind: 'LOCAL_RESERVE_ID',
        region: local.region,
        value: local.canonical,
        issuedBy: local.region,
        birthDate: local.birthDate,
        sex: local.sex,
        ...data,
      })
      .onConflictDoNothing({ target: reserveIdentities.value })
      .returning();
    if (!row) throw conflict(`The reserve ID ${local.canonical} is already registered.`, { reason: 'DUPLICATE' });
    await event(tx, row, 'REGISTERED', null);
    return row;
  });
}

export async function updateReserveIdentity(db: Db, caller: Caller, id: string, input: ReserveIdentityDataInput): Promise<ReserveIdentityRow> {
  requireScope(caller);
  const data = columnsOf(input);
  if (Object.keys(data).length === 0) throw userInputError('Nothing to change: give at least one field of input.', 'NO_CHANGE');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(reserveIdentities)
      .set({ ...data, updatedAt: new Date() })
      .where(eq(reserveIdentities.id, requireId(id, 'id', 'ReserveIdentity')))
      .returning();
    if (!row) throw noSuchIdentity(id);
    await event(tx, row, 'UPDATED', await personOfIdentity(tx, row.id));
    return row;
  });
}

export async function linkReserveIdentity(db: Db, caller: Caller, id: string, to: string): Promise<ReserveIdentityRow> {
  requireScope(caller);
  const candidates = parseOrReject(to);
  const target = candidates.find((c) => c.kind !== 'LOCAL_RESERVE_ID') ?? candidates[0]!;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LINK_LOCK})`);
    const [source] = await tx
      .select()
      .from(reserveIdentities)
      .where(eq(reserveIdentities.id, requireId(id, 'id', 'ReserveIdentity')));
    if (!source) throw noSuchIdentity(id);
    if (target.canonical === source.value) throw userInputError('An identity cannot be linked to itself.', 'LINK_TO_SELF');
    const from: IdentifierKind = source.kind;
    if (LEVEL[target.kind] < LEVEL[from]) {
      throw userInputError(
        `Links go upwards (local → national reserve ID → samordningsnummer → personnummer): a ${from} cannot be linked to a ${target.kind}.`,
        'LINK_DOWNWARDS',
      );
    }
    if (from === 'LOCAL_RESERVE_ID' && target.kind === 'LOCAL_RESERVE_ID') {
      throw userInputError('Two local reserve IDs are linked by linking both to one national reserve ID.', 'LINK_DOWNWARDS');
    }
    if (target.kind === 'NATIONAL_RESERVE_ID' || target.kind === 'LOCAL_RESERVE_ID') {
      const [targetRow] = await tx.select({ id: reserveIdentities.id }).from(reserveIdentities).where(eq(reserveIdentities.value, target.canonical));
      if (!targetRow) throw notFound(`No reserve identity has the number ${target.canonical}.`);
      if (await reaches(tx, targetRow.id, source.value)) {
        throw userInputError(`Linking to ${target.canonical} would close a cycle: it already resolves to this identity.`, 'LINK_CYCLE');
      }
    }
    const now = new Date();
    const current = await tx
      .select()
      .from(reserveIdentityLinks)
      .where(and(eq(reserveIdentityLinks.reserveIdentityId, source.id), isNull(reserveIdentityLinks.unlinkedAt)));
    const formerPersons = await Promise.all(current.map((link) => personOfTarget(tx, link)));
    for (const personId of formerPersons) await refuseLiftingProtection(tx, caller, personId);
    const ended = await tx
      .update(reserveIdentityLinks)
      .set({ unlinkedAt: now })
      .where(and(eq(reserveIdentityLinks.reserveIdentityId, source.id), isNull(reserveIdentityLinks.unlinkedAt)))
      .returning();
    for (const link of ended) await event(tx, source, 'UNLINKED', await personOfTarget(tx, link), { kind: link.targetKind, value: link.targetValue });
    const targetPersonId = PERSON_KINDS.has(target.kind) ? ((await personIdsByIdentifier(tx, [target.canonical])).get(target.canonical) ?? null) : null;
    const link = { reserveIdentityId: source.id, targetKind: target.kind, targetValue: target.canonical, targetPersonId, linkedAt: now };
    await tx.insert(reserveIdentityLinks).values(link);
    const personId = await personOfTarget(tx, link);
    await event(tx, source, 'LINKED', personId, { kind: target.kind, value: target.canonical });
    // Events written while this identity (and those linked to it) resolved to nobody are now this person's.
    if (personId) await assignReserveIdentityEvents(tx, [source.value, ...(await valuesLinkedTo(tx, source.value))], personId);
    return source;
  });
}

/** A reserve identity as the unlink left it, shown as linked until then: the person it resolved to covers it. */
export type UnlinkedReserveIdentity = ReserveIdentityRow & { unlinkedFrom: { personIdentifier: string | null } };

/**
 * Ends the current link. Refused (PROTECTED_IDENTITY) when the person it resolves to hides part of the
 * identity's data from the caller. The payload keeps that person as its owner (`unlinkedFrom`), so the
 * gateway masks and audits it as it did until the unlink.
 */
export async function unlinkReserveIdentity(db: Db, caller: Caller, id: string): Promise<UnlinkedReserveIdentity> {
  requireScope(caller);
  return db.transaction(async (tx) => {
    const [source] = await tx
      .select()
      .from(reserveIdentities)
      .where(eq(reserveIdentities.id, requireId(id, 'id', 'ReserveIdentity')));
    if (!source) throw noSuchIdentity(id);
    const current = await tx
      .select()
      .from(reserveIdentityLinks)
      .where(and(eq(reserveIdentityLinks.reserveIdentityId, source.id), isNull(reserveIdentityLinks.unlinkedAt)));
    if (current.length === 0) throw userInputError(`Reserve identity ${source.value} has no current link to end.`, 'NOT_LINKED');
    const formerPersons = await Promise.all(current.map((link) => personOfTarget(tx, link)));
    for (const personId of formerPersons) await refuseLiftingProtection(tx, caller, personId);
    const mainPersonIdentifier = await mainPersonIdentifierOf(tx, source.id);
    const ended = await tx
      .update(reserveIdentityLinks)
      .set({ unlinkedAt: new Date() })
      .where(and(eq(reserveIdentityLinks.reserveIdentityId, source.id), isNull(reserveIdentityLinks.unlinkedAt)))
      .returning();
    for (const [i, link] of ended.entries()) await event(tx, source, 'UNLINKED', formerPersons[i] ?? null, { kind: link.targetKind, value: link.targetValue });
    return { ...source, unlinkedFrom: { personIdentifier: mainPersonIdentifier } };
  });
}

/** The person's number the chain of current links from `startId` ends at, if it ends at one. */
async function mainPersonIdentifierOf(tx: Executor, startId: string): Promise<string | null> {
  let current: string | null = startId;
  for (let depth = 0; current && depth < MAX_CHAIN; depth++) {
    const [hop]: { targetKind: string; targetValue: string; targetId: string | null }[] = await tx
      .select({ targetKind: reserveIdentityLinks.targetKind, targetValue: reserveIdentityLinks.targetValue, targetId: reserveIdentities.id })
      .from(reserveIdentityLinks)
      .leftJoin(reserveIdentities, eq(reserveIdentities.value, reserveIdentityLinks.targetValue))
      .where(and(eq(reserveIdentityLinks.reserveIdentityId, current), isNull(reserveIdentityLinks.unlinkedAt)));
    if (!hop) return null;
    if (PERSON_KINDS.has(hop.targetKind)) return hop.targetValue;
    current = hop.targetId;
  }
  return null;
}

/** The numbers of the reserve identities whose chain of current links passes through `value`. */
async function valuesLinkedTo(tx: Executor, value: string): Promise<string[]> {
  const rows = await selectRows<{ value: string }>(
    tx,
    sql`with recursive up(id, depth) as (
          select l.reserve_identity_id, 0 from reserve_identity_links l where l.target_value = ${value} and l.unlinked_at is null
          union all
          select l.reserve_identity_id, up.depth + 1 from up join reserve_identities r on r.id = up.id
            join reserve_identity_links l on l.target_value = r.value and l.unlinked_at is null
           where up.depth < ${MAX_CHAIN})
        select distinct r.value from up join reserve_identities r on r.id = up.id`,
  );
  return rows.map((r) => r.value);
}

/** Whether the chain of current links from `startId` reaches the identity numbered `value`. */
async function reaches(tx: Executor, startId: string, value: string): Promise<boolean> {
  let current: string | null = startId;
  for (let depth = 0; current && depth < MAX_CHAIN; depth++) {
    const [hop]: { targetValue: string; targetId: string | null }[] = await tx
      .select({ targetValue: reserveIdentityLinks.targetValue, targetId: reserveIdentities.id })
      .from(reserveIdentityLinks)
      .leftJoin(reserveIdentities, eq(reserveIdentities.value, reserveIdentityLinks.targetValue))
      .where(and(eq(reserveIdentityLinks.reserveIdentityId, current), isNull(reserveIdentityLinks.unlinkedAt)));
    if (!hop) return false;
    if (hop.targetValue === value) return true;
    current = hop.targetId;
  }
  return false;
}

function noSuchIdentity(id: string) {
  return notFound(`No reserve identity has the id '${id}'.`);
}
