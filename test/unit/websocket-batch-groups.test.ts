import { Supergraph } from '@apollo/federation-internals';
import type { FormattedExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type Caller } from '../../kernel/caller.js';
import { Authorization } from '../../gateway/authorization.js';
import { BatchGroups, groupSizes } from '../../gateway/websocket/batch-groups.js';
import type { Batch } from '../../gateway/websocket/batch-query.js';
import { MAX_GROUP } from '../../gateway/websocket/group-query.js';
import { OperationPlanner, type DeliveryPlan } from '../../gateway/websocket/operation-plan.js';
import type { RunQuery } from '../../gateway/websocket/pipeline.js';
import { readSupergraph } from '../../schema/compose.js';

// As the gateway builds it (the engine's SDL: `@requiresScopes` read, its SECURITY link dropped).
const schema = Supergraph.build(new Authorization(readSupergraph()).engineSupergraphSdl).apiSchema().toGraphQLJSSchema();
const planner = new OperationPlanner(schema);
const integrator: Caller = { ...ANONYMOUS, subject: 'integrator', client: 'acme', scopes: ['events:read'] };

/** A plan of `subscription { moves: changeEvents(filter: { types: [MOVE] }) { cursor type } }`. */
function plan(): DeliveryPlan {
  const planned = planner.plan({ query: 'subscription Moves { moves: changeEvents(filter: { types: [MOVE] }) { cursor type } }' });
  if (!('kind' in planned) || planned.kind !== 'subscription') throw new Error(`not a subscription plan: ${JSON.stringify(planned)}`);
  return planned;
}

/**
 * The subscription subgraph as a pipeline run sees it: each alias `f<i>` answers one event after its own
 * cursor (`<after>+1`); a cursor `bad` is refused, which nulls the whole result (the field is non-null).
 */
function log() {
  const runs: { feeds: number; caller: string }[] = [];
  const run: RunQuery = async (_query, variables, caller) => {
    const afters = Object.entries(variables)
      .filter(([name]) => name.endsWith('___feedAfter'))
      .map(([name, after]) => [Number(/^f(\d+)_/.exec(name)![1]), after as string] as const);
    runs.push({ feeds: afters.length, caller: caller.subject });
    const bad = afters.find(([, after]) => after === 'bad');
    if (bad) return { data: null, errors: [{ message: 'Invalid cursor.', path: [`f${bad[0]}`], extensions: { code: 'BAD_USER_INPUT' } }] };
    const data = Object.fromEntries(
      afters.map(([i, after]) => [
        `f${i}`,
        { edges: [{ node: { cursor: `${after}+1`, type: 'MOVE' } }], pageInfo: { endCursor: `${after}+1`, hasNextPage: false } },
      ]),
    );
    return { data } satisfies FormattedExecutionResult;
  };
  return { run, runs };
}

const cursorOf = (batch: Batch | { errors: unknown[] }) => ('errors' in batch ? 'errors' : batch.endCursor);

describe('groupSizes: the feeds asking in one turn, split into runs', () => {
  const cases: [count: number, maxGroup: number, sizes: number[]][] = [
    [0, 32, []],
    [1, 32, [1]],
    [13, 32, [8, 4, 1]],
    [32, 32, [32]],
    [33, 32, [32, 1]],
    [70, 32, [32, 32, 4, 2]],
    [7, 4, [4, 2, 1]],
    [3, 1, [1, 1, 1]],
  ];
  for (const [count, maxGroup, sizes] of cases) {
    it(`${count} feeds, at most ${maxGroup} a run: ${sizes.join(' + ') || 'no run'}`, () => {
      expect(groupSizes(count, maxGroup)).toEqual(sizes);
      // Powers of two only: each size is a query text Apollo plans once.
      for (const size of sizes) expect(Math.log2(size) % 1).toBe(0);
    });
  }
});

describe('BatchGroups: feeds of one caller and document read together', () => {
  it('reads 13 feeds asking in one turn with runs of 8, 4 and 1; each gets its own batch', async () => {
    const { run, runs } = log();
    const groups = new BatchGroups(run);
    const p = plan();
    const batches = await Promise.all(Array.from({ length: 13 }, (_, i) => groups.read('acme/moves', p, integrator, `c${i}`, 100)));
    expect(runs.map((r) => r.feeds)).toEqual([8, 4, 1]);
    expect([groups.runs, groups.batches]).toEqual([3, 13]);
    expect(batches.map(cursorOf)).toEqual(Array.from({ length: 13 }, (_, i) => `c${i}+1`));
    expect((batches[5] as Batch).events).toEqual([{ data: { moves: { cursor: 'c5+1', type: 'MOVE' } } }]);
  });

  it('never puts two callers (or two documents) in one run', async () => {
    const { run, runs } = log();
    const groups = new BatchGroups(run);
    const other: Caller = { ...integrator, subject: 'other', client: 'other' };
    await Promise.all([groups.read('acme/moves', plan(), integrator, 'a', 100), groups.read('other/moves', plan(), other, 'b', 100)]);
    expect(runs).toEqual([
      { feeds: 1, caller: 'integrator' },
      { feeds: 1, caller: 'other' },
    ]);
  });

  it('with maxGroup 1, reads every feed with a run of its own', async () => {
    const { run, runs } = log();
    const groups = new BatchGroups(run, 1);
    await Promise.all(Array.from({ length: 3 }, (_, i) => groups.read('acme/moves', plan(), integrator, `c${i}`, 100)));
    expect(runs.map((r) => r.feeds)).toEqual([1, 1, 1]);
  });

  it('one feed’s refused cursor ends that feed alone: the others are read again without it', async () => {
    const { run, runs } = log();
    const groups = new BatchGroups(run);
    const p = plan();
    const batches = await Promise.all(['c0', 'bad', 'c2', 'c3'].map((after) => groups.read('acme/moves', p, integrator, after, 100)));
    expect(batches.map(cursorOf)).toEqual(['c0+1', 'errors', 'c2+1', 'c3+1']);
    const refused = batches[1] as { errors: { path?: readonly (string | number)[]; extensions: Record<string, unknown> }[] };
    expect(refused.errors.map((e) => [e.extensions.code, e.path])).toEqual([['BAD_USER_INPUT', ['moves']]]);
    expect(runs.map((r) => r.feeds)).toEqual([4, 3]);
  });

  it(`groups at most MAX_GROUP (${MAX_GROUP}) feeds a run, even when told more`, () => {
    // attachSubscriptions clamps `feed.maxGroup` to 1…MAX_GROUP; the group query has no text beyond it.
    expect(() => plan().group.text(MAX_GROUP + 1)).toThrow(RangeError);
  });
});
