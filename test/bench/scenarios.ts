import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../../db/client.js';
import type { SubgraphName } from '../../kernel/subgraph-names.js';
import type { Send } from './load.js';
import type { TargetName } from './report.js';

export interface ScenarioContext {
  subgraphUrls: Record<SubgraphName, string>;
  /** Authorization header of a reader, for the gateways. */
  clientToken: string;
  /** Authorization header of a caller that may change contact details. */
  writerToken: string;
  /** Headers of a request straight to a subgraph: a gateway token for it and this exact body, as the gateway signs per fetch. */
  asGateway: (subgraph: SubgraphName) => (body: string) => Record<string, string>;
}

export interface Scenario<D = unknown> {
  name: string;
  targets: TargetName[];
  /** What the requests ask for, read from the seeded database once. */
  prepare(db: Db): Promise<D>;
  /** The request sender for one target; `url` is the gateway's GraphQL endpoint (empty for `direct`). */
  send(target: TargetName, url: string, context: ScenarioContext, data: D): Send;
}

const GATEWAYS: TargetName[] = ['folkreg', 'folkreg-unmasked', 'hive', 'hive-rust'];

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

/** The first failed answer of the run, for the runner to print. */
export let firstError: string | undefined;

/** A GraphQL request; the body when it succeeded without errors, else null. */
async function post(
  url: string,
  headers: Record<string, string> | ((body: string) => Record<string, string>),
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphQLBody | null> {
  const request = JSON.stringify({ query, variables });
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(typeof headers === 'function' ? headers(request) : headers) },
    body: request,
  });
  const body = (await res.json()) as GraphQLBody;
  if (res.status === 200 && !body.errors?.length) return body;
  if (!firstError) firstError = `HTTP ${res.status} from ${url}: ${JSON.stringify(body).slice(0, 500)}`;
  return null;
}

const pick = <T>(list: T[], n: number) => list[n % list.length]!;

async function values(db: Db, query: ReturnType<typeof sql>): Promise<string[]> {
  const rows = await selectRows<{ value: string }>(db, query);
  if (rows.length === 0) throw new Error('The database has nothing for this scenario to ask for; is it seeded?');
  return rows.map((r) => r.value);
}

const ADDRESS_FIELDS = 'streetName postalCode postalDistrict municipalityName';
const PERSON = /* GraphQL */ `
  query Person($identifier: String!) {
    person(identifier: $identifier) { id name { givenNames familyName } birthDate address { ${ADDRESS_FIELDS} } }
  }
`;
/** The ceiling: the two subgraph requests the gateway's plan makes, sent by the client itself. */
const PERSON_DIRECT = /* GraphQL */ `
  query Person($identifier: String!) {
    person(identifier: $identifier) {
      id
      name {
        givenNames
        familyName
      }
      birthDate
    }
  }
`;
const ADDRESS_DIRECT = /* GraphQL */ `
  query Address($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { address { ${ADDRESS_FIELDS} } } } }
`;

export const personLookup: Scenario<string[]> = {
  name: 'person by identifier, with address',
  targets: [...GATEWAYS, 'direct'],
  // Persons without protection: every target answers the same data.
  prepare: (db) =>
    values(
      db,
      sql`SELECT i.value FROM person_identifiers i
          WHERE i.valid_to IS NULL AND NOT EXISTS (SELECT 1 FROM protection_markers m WHERE m.person_id = i.person_id)
          ORDER BY i.id LIMIT 2000`,
    ),
  send(target, url, { subgraphUrls, clientToken, asGateway }, identifiers) {
    if (target === 'direct') {
      return async (n) => {
        const person = await post(subgraphUrls.person, asGateway('person'), PERSON_DIRECT, { identifier: pick(identifiers, n) });
        const id = (person?.data?.person as { id?: string } | null)?.id;
        if (!id) return false;
        const address = await post(subgraphUrls.address, asGateway('address'), ADDRESS_DIRECT, { representations: [{ __typename: 'Person', id }] });
        return Array.isArray(address?.data?._entities);
      };
    }
    return async (n) => Boolean((await post(url, { authorization: clientToken }, PERSON, { identifier: pick(identifiers, n) }))?.data?.person);
  },
};

const FAMILY = /* GraphQL */ `
  query Family($identifier: String!) {
    person(identifier: $identifier) {
      familyRelations(first: 20) {
        totalCount
        edges { node { kind relative { name { givenNames familyName } address { ${ADDRESS_FIELDS} } } } }
      }
    }
  }
`;

const familyPage: Scenario<string[]> = {
  name: 'family page of 20, relatives with names and address',
  targets: GATEWAYS,
  // The persons with most relatives, neither they nor a relative protected (no masking errors anywhere).
  prepare: (db) =>
    values(
      db,
      sql`WITH top AS (SELECT person_id FROM family_relations f
                       WHERE valid_to IS NULL AND relative_person_id IS NOT NULL
                       GROUP BY person_id
                       HAVING count(*) FILTER (WHERE f.person_id IN (SELECT person_id FROM protection_markers)
                                                  OR f.relative_person_id IN (SELECT person_id FROM protection_markers)) = 0
                       ORDER BY count(*) DESC, person_id LIMIT 500)
          SELECT i.value FROM top JOIN person_identifiers i ON i.person_id = top.person_id AND i.valid_to IS NULL`,
    ),
  send(_target, url, { clientToken }, identifiers) {
    return async (n) => {
      const body = await post(url, { authorization: clientToken }, FAMILY, { identifier: pick(identifiers, n) });
      return Boolean((body?.data?.person as { familyRelations?: unknown } | null)?.familyRelations);
    };
  },
};

const SEARCH = /* GraphQL */ `
  query Search($name: String!) {
    searchPersons(filter: { name: $name }, first: 20) {
      edges {
        node {
          id
          name {
            givenNames
            familyName
          }
          birthDate
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`;

const nameSearch: Scenario<string[]> = {
  name: 'name search, page of 20',
  targets: GATEWAYS,
  // Every 7th current family name in alphabetical order: common ones and rare ones.
  prepare: (db) =>
    values(
      db,
      sql`SELECT value FROM (SELECT family_name AS value, row_number() OVER (ORDER BY family_name) AS n
                             FROM person_names WHERE valid_to IS NULL AND length(family_name) >= 2 GROUP BY family_name) t
          WHERE n % 7 = 1 LIMIT 300`,
    ),
  send(_target, url, { clientToken }, names) {
    return async (n) => Boolean((await post(url, { authorization: clientToken }, SEARCH, { name: pick(names, n) }))?.data?.searchPersons);
  },
};

const UPDATE = /* GraphQL */ `
  mutation Update($input: ContactDetailsInput!) {
    updateContactDetails(input: $input) {
      phone
      version
    }
  }
`;

/**
 * Each request rewrites another unprotected person's phone number with the version last read, so
 * concurrent clients never conflict (the list is far longer than the concurrency). Versions carry
 * over between targets and rounds, which run one after another.
 */
const contactUpdate: Scenario<{ id: string; version: number }[]> = {
  name: 'contact-details update',
  targets: GATEWAYS,
  prepare: (db) =>
    selectRows<{ id: string; version: number }>(
      db,
      sql`SELECT p.id, coalesce(c.version, 0) AS version FROM persons p LEFT JOIN contact_details c ON c.person_id = p.id
          WHERE NOT EXISTS (SELECT 1 FROM protection_markers m WHERE m.person_id = p.id)
          ORDER BY p.id LIMIT 2000`,
    ),
  send(_target, url, { writerToken }, persons) {
    return async (n) => {
      const person = pick(persons, n);
      const input = { personId: person.id, version: person.version, phone: `+46 70 ${String(n % 1_000_000).padStart(6, '0')}` };
      const body = await post(url, { authorization: writerToken }, UPDATE, { input });
      const version = (body?.data?.updateContactDetails as { version?: number } | undefined)?.version;
      if (typeof version !== 'number') return false;
      person.version = version;
      return true;
    };
  },
};

export const scenarios: Scenario<any>[] = [personLookup, familyPage, nameSearch, contactUpdate];
