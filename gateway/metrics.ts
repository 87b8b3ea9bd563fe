/**
 * The gateway's Prometheus metrics: GraphQL requests per operation (an Apollo Server plugin), subgraph
 * fetches, errors by code, limit refusals, masking and audit counts, and the websocket layer's gauges.
 * Served at `/metrics` by gateway/server.ts (kernel/metrics.ts); the README's "Metrics" lists them all.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DURATION_BUCKETS, GraphQLMetrics, HttpMetrics, serverRegistry, type GraphQLAnswered, type GraphQLMetricsOptions } from '../kernel/metrics.js';
import type { EngineMetrics, GatewayContext } from './engine.js';
import type { SubscriptionStats } from './websocket/index.js';

/** Paths the gateway answers (anything else is the `other` route). */
const GATEWAY_ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics']);

/** The gateway's registry and the hooks the other modules report through. */
export class GatewayMetrics implements EngineMetrics {
  readonly registry: Registry = serverRegistry();
  readonly http: HttpMetrics;
  private readonly graphql: GraphQLMetrics;
  private readonly limitRefusals: Counter<'limit'>;
  private readonly maskedFields: Counter<'category'>;
  private readonly releases: Counter;
  private readonly auditFailures: Counter;
  private readonly fetchDuration: Histogram<'subgraph'>;
  private readonly fetchErrors: Counter<'subgraph' | 'code'>;
  private readonly commitToFrame: Histogram;
  private subscriptionStats: (() => SubscriptionStats) | null = null;

  constructor(options: GraphQLMetricsOptions = {}) {
    const registers = [this.registry];
    this.http = new HttpMetrics(this.registry, GATEWAY_ROUTES);
    this.graphql = new GraphQLMetrics(this.registry, options);
    this.limitRefusals = new Counter({
      name: 'folkreg_limit_refusals_total',
      help: 'Operations refused by a limit (its LIMITS_FILE name) or by the cost budget (costPerMinute), on every transport.',
      labelNames: ['limit'],
      registers,
    });
    this.maskedFields = new Counter({
      name: 'folkreg_masked_fields_total',
      help: 'Protected fields withheld from callers, by category.',
      labelNames: ['category'],
      registers,
    });
    this.releases = new Counter({
      name: 'folkreg_audited_releases_total',
      help: 'Protected fields released to entitled callers and recorded in the audit log.',
      registers,
    });
    this.auditFailures = new Counter({
      name: 'folkreg_audit_write_failures_total',
      help: 'Audit writes that failed (the releases were withheld instead).',
      registers,
    });
    this.fetchDuration = new Histogram({
      name: 'folkreg_subgraph_fetch_duration_seconds',
      help: 'Duration of the gateway’s fetches to each subgraph.',
      labelNames: ['subgraph'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.fetchErrors = new Counter({
      name: 'folkreg_subgraph_fetch_errors_total',
      help: 'Subgraph fetches that failed, by subgraph and the code the gateway answered with.',
      labelNames: ['subgraph', 'code'],
      registers,
    });
    this.commitToFrame = new Histogram({
      name: 'folkreg_event_commit_to_frame_seconds',
      help: "Seconds from a change event's write (recordedAt, its transaction's start) to its websocket frame being sent, once per frame.",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    // Read at scrape time from the websocket layer's own counts: nothing to keep in step.
    const stats = () => this.subscriptionStats?.();
    new Gauge({
      name: 'folkreg_websocket_connections',
      help: 'Open graphql-ws sockets.',
      registers,
      collect() {
        this.set(stats()?.sockets ?? 0);
      },
    });
    new Gauge({
      name: 'folkreg_websocket_subscriptions',
      help: 'Open change-event subscriptions over websocket.',
      registers,
      collect() {
        this.set(stats()?.subscribers ?? 0);
      },
    });
    new Gauge({
      name: 'folkreg_feeds',
      help: 'Upstream feeds reading the change-event log (identical live subscriptions share one).',
      registers,
      collect() {
        this.set(stats()?.feeds.length ?? 0);
      },
    });
    // Lag of the feeds as one number each (never per feed, subscriber or caller): the worst and the total.
    const lags = () => stats()?.lags ?? [];
    new Gauge({
      name: 'folkreg_feed_lag_events_max',
      help: 'Events of the log after the cursor of the feed furthest behind (log head minus its delivered cursor, as its last batch found it; counted up to 10,000).',
      registers,
      collect() {
        this.set(lags().reduce((max, l) => Math.max(max, l.events), 0));
      },
    });
    new Gauge({
      name: 'folkreg_feed_lag_events',
      help: 'Events of the log after each feed’s cursor, summed over the feeds (÷ folkreg_feeds: the mean lag).',
      registers,
      collect() {
        this.set(lags().reduce((sum, l) => sum + l.events, 0));
      },
    });
    new Gauge({
      name: 'folkreg_feed_lag_seconds_max',
      help: 'Seconds the feed furthest behind has had events to read without catching up (0 when every feed is at the head).',
      registers,
      collect() {
        this.set(lags().reduce((max, l) => Math.max(max, l.seconds), 0));
      },
    });
    new Counter({
      name: 'folkreg_feed_failed_batches_total',
      help: 'Feed batches that came back with errors (retried, or the stream ended).',
      registers,
      // The pool counts them; the counter takes its total at each scrape.
      collect() {
        this.reset();
        this.inc(stats()?.failedBatches ?? 0);
      },
    });
  }

  /** Reads the websocket gauges from `stats` at each scrape. */
  watchSubscriptions(stats: () => SubscriptionStats): void {
    this.subscriptionStats = stats;
  }

  /** An error sent to a client, by its code. */
  get error(): (code: unknown) => void {
    return this.graphql.error;
  }

  /** A change event's frame sent to a socket, `sinceWrittenMs` after the event was written (a clock behind the database's counts 0). */
  readonly eventSent = (sinceWrittenMs: number): void => {
    this.commitToFrame.observe(Math.max(0, sinceWrittenMs) / 1_000);
  };

  /** A refusal by the limit of that name (`maxDepth`, …, `costPerMinute`). */
  readonly limitRefused = (limit: string): void => {
    this.limitRefusals.inc({ limit });
  };

  masked(category: string): void {
    this.maskedFields.inc({ category });
  }

  released(fields: number): void {
    this.releases.inc(fields);
  }

  auditFailed(): void {
    this.auditFailures.inc();
  }

  subgraphFetch(subgraph: string): (errorCode?: string) => void {
    // performance.now, not prom-client's startTimer (an hrtime pair and a label merge per fetch).
    const started = performance.now();
    return (errorCode) => {
      this.fetchDuration.observe({ subgraph }, (performance.now() - started) / 1_000);
      if (errorCode) this.fetchErrors.inc({ subgraph, code: this.graphql.code(errorCode) });
    };
  }

  /**
   * Apollo Server plugin timing client operations (the websocket layer's own runs, `preauthorized`, are
   * not client requests) and counting the errors of every result by code; `answered` is told of every
   * response (the request log's record), so one plugin serves both.
   */
  plugin(answered?: GraphQLAnswered<GatewayContext>): ApolloServerPlugin<GatewayContext> {
    return this.graphql.plugin<GatewayContext>((context) => context.preauthorized === true, answered);
  }
}
