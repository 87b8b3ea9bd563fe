/**
 * # gateway/webhooks — change events pushed to integrators' endpoints (README "Delivery" → "Webhooks")
 *
 * - `worker.ts` — the delivery worker each gateway runs: leases, reads through the pipeline as the owner,
 *   signs (Standard Webhooks), POSTs, reports; backoff and pause; the aggregated metrics.
 * - `sender.ts` — the POST under the endpoint rules: https, public addresses only (checked on the very
 *   addresses connected to), no redirects, a timeout, the answer's body never read into memory.
 *
 * The webhooks themselves (endpoint, secret, position, lease) are the subscription subgraph's rows
 * (`subgraphs/subscription/webhooks.ts`); this folder never touches its tables.
 */
import type { ApolloServer } from '@apollo/server';
import { Supergraph } from '@apollo/federation-internals';
import type { Registry } from 'prom-client';
import type { Caller } from '../../kernel/caller.js';
import type { WebhookConfig } from '../../kernel/config.js';
import type { GatewayTokenSigner } from '../../kernel/gateway-token.js';
import type { Authorization } from '../authorization.js';
import type { GatewayContext } from '../engine.js';
import type { Limits } from '../limits/index.js';
import type { CallerIdentity } from '../policy.js';
import { SubgraphClient, type SubgraphTlsOptions } from '../subgraph-client.js';
import type { HeadWatcher } from '../websocket/head.js';
import { pipelineRunner } from '../websocket/pipeline.js';
import { Planning } from '../websocket/planning.js';
import { WEBHOOK_DEFAULTS, WebhookWorker, type WebhookOptions } from './worker.js';

export { WEBHOOK_DEFAULTS, WEBHOOK_MESSAGE_TYPE, WEBHOOK_SELECTION, retryDelayMs, type WebhookOptions, type WorkerStats } from './worker.js';

export interface WebhookParts {
  apollo: ApolloServer<GatewayContext>;
  supergraphSdl: string;
  subscriptionUrl: string;
  signer: GatewayTokenSigner;
  subgraphTls?: SubgraphTlsOptions;
  subgraphTimeoutMs?: number;
  toCaller(identity: CallerIdentity, purpose: string | undefined): Caller;
  authorization: Authorization;
  limits: Limits;
  hideSuggestions: boolean;
  registry: Registry;
  /** The gateway's one head watcher (shared with the websocket layer; its owner stops it after the worker). */
  head: HeadWatcher;
}

/** The running worker: its counts (tests), and `stop`. */
export interface WebhookService {
  readonly worker: WebhookWorker;
  stop(): Promise<void>;
}

/** Starts this gateway's delivery worker. */
export function startWebhooks(parts: WebhookParts, options: Partial<WebhookOptions> = {}): WebhookService {
  const settings = { ...WEBHOOK_DEFAULTS, ...options };
  const schema = Supergraph.build(parts.supergraphSdl).apiSchema().toGraphQLJSSchema();
  const run = pipelineRunner(parts.apollo);
  // The message's document is the gateway's own, not a client's text: no trusted-document check applies to it.
  const planning = new Planning(schema, {
    limits: parts.limits,
    authorization: parts.authorization,
    trustedDocuments: null,
    hideSuggestions: parts.hideSuggestions,
    batchSize: settings.batchSize,
  });
  const { head } = parts;
  const subscriptionSubgraph = new SubgraphClient('subscription', parts.subscriptionUrl, parts.signer, parts.subgraphTls, parts.subgraphTimeoutMs);
  const worker = new WebhookWorker({ run, planning, subscriptionSubgraph, toCaller: parts.toCaller, head, registry: parts.registry }, settings);
  worker.start();
  return {
    worker,
    async stop() {
      await worker.stop();
      await subscriptionSubgraph.close();
    },
  };
}

/** The worker's options from the configuration (`WEBHOOK_*`); `false` when WEBHOOK_DELIVERY is off. */
export function webhookOptionsOf(config: WebhookConfig): Partial<WebhookOptions> | false {
  if (!config.enabled) return false;
  const { enabled: _enabled, ...options } = config;
  return options;
}
