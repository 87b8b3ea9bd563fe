import type { SubgraphName } from '../../subgraphs/shared/server.js';
import type { Send } from './load.js';
import type { TargetName } from './report.js';

export interface ScenarioData {
  /** Current identifiers of persons without protection markers. */
  plainIdentifiers: string[];
  /** Current identifiers of the persons with the most current relations. */
  familyIdentifiers: string[];
}

export interface ScenarioContext {
  data: ScenarioData;
  subgraphUrls: Record<SubgraphName, string>;
  /** Authorization header of a reader, for the gateways. */
  clientToken: string;
  /** Authorization header of a caller that may change contact details. */
  writerToken: string;
  /** The benchmark's gateway token, for requests straight to a subgraph. */
  gatewayTokenHeader: Record<string, string>;
}

export interface Scenario {
  name: string;
  targets: TargetName[];
  /** The request sender for one target; `url` is the gateway's GraphQL endpoint (empty for `direct`). */
  send(target: TargetName, url: string, context: ScenarioContext): Send;
}

const GATEWAYS: TargetName[] = ['folkreg', 'folkreg-unmasked', 'hive'];

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

async function post(url: string, headers: Record<string, string>, query: string, variables: Record<string, unknown>): Promise<GraphQLBody | null> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GraphQLBody;
  if (res.status === 200 && !body.errors?.length) return body;
  if (!firstError) firstError = `HTTP ${res.status} from ${url}: ${JSON.stringify(body).slice(0, 500)}`;
  return null;
}

/** The first failed answer of the run, for the runner to print. */
export let firstError: string | undefined;

const pick = (list: string[], n: number) => list[n % list.length]!;

const ADDRESS_FIELDS = 'streetName postalCode postalDistrict municipalityName';
const PERSON = /* GraphQL */ `
  query Person($identifier: String!) {
    person(identifier: $identifier) { id name { givenNames familyName } birthDate address { ${ADDRESS_FIELDS} } }
  }
`;
/** The ceiling: the two subgraph requests the gateway's plan makes, sent by the client itself. */
const PERSON_DIRECT = /* GraphQL */ `
  query Person($identifier: String!) { person(identifier: $identifier) { id name { givenNames familyName } birthDate } }
`;
const ADDRESS_DIRECT = /* GraphQL */ `
  query Address($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { address { ${ADDRESS_FIELDS} } } } }
`;
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

const personLookup: Scenario = {
  name: 'person by identifier, with address',
  targets: [...GATEWAYS, 'direct'],
  send(target, url, { data, subgraphUrls, clientToken, gatewayTokenHeader }) {
    if (target === 'direct') {
      return async (n) => {
        const person = await post(subgraphUrls.person, gatewayTokenHeader, PERSON_DIRECT, { identifier: pick(data.plainIdentifiers, n) });
        const id = (person?.data?.person as { id?: string } | null)?.id;
        if (!id) return false;
        const address = await post(subgraphUrls.address, gatewayTokenHeader, ADDRESS_DIRECT, { representations: [{ __typename: 'Person', id }] });
        return Array.isArray(address?.data?._entities);
      };
    }
    return async (n) => Boolean((await post(url, { authorization: clientToken }, PERSON, { identifier: pick(data.plainIdentifiers, n) }))?.data?.person);
  },
};

const familyPage: Scenario = {
  name: 'family page of 20, relatives with names and address',
  targets: GATEWAYS,
  send(_target, url, { data, clientToken }) {
    return async (n) => {
      const body = await post(url, { authorization: clientToken }, FAMILY, { identifier: pick(data.familyIdentifiers, n) });
      return Boolean((body?.data?.person as { familyRelations?: unknown } | null)?.familyRelations);
    };
  },
};

export const scenarios: Scenario[] = [personLookup, familyPage];
