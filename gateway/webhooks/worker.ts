/**
 * The delivery worker: every gateway runs one. It leases due webhooks from the subscription subgraph (one
 * row per subscription, `FOR UPDATE SKIP LOCKED`: any number of gateways share the work and never hold one
 * subscription at once), reads each one's next batch THROUGH the gateway's pipeline as the webhook's owner
 * (the websocket layer's planning: limits, scopes, masking, audit — exactly what that owner gets from a
 * pull or a websocket), signs it as a Standard Webhooks message and POSTs it, then reports the outcome.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { GraphQLError } from 'graphql';
import { Webhook } from 'standardwebhooks';
import type { Caller } from '../../kernel/caller.js';
import { componentLog, errorFields } from '../../kernel/log.js';
import { leaseOwner, WEBHOOK_WORKER_SCOPE, WEBHOOK_WORKER_SUBJECT, type WebhookLease } from '../../kernel/webhooks.js';
import type { CallerIdentity } from '../policy.js';
import type { SubgraphClient } from '../subgraph-client.js';
import type { HeadWatcher } from '../websocket/head.js';
import { AFTER_VARIABLE, FIRST_VARIABLE, splitBatch } from '../websocket/batch-query.js';
import type { DeliveryPlan } from '../websocket/operation-plan.js';
import type { Planning } from '../websocket/planning.js';
import type { RunQuery } from '../websocket/pipeline.js';
import { WebhookSender, type EndpointRules } from './sender.js';

const log = componentLog('webhooks');

/** How webhooks are delivered (README "Configuration": `WEBHOOK_*`). */
export interface WebhookOptions extends EndpointRules {
  /** Failed attempts of one batch in a row after which the webhook pauses. @default 10 // `WEBHOOK_MAX_ATTEMPTS` */
  maxAttempts: number;
  /** First retry delay; each further one doubles, up to `retryMaxMs`, with jitter (half of it random). @default 1_000 // `WEBHOOK_RETRY_BASE_MS` */
  retryBaseMs: number;
  /** Longest retry delay. @default 3_600_000 // 1 hour, `WEBHOOK_RETRY_MAX_MS` */
  retryMaxMs: number;
  /** Batches one gateway delivers at once (to different subscriptions). @default 8 */
  concurrency: number;
  /** Lease of one batch: covers reading it (the request deadline) and sending it (`timeoutMs`), with room. @default 60_000 // 1 minute */
  leaseMs: number;
  /** Events per message at most (fewer when the owner's `maxCost` says so). @default 100 */
  batchSize: number;
  /** How often due retries of other gateways and expired leases are looked for, besides commits. @default 5_000 // 5 seconds */
  pollMs: number;
}

export const WEBHOOK_DEFAULTS: WebhookOptions = {
  allowHttp: false,
  allowPrivateAddresses: false,
  timeoutMs: 10_000,
  maxAttempts: 10,
  retryBaseMs: 1_000,
  retryMaxMs: 3_600_000,
  concurrency: 8,
  leaseMs: 60_000,
  batchSize: 100,
  pollMs: 5_000,
};

/**
 * What each event of a message carries: the event's own fields and its person's id (fetch more of the
 * person with a query). Read as the owner: masked fields are null, with their PROTECTED_IDENTITY errors.
 */
export const WEBHOOK_SELECTION = `cursor type cprChangeCode occurredAt recordedAt identifier birthDate municipalityBefore municipalityAfter person { id }
  details { __typename
    ... on AddressChangeDetails { addressKind validFrom }
    ... on NameChangeDetails { validFrom }
    ... on ContactDetailsChangeDetails { version changedFields }
    ... on FamilyRelationChangeDetails { relationAction relationKind relationId relativePerson { id } }
    ... on ReserveIdentityChangeDetails { reserveIdentityAction reserveIdentityId reserveIdentityKind targetKind targetValue } }`;
const WEBHOOK_DOCUMENT = `subscription Webhook($subscriptionId: ID!) { changeEvents(subscriptionId: $subscriptionId) { ${WEBHOOK_SELECTION} } }`;

/** The Standard Webhooks `type` of a message. */
export const WEBHOOK_MESSAGE_TYPE = 'change_events';

type Lease = WebhookLease;

/** What a worker needs of the gateway. */
export interface WorkerParts {
  run: RunQuery;
  planning: Planning;
  /** The subscription subgraph, called directly with the worker's own caller for the lease operations. */
  subscriptionSubgraph: SubgraphClient;
  toCaller(identity: CallerIdentity, purpose: string | undefined): Caller;
  /** Wakes the worker when the log moves. */
  head: HeadWatcher;
  registry: Registry;
}

/** Exponential backoff with jitter: the n-th retry waits between half of and the whole of `base·2ⁿ⁻¹` (at most `max`). */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const CLAIM = `mutation Claim($leaseMs: Int!, $limit: Int!) { claimWebhookDeliveries(leaseMs: $leaseMs, limit: $limit) {
  subscriptionId leaseToken endpoint secret ownerSubject ownerClient ownerScopes ownerRole ownerPurpose after batchCount attempts } }`;
const COMPLETE = `mutation Complete($outcome: WebhookDeliveryOutcome!) { completeWebhookDelivery(outcome: $outcome) }`;

/** Error codes of a batch read that retrying cannot fix: the webhook pauses at once with it. */
const FINAL_CODES = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'GRAPHQL_VALIDATION_FAILED', 'UNAUTHENTICATED']);

export interface WorkerStats {
  /** Messages the receivers accepted. */
  delivered: number;
  /** Attempts that failed. */
  failed: number;
  /** Leases reported back too late (another worker may have taken over). */
  lostLeases: number;
}

export class WebhookWorker {
  readonly stats: WorkerStats = { delivered: 0, failed: 0, lostLeases: 0 };
  private readonly options: WebhookOptions;
  private readonly sender: WebhookSender;
  private readonly caller: Caller;
  private readonly inFlight = new Set<Promise<void>>();
  /** Plans per owner and subscription: a plan is priced (and charged) once, not per batch. */
  private readonly plans = new Map<string, { plan: DeliveryPlan; batchSize: number } | GraphQLError[]>();
  private stopped = false;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** Resolved by `stop()`: the wait for the first head ends with it (a head never read must not hold the stop). */
  private stopRequested!: () => void;
  private readonly stopSignal = new Promise<void>((ok) => (this.stopRequested = ok));
  private timer: NodeJS.Timeout | null = null;
  private readonly metrics: { attempts: Counter<'outcome'>; events: Counter; lag: Histogram; paused: Counter };

  constructor(
    private readonly parts: WorkerParts,
    options: Partial<WebhookOptions> = {},
  ) {
    this.options = { ...WEBHOOK_DEFAULTS, ...options };
    this.sender = new WebhookSender(this.options);
    this.caller = parts.toCaller(
      { subject: WEBHOOK_WORKER_SUBJECT, client: 'folkreg-gateway', scopes: [WEBHOOK_WORKER_SCOPE], role: null, purpose: null },
      undefined,
    );
    const registers = [parts.registry];
    // Aggregated over every subscription: a label per subscription id would grow without bound; each
    // webhook's own lag and failures are in its GraphQL status (`EventSubscription.webhook`).
    this.metrics = {
      attempts: new Counter({
        name: 'folkreg_webhook_attempts_total',
        help: 'Webhook POSTs, by outcome (delivered, failed).',
        labelNames: ['outcome'],
        registers,
      }),
      events: new Counter({ name: 'folkreg_webhook_events_delivered_total', help: 'Change events in webhook messages the receivers accepted.', registers }),
      paused: new Counter({
        name: 'folkreg_webhook_pauses_total',
        help: 'Webhooks paused (too many failed attempts, or an endpoint the rules refuse).',
        registers,
      }),
      lag: new Histogram({
        name: 'folkreg_webhook_lag_seconds',
        help: "Seconds from a change event's write (recordedAt) to its webhook message's acceptance by the receiver.",
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
        registers,
      }),
    };
    const inFlight = this.inFlight;
    new Gauge({
      name: 'folkreg_webhook_deliveries_in_flight',
      help: 'Webhook batches this gateway is delivering now.',
      registers,
      collect() {
        this.set(inFlight.size);
      },
    });
  }

  /** Starts the loop (once). */
  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested();
    this.kick();
    await this.running;
    await Promise.allSettled([...this.inFlight]);
    if (this.timer) clearTimeout(this.timer);
    await this.sender.close();
  }

  private kick(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Wakes the loop at `at` (ms since the epoch), unless something wakes it earlier. */
  private kickAt(ms: number): void {
    const timer = setTimeout(() => this.kick(), Math.max(0, ms));
    timer.unref();
  }

  private async loop(): Promise<void> {
    // Until the first head is read: with the subscription subgraph out of reach from the start, the head
    // is never read, and waiting on it alone held the gateway's close() for ever (subgraph-access.test.ts, TLS).
    await Promise.race([this.parts.head.ready().catch(() => undefined), this.stopSignal]);
    let claimFailures = 0;
    while (!this.stopped) {
      const version = this.parts.head.version;
      const free = this.options.concurrency - this.inFlight.size;
      let claimed = 0;
      if (free > 0) {
        // The lease runs from when the subgraph took it, which is after this: time left is counted from here,
        // never from the answer (a claim answered late — a queued statement, a stalled loop — left less lease
        // than the answer's arrival would say, and a batch sent near the end could be taken over and sent twice).
        const claimedAt = Date.now();
        try {
          const leases = await this.claim(free);
          claimFailures = 0;
          claimed = leases.length;
          for (const lease of leases) {
            const delivery: Promise<void> = this.deliver(lease, claimedAt).finally(() => {
              this.inFlight.delete(delivery);
              this.kick();
            });
            this.inFlight.add(delivery);
          }
        } catch (err) {
          claimFailures += 1;
          log.warn({ err: errorFields(err), attempt: claimFailures }, 'webhook claim failed; retrying');
        }
      }
      if (this.stopped) return;
      if (claimed > 0 && this.inFlight.size < this.options.concurrency) continue;
      // After a failed claim only the timer wakes the loop, backing off up to pollMs: while the subscription
      // subgraph is out the head watcher answers at once, and waking on it spun this loop so hard that the
      // gateway stopped answering /readyz (test/e2e/gateway.test.ts, "reaches no subgraph at all").
      const backoffMs = claimFailures > 0 ? retryDelayMs(claimFailures, 100, this.options.pollMs) : null;
      await new Promise<void>((ok) => {
        this.wake = ok;
        this.timer = setTimeout(ok, backoffMs ?? this.options.pollMs);
        this.timer.unref();
        if (backoffMs === null) void this.parts.head.changedSince(version).then(ok);
      });
      if (this.timer) clearTimeout(this.timer);
    }
  }

  private async call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await this.parts.subscriptionSubgraph.process({
      request: { query, variables },
      context: { caller: this.caller },
    } as never);
    if (response.errors?.length || !response.data)
      throw new Error(`subscription subgraph refused ${query.slice(9, 17)}: ${response.errors?.[0]?.extensions?.code ?? 'no data'}`);
    return response.data as T;
  }

  private async claim(limit: number): Promise<Lease[]> {
    const data = await this.call<{ claimWebhookDeliveries: Lease[] }>(CLAIM, { leaseMs: this.options.leaseMs, limit });
    return data.claimWebhookDeliveries;
  }

  private async complete(outcome: Record<string, unknown>): Promise<void> {
    const data = await this.call<{ completeWebhookDelivery: boolean }>(COMPLETE, { outcome });
    if (!data.completeWebhookDelivery) this.stats.lostLeases++;
  }

  private ownerOf(lease: Lease): Caller {
    return this.parts.toCaller(leaseOwner(lease), undefined);
  }

  private async planFor(lease: Lease, owner: Caller) {
    const key = JSON.stringify([lease.subscriptionId, owner]);
    let planned = this.plans.get(key);
    if (!planned) {
      const result = await this.parts.planning.plan({ query: WEBHOOK_DOCUMENT, variables: { subscriptionId: lease.subscriptionId } }, owner);
      planned = Array.isArray(result) ? result : 'plan' in result ? result : [];
      if (this.plans.size >= 1_000) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(key, planned);
    }
    return planned;
  }

  private async deliver(lease: Lease, claimedAt: number): Promise<void> {
    const base = { subscriptionId: lease.subscriptionId, leaseToken: lease.leaseToken };
    try {
      const owner = this.ownerOf(lease);
      const planned = await this.planFor(lease, owner);
      if (Array.isArray(planned)) {
        return await this.failed(lease, null, `the subscription cannot be read: ${codeOf(planned)}`, true, lease.batchCount);
      }
      const first = Math.max(1, Math.min(planned.batchSize, this.options.batchSize, lease.batchCount ?? Infinity));
      const { plan } = planned;
      const result = await this.parts.run(plan.query, { ...plan.variables, [AFTER_VARIABLE]: lease.after, [FIRST_VARIABLE]: first }, owner, plan.operationName);
      const batch = splitBatch(result, plan.responseKey);
      if ('errors' in batch) {
        const final = batch.errors.some((e) => FINAL_CODES.has(String(e.extensions?.code)));
        return await this.failed(lease, null, `the events could not be read: ${codeOf(batch.errors)}`, final, lease.batchCount);
      }
      if (batch.events.length === 0) return await this.complete({ ...base, delivered: 0, endCursor: batch.endCursor });
      if (Date.now() + this.options.timeoutMs + 1_000 > claimedAt + this.options.leaseMs) {
        // Too little of the lease is left to send within it: another worker could take the row over meanwhile.
        return await this.failed(lease, null, 'the batch took too long to read', false, batch.events.length, 0);
      }
      const events = batch.events.map((e) => {
        const node = (e.data[plan.responseKey] ?? {}) as { cursor?: string };
        return { cursor: node.cursor!, event: node, ...(e.errors ? { errors: e.errors.map((x) => x.toJSON()) } : {}) };
      });
      const id = events.at(-1)!.cursor;
      const timestamp = new Date();
      const body = JSON.stringify({
        type: WEBHOOK_MESSAGE_TYPE,
        timestamp: timestamp.toISOString(),
        data: { subscriptionId: lease.subscriptionId, endCursor: batch.endCursor, events },
      });
      const signature = new Webhook(lease.secret).sign(id, timestamp, body);
      const sent = await this.sender.send(
        lease.endpoint,
        { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': signature },
        body,
      );
      if (!sent.ok) return await this.failed(lease, sent.status, sent.message, sent.final, batch.events.length);
      this.stats.delivered++;
      this.metrics.attempts.inc({ outcome: 'delivered' });
      this.metrics.events.inc(events.length);
      const now = Date.now();
      for (const e of batch.events) if (e.recordedAt !== undefined) this.metrics.lag.observe(Math.max(0, now - e.recordedAt) / 1000);
      await this.complete({ ...base, delivered: events.length, endCursor: batch.endCursor });
    } catch (err) {
      log.error({ err: errorFields(err) }, 'webhook delivery failed');
      // The lease expires by itself: another attempt follows then.
    }
  }

  /** Reports a failed attempt: retried after the backoff, or paused (after `maxAttempts`, or at once when `final`). */
  private async failed(lease: Lease, status: number | null, message: string, final: boolean, batchCount: number | null, retryInMs?: number): Promise<void> {
    const attempt = lease.attempts + 1;
    const pause = final || attempt >= this.options.maxAttempts;
    const delay = retryInMs ?? retryDelayMs(attempt, this.options.retryBaseMs, this.options.retryMaxMs);
    this.stats.failed++;
    this.metrics.attempts.inc({ outcome: 'failed' });
    if (pause) this.metrics.paused.inc();
    await this.complete({
      subscriptionId: lease.subscriptionId,
      leaseToken: lease.leaseToken,
      delivered: 0,
      batchCount,
      failure: { status, message, retryInMs: delay, pause },
    });
    if (!pause) this.kickAt(delay);
  }
}

function codeOf(errors: readonly { extensions?: Record<string, unknown> }[]): string {
  return [...new Set(errors.map((e) => String(e.extensions?.code ?? 'error')))].join(', ') || 'error';
}
