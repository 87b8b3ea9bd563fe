/**
 * # gateway/websocket — change events delivered over graphql-ws
 *
 * `subscription { changeEvents(…) }` served on the gateway's `/graphql` over websocket (the graphql-ws
 * protocol on the `ws` library). Not to be confused with `subgraphs/subscription/`, which keeps the event
 * log and the durable subscriptions: this layer only reads that log, through the gateway's own pipeline
 * (plan, masking, audit), and delivers it to sockets.
 *
 * A socket and its subscribe pass through:
 *
 * 1. `protocol.ts` — the vocabulary: close codes (`SubscriptionCloseCode`), `connection_init` and
 *    `subscribe` payloads.
 * 2. `sockets.ts` — the server wiring: graphql-ws's `useServer` over `ws`; authenticates at
 *    `connection_init`, bounds sockets per client, subscriptions and refusals per socket, closes on token
 *    expiry and at shutdown.
 * 3. `planning.ts` — a `subscribe` message to a plan: registered document, limits and budget, validation,
 *    scopes; sizes the batches so that one costs at most the caller's `maxCost`.
 * 4. `operation-plan.ts` — a document and its variables to a plan (parsed once per text; the filter parsed
 *    as the subgraph parses it), with `batch-query.ts`: the selection rewritten as a page of
 *    `Query.changeEvents`.
 * 5. `feed-pool.ts` — the feed the subscription reads (identical live subscriptions share one), and
 *    `precheck.ts`: the filter the tap may leave that feed asleep by.
 *
 * Then each event, from the commit to the socket:
 *
 * 6. `head.ts` — the head poll: one long-poll of `changeEventsHead` per gateway (shared with the webhook
 *    worker) learns of the commit.
 * 7. `log-tap.ts` — reads the new stretch of the log once per gateway and wakes the feeds whose filter an
 *    event of it may match (`precheck.ts`).
 * 8. `feed.ts` — each woken feed asks for the batch after its cursor…
 * 9. `batch-groups.ts` — …the feeds asking in one turn, grouped by caller and document, split into runs of
 *    1, 2, 4 … 32…
 * 10. `group-query.ts` — …each run one query shared by its feeds (an alias each), run by `pipeline.ts`
 *     through Apollo Server, its result split back per feed and per event (`batch-query.ts`).
 * 11. `subscriber.ts` — the feed serialises each event once (`SharedFrame`) and hands a batch's frames to
 *     its subscribers: each writes them, in order, to its socket under its own subscription id
 *     (`sockets.ts`'s `frameSink`; `raw-frame.ts`: each frame one buffer below `ws`'s framing), bounded by
 *     the frames the network has not taken, 1,000 subscribers per event-loop turn; a slow one overflows
 *     and is closed alone.
 *
 * And `over-http.ts` tells a subscription sent over HTTP where they are served. This file assembles the
 * rest: `attachSubscriptions`.
 */
import type { Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { Supergraph } from '@apollo/federation-internals';
import type { ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import type { Caller } from '../../kernel/caller.js';
import type { Authenticate } from '../auth.js';
import type { Authorization } from '../authorization.js';
import type { GatewayContext } from '../engine.js';
import type { Limits } from '../limits/index.js';
import type { CallerIdentity } from '../policy.js';
import type { TrustedDocuments } from '../trusted-documents.js';
import { BatchGroups } from './batch-groups.js';
import { writtenAtOf } from './batch-query.js';
import { FEED_DEFAULTS, type FeedLag, type FeedOptions } from './feed.js';
import { FeedPool } from './feed-pool.js';
import { MAX_GROUP } from './group-query.js';
import type { HeadWatcher } from './head.js';
import { LogTap, readStretchAs } from './log-tap.js';
import { pipelineRunner, toGraphQLError } from './pipeline.js';
import { Planning } from './planning.js';
import { PersonFollower } from './precheck.js';
import { serveSockets } from './sockets.js';

export { SubscriptionCloseCode } from './protocol.js';
export { refuseSubscriptionsOverHttp } from './over-http.js';

/** What `attachSubscriptions` serves subscriptions with. */
export interface SubscriptionOptions {
  /** The gateway's Apollo Server: every event batch runs through its pipeline (plan, masking, audit). */
  apollo: ApolloServer<GatewayContext>;
  /** The composed supergraph: subscribes are validated against its API schema. */
  supergraphSdl: string;
  /** Verifies the `authorization` of `connection_init`, as for HTTP requests. */
  authenticate: Authenticate;
  /** Turns a verified identity into the Caller, exactly as for HTTP requests. */
  toCaller(identity: CallerIdentity, purpose: string | undefined): Caller;
  /** The scope declarations every `subscribe` is checked against, before anything is planned or read. */
  authorization: Authorization;
  /** Registered documents: `subscribe` accepts `documentId` / the persisted-query hash, and enforces them like HTTP. */
  trustedDocuments: TrustedDocuments | null;
  /** Strip "Did you mean …" from the errors of `subscribe` (introspection off). */
  hideSuggestions: boolean;
  /** Feed tuning; each field's default is in `FeedOptions`. */
  feed?: Partial<FeedOptions>;
  /** The gateway's one head watcher (`gatewayHead`), shared with the webhook worker; stopped by its owner, not by `close`. */
  head: HeadWatcher;
  /** How long one head long-poll waits (`gatewayHead`'s `waitSeconds`). @default 20 // seconds */
  headWaitSeconds?: number;
  /** Largest incoming websocket message. @default 100_000 // bytes */
  maxMessageBytes?: number;
  /** Operation limits, cost budgets and socket bounds, as for HTTP. */
  limits: Limits;
  /** Told of each change event's frame as it is sent to a socket, with the ms since the event was written (`recordedAt`): metrics. @default undefined // none */
  eventSent?: (sinceWrittenMs: number) => void;
}

/** What the subscription layer is doing now (tests and metrics read it). */
export interface SubscriptionStats {
  /** Open sockets. */
  sockets: number;
  /** Subscribers per upstream feed. */
  feeds: number[];
  /** Subscribers of all feeds. */
  subscribers: number;
  /** How far each upstream feed is behind the head of the log. */
  lags: FeedLag[];
  /** Batches the feeds have read so far (one per feed and read). */
  batches: number;
  /**
   * Pipeline runs that read those batches: the feeds of one caller and document that ask in the same
   * turn (those one tap stretch woke) are read by one run.
   */
  batchRuns: number;
  /** Stretches of the log the tap has read so far (one query each, as the gateway's own caller). */
  tapReads: number;
  /** Feed batches that came back with errors (a subgraph down: retried; a bad cursor: the stream ends). */
  failedBatches: number;
}

/** The running subscription layer. */
export interface SubscriptionService {
  /** The numbers of `SubscriptionStats`, now. */
  stats(): SubscriptionStats;
  /** Resolves once `test` holds; re-checked whenever a subscription starts, a feed ends, a batch fails or a socket closes (tests wait on this, never on time). */
  until(test: (stats: SubscriptionStats) => boolean): Promise<void>;
  /** Closes every socket with 1012 (reconnect and resume), then stops. */
  close(): Promise<void>;
}

/** graphql-ws on the gateway's `/graphql`, on the same HTTP server. */
export function attachSubscriptions(server: Server, options: SubscriptionOptions): SubscriptionService {
  const schema: GraphQLSchema = Supergraph.build(options.supergraphSdl).apiSchema().toGraphQLJSSchema();
  const feedOptions: FeedOptions = { ...FEED_DEFAULTS, ...options.feed };
  const run = pipelineRunner(options.apollo);
  let waits: { test: (stats: SubscriptionStats) => boolean; ok: () => void }[] = [];
  const checkWaits = () => {
    const now = stats();
    waits = waits.filter((w) => (w.test(now) ? (w.ok(), false) : true));
  };

  // The gateway's own caller: it reads the tap and the persons a filter names.
  const system = options.toCaller({ subject: 'folkreg-gateway/subscriptions', client: 'folkreg-gateway', scopes: [], role: null, purpose: null }, undefined);
  const { head } = options;
  const tap = new LogTap(head, readStretchAs(run, system));
  const groups = new BatchGroups(run, Math.min(MAX_GROUP, Math.max(1, Math.floor(feedOptions.maxGroup))));
  const pool = new FeedPool({ head, tap, groups, persons: new PersonFollower(run, system), tapCaller: system, options: feedOptions, changed: checkWaits });
  const planning = new Planning(schema, { ...options, batchSize: feedOptions.batchSize });

  const sockets = serveSockets(server, {
    ...options,
    closed: checkWaits,
    sent(result) {
      const written = options.eventSent && writtenAtOf(result);
      if (written) options.eventSent!(Date.now() - written);
    },
    async subscribe(caller, payload, slow, sink) {
      const planned = await planning.plan(payload, caller);
      if (Array.isArray(planned)) return planned;
      if ('kind' in planned) {
        const plan = planned;
        const args: ExecutionArgs = { schema, document: plan.document, operationName: plan.operationName };
        const once = async (): Promise<ExecutionResult> => {
          const result = await run(plan.query, plan.variables, caller, plan.operationName);
          return { data: result.data as ExecutionResult['data'], ...(result.errors ? { errors: result.errors.map((e) => toGraphQLError(e)) } : {}) };
        };
        return { args, execution: { once } };
      }
      const { plan, batchSize } = planned;
      const subscriber = await pool.subscribe(plan, caller, batchSize, slow, sink);
      if (Array.isArray(subscriber)) return subscriber;
      return { args: { schema, document: plan.document, operationName: plan.operationName }, execution: { subscriber } };
    },
  });

  const stats = (): SubscriptionStats => {
    const sizes = pool.sizes();
    return {
      sockets: sockets.size,
      feeds: sizes,
      subscribers: sizes.reduce((a, b) => a + b, 0),
      lags: pool.lags(),
      batches: groups.batches,
      batchRuns: groups.runs,
      tapReads: tap.reads,
      failedBatches: pool.failedBatches,
    };
  };

  return {
    stats,
    until: (test) =>
      new Promise<void>((ok) => {
        waits.push({ test, ok });
        checkWaits();
      }),
    // The tap's wait on the head ends when the head's owner stops it (after this and the webhook worker).
    async close() {
      tap.stop();
      pool.stop();
      await sockets.close();
    },
  };
}
