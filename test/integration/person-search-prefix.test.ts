import { describe, expect, it } from 'vitest';
import { personIdentifiers } from '../../db/schema/index.js';
import { personSubgraph } from '../../subgraphs/person/index.js';
import { type Caller } from '../../kernel/caller.js';
import { cprNumber, personalIdentityNumber } from '../../kernel/identifiers.js';
import { callerFor } from '../support/callers.js';
import { useSubgraph } from '../support/subgraph.js';
import { insertPerson } from '../support/fixtures.js';
import { type GraphQLResponse } from '../support/stack.js';

/**
 * `searchPersons(filter: { identifierPrefix })` with prefixes of every length from the birth date up to the
 * whole number, in the 10- and 12-digit forms, with and without separator, `+` for 100 and over, and CPR
 * prefixes with `country: DK`.
 */
const reader: Caller = callerFor({ subject: 'reader', scopes: ['folkreg:read'] });

const SEARCH = `query($filter: PersonSearchFilter!) { searchPersons(filter: $filter, first: 100) { edges { node { id } } } }`;
async function search(filter: Record<string, unknown>): Promise<GraphQLResponse> {
  return subgraph.call(reader, SEARCH, { filter });
}

/** Person ids by fixture name. */
const who: Record<string, string> = {};
const nameOf = (id: string) => Object.entries(who).find(([, v]) => v === id)?.[0] ?? id;

// 19560111-4126 (the "1956011141" / "19560111-41"), 20101010-1234 (its "2010101012"),
// 19200304-5552 (aged 100+, `200304+…`), 20200304-5560 (the same YYMMDD a century later), CPR 030290-0025.
const ids = {
  eva: personalIdentityNumber({ birthDate: '1956-01-11', serial: 412 }),
  evaSibling: personalIdentityNumber({ birthDate: '1956-01-11', serial: 523 }),
  kid: personalIdentityNumber({ birthDate: '2010-10-10', serial: 123 }),
  elder: personalIdentityNumber({ birthDate: '1920-03-04', serial: 555 }),
  baby: personalIdentityNumber({ birthDate: '2020-03-04', serial: 556 }),
  dane: cprNumber({ birthDate: '1990-02-03', serial: 12, sex: 'MALE' }),
};
/** evaSibling's former number (replaced): found in full, as a lookup finds it, never by a prefix. */
const replacedOld = personalIdentityNumber({ birthDate: '1956-01-11', serial: 634 });

const subgraph = useSubgraph(personSubgraph, async (db) => {
  for (const [name, identifier] of Object.entries(ids)) {
    const dk = name === 'dane';
    const birthDate = dk ? '1990-02-03' : `${identifier.slice(0, 4)}-${identifier.slice(4, 6)}-${identifier.slice(6, 8)}`;
    who[name] = (await insertPerson(db, { identifier, country: dk ? 'DK' : 'SE', givenNames: name, familyName: 'Prefix', birthDate })).id;
  }
  await db
    .insert(personIdentifiers)
    .values({ personId: who.evaSibling!, kind: 'PERSONAL_IDENTITY_NUMBER', value: replacedOld, validFrom: '1956-01-11', validTo: '1990-01-01' });
});

const eva = ids.eva; // 195601114126
describe.each<[string, string, string[], ('DK' | 'SE')?]>([
  // 12-digit form, every length from the birth date up, without and with separator
  ['YYYYMMDD', '19560111', ['eva', 'evaSibling']],
  ['YYYYMMDDN', '195601114', ['eva']],
  ['YYYYMMDDNN (the issue: IMPOSSIBLE_DATE before)', '1956011141', ['eva']],
  ['YYYYMMDDNNN', eva.slice(0, 11), ['eva']],
  ['YYYYMMDDNNNC (whole)', eva, ['eva']],
  ['YYYYMMDD-', '19560111-', ['eva', 'evaSibling']],
  ['YYYYMMDD-N', '19560111-4', ['eva']],
  ['YYYYMMDD-NN (the issue: SEPARATOR before)', '19560111-41', ['eva']],
  ['YYYYMMDD-NNN', `19560111-${eva.slice(8, 11)}`, ['eva']],
  ['YYYYMMDD-NNNC (whole)', `19560111-${eva.slice(8)}`, ['eva']],
  // 10-digit form
  ['YYMMDD', '560111', ['eva', 'evaSibling']],
  ['YYMMDDN', '5601114', ['eva']],
  ['YYMMDDNN', '56011141', ['eva']],
  ['YYMMDDNNN', `560111${eva.slice(8, 11)}`, ['eva']],
  ['YYMMDDNNNC (whole)', eva.slice(2), ['eva']],
  ['YYMMDD-NN', '560111-41', ['eva']],
  ['YYMMDD-NNNC (whole)', `560111-${eva.slice(8)}`, ['eva']],
  // digits that are two forms at once: the union of both readings
  ['2010101012 (the issue: nothing before; also CPR 201010-1012)', '2010101012', ['kid']],
  ['20101010-12', '20101010-12', ['kid']],
  // the century of a 10-digit prefix, and '+' for 100 and over
  ['YYMMDD of a baby', '200304', ['baby']],
  ['YYMMDD+ (aged 100+)', '200304+', ['elder']],
  ['YYMMDD+NN', '200304+55', ['elder']],
  ['YYMMDD-NN', '200304-55', ['baby']],
  ['YYMMDD+NNNC (whole)', `200304+${ids.elder.slice(8)}`, ['elder']],
  // a replaced number: in full it finds the person (like a lookup), as a prefix nobody
  ['replaced number in full', replacedOld, ['evaSibling']],
  ['prefix of a replaced number', '195601116', []],
  // CPR, with country DK
  ['DDMMYY', '030290', ['dane'], 'DK'],
  ['DDMMYY-', '030290-', ['dane'], 'DK'],
  ['DDMMYYS', '0302900', ['dane'], 'DK'],
  ['DDMMYY-SS', '030290-00', ['dane'], 'DK'],
  ['DDMMYYSSSS (whole)', ids.dane, ['dane'], 'DK'],
  ['DDMMYYSSSS (whole, no country)', ids.dane, ['dane']],
  ['YYYYMMDD with country SE', '19560111', ['eva', 'evaSibling'], 'SE'],
])('%s: %s', (_form, prefix, expected, country) => {
  it(`finds ${expected.join(', ') || 'nobody'}`, async () => {
    const res = await search({ identifierPrefix: prefix, ...(country ? { country } : {}) });
    expect(res.errors).toBeUndefined();
    expect(res.data.searchPersons.edges.map((e: any) => nameOf(e.node.id)).sort()).toEqual([...expected].sort());
  });
});

describe.each<[string, string, ('DK' | 'SE')?]>([
  ['19560', 'PREFIX_TOO_SHORT'],
  ['1956011141234', 'LENGTH'],
  ['1956-0111', 'SEPARATOR'],
  ['195601-11', 'IMPOSSIBLE_DATE'], // YYMMDD 19-56-01: there is no month 56
  ['19560111+41', 'SEPARATOR'], // '+' only follows YYMMDD
  ['19560231', 'IMPOSSIBLE_DATE'],
  ['19560231-41', 'IMPOSSIBLE_DATE'],
  ['19560171', 'PARTIAL_COORDINATION_NUMBER'],
  ['19560111 41', 'CHARACTERS'],
  ['19560111--41', 'CHARACTERS'],
  [`${eva.slice(0, 11)}${(Number(eva.at(-1)) + 1) % 10}`, 'CHECK_DIGIT'],
  ['320190', 'IMPOSSIBLE_DATE', 'DK'],
  ['19560111', 'IMPOSSIBLE_DATE', 'DK'], // with country DK only CPR readings: day 19 of month 56
])('refuses %s', (prefix, reason, country) => {
  it(`with BAD_USER_INPUT ${reason}`, async () => {
    const res = await search({ identifierPrefix: prefix, ...(country ? { country } : {}) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason });
  });
});
