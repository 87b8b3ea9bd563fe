import { Supergraph } from '@apollo/federation-internals';
import { describe, expect, it } from 'vitest';
import { Authorization } from '../../gateway/authorization.js';
import { estimateCost } from '../../gateway/limits/cost.js';
import { Limits } from '../../gateway/limits/index.js';
import { defaultLimitsConfig } from '../../gateway/limits/options.js';
import { FIRST_VARIABLE } from '../../gateway/websocket/batch-query.js';
import type { DeliveryPlan } from '../../gateway/websocket/operation-plan.js';
import { Planning } from '../../gateway/websocket/planning.js';
import { ANONYMOUS, type Caller } from '../../kernel/caller.js';
import { readSupergraph } from '../../schema/compose.js';

const authorization = new Authorization(readSupergraph());
const schema = Supergraph.build(authorization.engineSupergraphSdl).apiSchema().toGraphQLJSSchema();
const integrator: Caller = { ...ANONYMOUS, subject: 'integrator', client: 'acme', scopes: ['events:read', 'person:read', 'family:read', 'address:read'] };

/** Planning under `maxCost`, without a cost budget (0: off). */
function planning(maxCost: number, options: { hideSuggestions?: boolean } = {}) {
  const config = defaultLimitsConfig();
  config.defaults = { ...config.defaults, maxCost, costPerMinute: 0 };
  return new Planning(schema, {
    limits: new Limits({ config }),
    authorization,
    trustedDocuments: null,
    hideSuggestions: options.hideSuggestions ?? false,
    batchSize: 100,
  });
}

const LIGHT = 'subscription { changeEvents { cursor type } }';
/** Each event brings its person, their family and addresses: far more than a cursor. */
const HEAVY = `subscription Heavy {
  changeEvents(filter: { types: [MOVE] }) {
    cursor
    type
    person {
      name { givenNames familyName }
      addresses(includeHistoric: true) { city careOf kind }
      familyRelations(first: 20) { edges { node { kind relative { name { givenNames } } } } }
    }
  }
}`;

const costAt = (plan: DeliveryPlan, n: number) => estimateCost(schema, plan.batchDocument, { ...plan.variables, [FIRST_VARIABLE]: n }, plan.operationName);

async function subscriptionOf(p: Planning, query: string) {
  const planned = await p.plan({ query }, integrator);
  if (Array.isArray(planned) || !('plan' in planned)) throw new Error(`refused: ${JSON.stringify(planned)}`);
  return planned;
}

describe('Planning: a subscription’s batches stay within the caller’s maxCost', () => {
  it('a light selection reads full batches of 100', async () => {
    const { plan, batchSize } = await subscriptionOf(planning(20_000), LIGHT);
    expect(batchSize).toBe(100);
    expect(costAt(plan, batchSize)).toBeLessThanOrEqual(20_000);
  });

  for (const maxCost of [5_000, 1_000]) {
    it(`a heavy selection under maxCost ${maxCost}: smaller batches, the largest that cost at most that`, async () => {
      const { plan, batchSize } = await subscriptionOf(planning(maxCost), HEAVY);
      expect(batchSize).toBeGreaterThanOrEqual(1);
      expect(batchSize).toBeLessThan(100);
      expect(costAt(plan, batchSize)).toBeLessThanOrEqual(maxCost);
      expect(costAt(plan, batchSize + 1)).toBeGreaterThan(maxCost);
    });
  }

  it('a maxCost below one event’s batch refuses the subscribe, without HTTP details in the error', async () => {
    const one = costAt((await subscriptionOf(planning(20_000), HEAVY)).plan, 1);
    const refused = await planning(one - 1).plan({ query: HEAVY }, integrator);
    expect(Array.isArray(refused)).toBe(true);
    const [error] = refused as { extensions: Record<string, unknown> }[];
    expect(error!.extensions.code).toBe('COST_LIMIT_EXCEEDED');
    expect(error!.extensions).not.toHaveProperty('http');
  });
});

describe('Planning: a subscribe is refused as over HTTP', () => {
  const codes = async (p: Planning, query: string, caller = integrator) => {
    const planned = await p.plan({ query }, caller);
    return Array.isArray(planned) ? planned.map((e) => e.extensions.code) : 'kind' in planned ? planned.kind : 'subscription';
  };

  it('plans a subscription, and a query sent over the socket as one to run once', async () => {
    expect(await codes(planning(20_000), LIGHT)).toBe('subscription');
    expect(await codes(planning(20_000), '{ changeEventsHead }')).toBe('single');
  });

  it('refuses an invalid document with its validation errors', async () => {
    expect(await codes(planning(20_000), 'subscription { changeEvents { nope } }')).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses a caller without the scopes the document needs', async () => {
    expect(await codes(planning(20_000), LIGHT, { ...integrator, scopes: ['person:read'] })).toEqual(['FORBIDDEN']);
  });

  it('hides "Did you mean" when introspection is off', async () => {
    const query = 'subscription { changeEvents { cursr } }';
    const shown = await planning(20_000).plan({ query }, integrator);
    const hidden = await planning(20_000, { hideSuggestions: true }).plan({ query }, integrator);
    expect((shown as Error[])[0]!.message).toMatch(/Did you mean/);
    expect((hidden as Error[])[0]!.message).not.toMatch(/Did you mean/);
  });
});
