/**
 * A subgraph's Prometheus metrics, served at `/metrics` by subgraphs/shared/server.ts (no gateway token,
 * like `/healthz`): HTTP requests, GraphQL operations per (bounded) operation name and type, errors by code
 * (refused gateway tokens included), faults, the database pool's connections in use and waiting, and the process metrics (kernel/metrics.ts). The README's "Metrics" lists them all.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, type Registry } from 'prom-client';
import { GraphQLMetrics, HttpMetrics, poolGauges, serverRegistry, type PoolReadings } from '../../kernel/metrics.js';

/** Paths a subgraph answers (anything else is the `other` route). */
const SUBGRAPH_ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics']);

/** One subgraph server's registry and the hooks its server reports through. */
export class SubgraphMetrics {
  readonly registry: Registry = serverRegistry();
  readonly http: HttpMetrics;
  private readonly graphql: GraphQLMetrics;
  private readonly faults: Counter<'kind'>;

  constructor() {
    this.http = new HttpMetrics(this.registry, SUBGRAPH_ROUTES);
    // The gateway's planned fetches are named after its clients' operations: bounded like the gateway's.
    this.graphql = new GraphQLMetrics(this.registry);
    this.faults = new Counter({
      name: 'folkreg_subgraph_faults_total',
      help: 'Faults of a subgraph answered as errors: database unavailable, or an internal error.',
      labelNames: ['kind'],
      registers: [this.registry],
    });
  }

  /** Reads the database pool's gauges from `pool` at each scrape. */
  watchPool(pool: PoolReadings): void {
    poolGauges(this.registry, pool);
  }

  /** An error sent before execution (a refused gateway token), by its code. */
  get error(): (code: unknown) => void {
    return this.graphql.error;
  }

  /** A fault (what `maskInternalError` hides from the caller): `database` or `internal`. */
  fault(kind: 'database' | 'internal'): void {
    this.faults.inc({ kind });
  }

  /** Apollo Server plugin timing every operation and counting its errors by code. */
  plugin<C extends BaseContext>(): ApolloServerPlugin<C> {
    return this.graphql.plugin<C>();
  }
}
