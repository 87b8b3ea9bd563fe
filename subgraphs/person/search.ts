import { sql, type SQL } from 'drizzle-orm';
import { selectPreparedRows, selectRows, type Db } from '../../db/client.js';
import { readMunicipalityCode } from '../../kernel/municipalities.js';
import { foldForSearch } from '../../kernel/search-key.js';
import { userInputError } from '../../kernel/errors.js';
import { requireDate } from '../../kernel/validate.js';
import type { Caller } from '../../kernel/caller.js';
import { IdentifierPrefixError, parseIdentifierPrefix, type IdentifierPrefixReadings } from '../../kernel/identifiers.js';
import { kindsHiding, type ProtectionCategory } from '../../kernel/protection.js';
import { markerInForceSql } from '../shared/protection-sql.js';
import type { PersonSearchFilter } from './generated/resolvers.js';

/**
 * At most 500 per page, as Personuppgiftstjänsten's search answers. Base extracts walk the search a page
 * at a time through the gateway; each page costs about 150 ms of fixed work (plan, two subgraph fetches,
 * five statements) at a load of 15, so pages of 500 instead of 100 made an extract 1.6–3× faster
 * (README "Base extracts"). A page of 500 with an extract's selection is priced about 4,000 (maxCost 20,000).
 */
export const MAX_SEARCH_PAGE = 500;

// The search's criteria as the SDL declares them (`input PersonSearchFilter`).
export type { PersonSearchFilter } from './generated/resolvers.js';

/** The identifier criterion, resolved: exact canonical numbers and `LIKE` prefixes of a kind (any may match). */
type IdentifierCriterion = IdentifierPrefixReadings;

/** The validated search; `order` is the criterion whose index drives the scan and the keyset. */
export interface SearchPlan {
  identifier: IdentifierCriterion | null;
  nameQuery: string | null;
  /** The longest word of a name search: its prefix range of `person_name_words` drives the scan. */
  nameDriver: string | null;
  birthDateFrom: string | null;
  birthDateTo: string | null;
  municipalityCode: string | null;
  country: 'SE' | 'DK' | null;
  order: 'identifier' | 'name' | 'birthDate' | 'municipality';
  /** Categories the criteria reveal: persons hiding any of them from the caller are left out. */
  categories: ProtectionCategory[];
}

/** A hit: the person and the keyset position after it. */
export interface SearchHit {
  personId: string;
  key: string | null;
}

/** Validates a filter into a plan, or throws BAD_USER_INPUT naming the fault. Writes and reads nothing. */
export function planSearch(filter: PersonSearchFilter, today = new Date()): SearchPlan {
  const country = filter.country ?? null;
  const identifier = filter.identifierPrefix != null ? identifierCriterion(filter.identifierPrefix, country, today) : null;
  const words = filter.name != null ? nameWords(filter.name) : null;
  const nameQuery = words ? words.map((w) => `${w}:*`).join(' & ') : null;
  const nameDriver = words ? words.reduce((a, b) => (b.length > a.length ? b : a)) : null;
  const from = filter.birthDateFrom ?? null;
  const to = filter.birthDateTo ?? null;
  for (const [arg, value] of [
    ['birthDateFrom', from],
    ['birthDateTo', to],
  ] as const) {
    if (value !== null) requireDate(value, `filter.${arg}`);
  }
  if (from && to && from > to) throw userInputError(`'birthDateFrom' ${from} is after 'birthDateTo' ${to}.`, 'EMPTY_RANGE');
  let municipalityCode: string | null = null;
  if (filter.municipalityCode != null) {
    // The stored form, as moves write it: CPR's `0101` finds København (`101`); an unknown code is refused.
    const read = readMunicipalityCode(filter.municipalityCode, country);
    if ('fault' in read) {
      if (read.fault === 'UNKNOWN_MUNICIPALITY') throw userInputError(`'municipalityCode': ${read.message}`, 'UNKNOWN_MUNICIPALITY');
      throw userInputError(
        `'municipalityCode' must be 3 or 4 digits (SE kommunkod, DK kommunekode or CPR KOMKOD); got '${filter.municipalityCode}'.`,
        'INVALID_MUNICIPALITY_CODE',
      );
    }
    municipalityCode = read.municipality.code;
  }
  const order = identifier ? 'identifier' : nameQuery ? 'name' : from || to ? 'birthDate' : municipalityCode ? 'municipality' : null;
  if (!order) {
    throw userInputError('Give at least one search criterion: identifierPrefix, name, birthDateFrom/birthDateTo or municipalityCode.', 'NO_CRITERION');
  }
  const categories: ProtectionCategory[] = [];
  // A personnummer prefix is a birth date: it reveals both.
  if (identifier) categories.push('IDENTITY', 'BIRTH_DATE');
  if (nameQuery) categories.push('NAME');
  if (from || to) categories.push('BIRTH_DATE');
  if (municipalityCode) categories.push('ADDRESS');
  return { identifier, nameQuery, nameDriver, birthDateFrom: from, birthDateTo: to, municipalityCode, country, order, categories };
}

/** Cursors belong to one search: the same criteria, in a stable form. */
export function searchScope(plan: SearchPlan): string {
  const { categories: _, ...criteria } = plan;
  return `searchPersons:${JSON.stringify(criteria)}`;
}

/**
 * One statement: the page (plus one, to know whether more follow) in the order of the driving criterion,
 * `(key, person id) > after`, with every other criterion and the protection exclusion in the same SQL.
 */
export async function runSearch(db: Db, caller: Caller, plan: SearchPlan, after: [string | null, string] | null, limit: number): Promise<SearchHit[]> {
  const query = searchSql(caller, plan, after, limit);
  return runsPrepared(plan) ? selectPreparedRows<SearchHit>(db, query) : selectRows<SearchHit>(db, query);
}

/**
 * A name search of one word, or an identifier search, with no other criterion: its index drives it
 * whatever the values (the ORDER BY is the index's order, the prefix an explicit range), so the generic
 * plan Postgres keeps for a prepared statement is the one it would plan afresh, and the search skips
 * planning (0.7 ms of a 0.8 ms name search at 1,000,000 persons). Any other criterion is planned for its
 * values: measured, the generic plan of a rare municipality with a common name read 42,196 buffers where
 * the fresh one read 478.
 */
export function runsPrepared(plan: SearchPlan): boolean {
  const alone = !plan.country && !plan.birthDateFrom && !plan.birthDateTo && !plan.municipalityCode;
  if (plan.order === 'name') return alone && !plan.identifier && plan.nameQuery === `${plan.nameDriver}:*`;
  return plan.order === 'identifier' && alone && !plan.nameQuery;
}

/** The statement `runSearch` runs (exported for EXPLAIN in measurements). */
export function searchSql(caller: Caller, plan: SearchPlan, after: [string | null, string] | null, limit: number | null): SQL {
  const conditions: SQL[] = [];
  // The persons row is joined only when a criterion reads it: a name or identifier search alone is
  // answered from its own index (one primary-key probe per scanned row saved; the foreign key keeps
  // every person_id a person).
  // A name search never joins it: person_name_words carries copies of the person's municipality, birth
  // date and country (migration 0040), tested on the index entry.
  const personColumns = plan.order !== 'name' && Boolean(plan.country || plan.birthDateFrom || plan.birthDateTo || plan.municipalityCode);
  const person = plan.order === 'identifier' && !personColumns ? sql.raw('pi.person_id') : plan.order === 'name' ? sql.raw('w.person_id') : sql.raw('p.id');
  // The table the person's own columns are read from.
  const of = plan.order === 'name' ? sql.raw('w') : sql.raw('p');
  const hiding = [...new Set(plan.categories.flatMap((c) => kindsHiding(caller, c)))];
  if (hiding.length > 0) {
    conditions.push(sql`not exists (select 1 from protection_markers pm where pm.person_id = ${person}
      and pm.kind in (${sql.join(
        hiding.map((k) => sql`${k}`),
        sql`, `,
      )})
      and ${markerInForceSql('pm')})`);
  }
  if (plan.country) conditions.push(sql`${of}.country = ${plan.country}`);
  if (plan.birthDateFrom) conditions.push(sql`${of}.birth_date >= ${plan.birthDateFrom}::date`);
  if (plan.birthDateTo) conditions.push(sql`${of}.birth_date <= ${plan.birthDateTo}::date`);
  if (plan.municipalityCode) conditions.push(sql`${of}.municipality_code = ${plan.municipalityCode}`);
  if (plan.identifier && plan.order !== 'identifier')
    conditions.push(sql`exists (select 1 from person_identifiers i where i.person_id = ${person} and ${identifierMatch(sql`i`, plan.identifier)})`);
  if (plan.nameQuery && plan.order !== 'name')
    conditions.push(sql`exists (select 1 from person_names n where n.person_id = ${person} and ${nameMatch(sql`n`, plan.nameQuery)})`);

  let query: SQL;
  if (plan.order === 'identifier') {
    if (after) conditions.push(sql`((pi.value collate "C"), pi.person_id) > (${after[0]} collate "C", ${after[1]}::uuid)`);
    query = sql`select pi.person_id as "personId", pi.value as key from person_identifiers pi ${personColumns ? sql`join persons p on p.id = pi.person_id` : sql``}
      where ${identifierMatch(sql`pi`, plan.identifier!)} ${and(conditions)}
      order by (pi.value collate "C"), pi.person_id ${limitSql(limit)}`;
  } else if (plan.order === 'name') {
    // Each person once, at the smallest of their words that starts with the driving word: the words of a
    // prefix are one run in byte order, so that is the row whose previous word (`prev_word`, in the
    // index) does not start with it. The other words of the query are checked on the person's current name
    // key, which the index entry carries (migration 0042: a probe of person_names per candidate was 4 buffers,
    // 5,776 for `anna lofgren` at 1,000,000 persons).
    const like = `${plan.nameDriver}%`;
    if (plan.nameQuery !== `${plan.nameDriver}:*`)
      conditions.push(sql`to_tsvector('simple'::regconfig, w.name_key) @@ to_tsquery('simple'::regconfig, ${plan.nameQuery!})`);
    if (after) conditions.push(sql`((w.word collate "C"), w.person_id) > (${after[0]} collate "C", ${after[1]}::uuid)`);
    query = sql`select w.person_id as "personId", w.word as key from person_name_words w
      where ${prefixRange(sql`w.word`, plan.nameDriver!)}
        and (w.prev_word is null or (w.prev_word collate "C") not like ${like})
        ${and(conditions)}
      order by (w.word collate "C"), w.person_id ${limitSql(limit)}`;
  } else if (plan.order === 'birthDate') {
    if (after) conditions.push(sql`(p.birth_date, p.id) > (${after[0]}::date, ${after[1]}::uuid)`);
    query = sql`select p.id as "personId", p.birth_date::text as key from persons p
      where p.birth_date is not null ${and(conditions)} order by p.birth_date, p.id ${limitSql(limit)}`;
  } else {
    // Order by the index (municipality_code, id): the planner then never walks the whole primary key.
    if (after) conditions.push(sql`p.id > ${after[1]}::uuid`);
    query = sql`select p.id as "personId", p.municipality_code as key from persons p
      where true ${and(conditions)} order by p.municipality_code, p.id ${limitSql(limit)}`;
  }
  return query;
}

/** How many persons the whole search finds: the same statement, every page, counted. */
export async function countSearch(db: Db, caller: Caller, plan: SearchPlan): Promise<number> {
  const rows = await selectRows<{ n: number }>(db, sql`select count(*)::int as n from (${searchSql(caller, plan, null, null)}) hits`);
  return Number(rows[0]?.n ?? 0);
}

function limitSql(limit: number | null): SQL {
  return limit === null ? sql`` : sql`limit ${limit}`;
}

function and(conditions: SQL[]): SQL {
  return conditions.length ? sql`and ${sql.join(conditions, sql` and `)}` : sql``;
}

/**
 * Exact numbers match any identifier the person has had (a lookup by a replaced number finds them); prefixes
 * match current identifiers only: a prefix of a replaced number would list a person under an old number.
 */
function identifierMatch(alias: SQL, c: IdentifierCriterion): SQL {
  const any: SQL[] = [];
  if (c.exact.length)
    any.push(
      sql`${alias}.value in (${sql.join(
        c.exact.map((v) => sql`${v}`),
        sql`, `,
      )})`,
    );
  for (const p of c.prefixes) {
    any.push(sql`(${prefixRange(sql`${alias}.value`, p.prefix)} and ${alias}.kind = ${p.kind} and ${alias}.valid_to is null)`);
  }
  return sql`(${sql.join(any, sql` or `)})`;
}

/**
 * `column` starts with `prefix`, in byte order (collate "C"), as the index range Postgres would derive
 * from a constant `LIKE 'prefix%'` — but from parameters, so that a prepared statement's generic plan
 * still scans only the range. The `LIKE` stays as the exact test. `prefix` holds letters and digits only
 * (folded name words, identifier digits): no `LIKE` wildcard.
 */
function prefixRange(column: SQL, prefix: string): SQL {
  const c = sql`(${column} collate "C")`;
  const above = prefixSuccessor(prefix);
  return sql`${c} >= ${prefix} ${above === null ? sql`` : sql`and ${c} < ${above}`} and ${c} like ${`${prefix}%`}`;
}

/** The least string above every string starting with `prefix`, in code point (= UTF-8 byte) order; null if none. */
export function prefixSuccessor(prefix: string): string | null {
  const points = Array.from(prefix, (ch) => ch.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < 0x10ffff) {
      points.push(last + 1 === 0xd800 ? 0xe000 : last + 1);
      return String.fromCodePoint(...points);
    }
  }
  return null;
}

/** Must be the index expression of `person_names_search_idx` verbatim, or the index is not used. */
function nameMatch(alias: SQL, tsQuery: string): SQL {
  return sql`${alias}.valid_to is null and to_tsvector('simple'::regconfig, ${alias}.search_key) @@ to_tsquery('simple'::regconfig, ${tsQuery})`;
}

/** `Östlund anna` → `['ostlund', 'anna']`: each must be the start of a word of the folded name. */
function nameWords(name: string): string[] {
  const words = foldForSearch(name)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
  if (words.join('').length < 2) {
    throw userInputError(`A name search needs at least 2 letters; got '${name}'.`, 'NAME_TOO_SHORT');
  }
  return words;
}

/** Every reading of the prefix (`parseIdentifierPrefix`), or BAD_USER_INPUT with the reason of the likeliest. */
function identifierCriterion(input: string, country: 'SE' | 'DK' | null, today: Date): IdentifierCriterion {
  try {
    return parseIdentifierPrefix(input, { country: country ?? undefined, today });
  } catch (err) {
    if (err instanceof IdentifierPrefixError) throw userInputError(`'identifierPrefix': ${err.message}`, err.reason);
    throw err;
  }
}
