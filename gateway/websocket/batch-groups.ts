/**
 * Batch groups: the feeds that ask for a batch in the same turn, grouped by caller and document and split
 * into groups of powers of two, each read by one run of its `GroupQuery`.
 */
import type { GraphQLError } from 'graphql';
import type { Caller } from '../../kernel/caller.js';
import { AFTER_VARIABLE, FIRST_VARIABLE, type Batch } from './batch-query.js';
import { MAX_GROUP, READ_AGAIN, splitGroup } from './group-query.js';
import type { DeliveryPlan } from './operation-plan.js';
import type { RunQuery } from './pipeline.js';

interface Request {
  plan: DeliveryPlan;
  caller: Caller;
  after: string | null;
  first: number;
  resolve(batch: Batch | { errors: GraphQLError[] }): void;
  reject(err: unknown): void;
}

/**
 * Reads the batches of many feeds with few pipeline runs. The feeds a tap stretch wakes all ask for their
 * batch in the same turn of the event loop; the requests of one turn that share a caller and a document
 * (`key`) are read by one run of `GroupQuery` (up to `MAX_GROUP` feeds a run), so the federation plan, the
 * subgraph fetches (one `_entities` call per subgraph for all their events), masking and audit are done
 * once for all of them, under the same caller's rules as for each alone.
 *
 * It changes how a batch is read, not which: each feed still asks with its own cursor, at most one batch
 * at a time, and gets back exactly its own alias's part (its events, its `endCursor`, its errors).
 */
export class BatchGroups {
  /** Pipeline runs that read feed batches. */
  runs = 0;
  /** Feed batches read (one per feed per run it was in). */
  batches = 0;
  private pending = new Map<string, Request[]>();
  private scheduled = false;

  constructor(
    private readonly run: RunQuery,
    /** Feeds one run reads at most (1 to `MAX_GROUP`). @default 32 // MAX_GROUP */
    private readonly maxGroup = MAX_GROUP,
  ) {}

  /** Reads `plan`'s batch after `after` as `caller`, with the other feeds of `key` that ask in this turn. */
  read(key: string, plan: DeliveryPlan, caller: Caller, after: string | null, first: number): Promise<Batch | { errors: GraphQLError[] }> {
    return new Promise((resolve, reject) => {
      let list = this.pending.get(key);
      if (!list) this.pending.set(key, (list = []));
      list.push({ plan, caller, after, first, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the microtasks of this turn: every feed a stretch woke has asked by then.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const pending = this.pending;
    this.pending = new Map();
    for (const requests of pending.values()) {
      let i = 0;
      for (const size of groupSizes(requests.length, this.maxGroup)) {
        void this.readGroup(requests.slice(i, i + size));
        i += size;
      }
    }
  }

  private async readGroup(requests: Request[]): Promise<void> {
    this.runs++;
    this.batches += requests.length;
    const { plan, caller } = requests[0]!;
    const variables = Object.assign(
      {},
      ...requests.map((r, i) => plan.group.variables(i, { ...r.plan.variables, [AFTER_VARIABLE]: r.after, [FIRST_VARIABLE]: r.first })),
    ) as Record<string, unknown>;
    let outcomes: ReturnType<typeof splitGroup>;
    try {
      const result = await this.run(plan.group.text(requests.length), variables, caller, plan.operationName);
      outcomes = splitGroup(
        result,
        requests.map((r) => r.plan.responseKey),
      );
    } catch (err) {
      for (const r of requests) r.reject(err);
      return;
    }
    const again: Request[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome === READ_AGAIN) again.push(requests[i]!);
      else requests[i]!.resolve(outcome);
    }
    // Only when another feed's failure took their data: each time fewer, so this ends.
    if (again.length) await this.readGroup(again);
  }
}

/**
 * How `count` requests of one caller and document are split into runs: the largest powers of two up to
 * `maxGroup`, largest first (13 requests: 8 + 4 + 1). Each size is a query text Apollo plans the first
 * time it runs, synchronously, stalling every subscription for up to a second: six texts per document
 * are planned once (in the first seconds), thirty-two sizes kept appearing for minutes.
 */
export function groupSizes(count: number, maxGroup: number): number[] {
  const sizes: number[] = [];
  for (let left = count; left > 0;) {
    let size = 1;
    while (size * 2 <= Math.min(maxGroup, left)) size *= 2;
    sizes.push(size);
    left -= size;
  }
  return sizes;
}
