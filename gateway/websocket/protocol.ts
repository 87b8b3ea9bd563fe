/**
 * The vocabulary of the gateway's websocket protocol (graphql-ws's, plus the gateway's own close codes):
 * every `close(…)` in this folder names one of these codes.
 */

/**
 * Close codes of the gateway's websocket subscriptions, beside graphql-ws's own (4400 invalid message,
 * 4401 subscribe before `connection_ack`, 4408 no `connection_init` in time, 4409 duplicate id, 4429
 * second `connection_init`). A client that keeps its last `cursor` resumes exactly once after any of
 * the retryable ones.
 */
export enum SubscriptionCloseCode {
  /** `connection_init` carried no `authorization`. Not retryable as is. */
  Unauthorized = 4401,
  /**
   * The token was rejected (signature, issuer, audience, or already expired at connect — even within
   * the clock skew HTTP tolerates). Not retryable as is: connect again with a fresh token.
   */
  Forbidden = 4403,
  /** The socket did not keep up: its bounded buffer of events overflowed. Reconnect and resume. */
  SlowConsumer = 4413,
  /** The token expired while the socket was open. Reconnect with a fresh token and resume. */
  TokenExpired = 4419,
  /**
   * More subscriptions at once on this socket than the gateway allows (`maxSubscriptionsPerSocket`,
   * default 100): a subscribe flood. Reconnect and subscribe to fewer, or share one subscription.
   */
  TooManySubscriptions = 4430,
  /** This client already has as many sockets open as allowed (`maxSocketsPerClient`, default 50). Close one first. */
  TooManySockets = 4431,
  /**
   * This socket sent more refused subscribes (unregistered document, missing scope, over a limit or the
   * budget, invalid document) than allowed (`maxRefusedSubscribesPerSocket`, default 20): a broken or
   * probing client. Not retryable as is: fix what the refusals said first.
   */
  TooManyRefusals = 4432,
  /** The gateway is shutting down or restarting (RFC 6455 "Service Restart"). Reconnect and resume. */
  ServiceRestart = 1012,
}

/** `connection_init` payload: `{ authorization: 'Bearer <JWT>', 'folkreg-purpose'?: '…' }`. */
export type ConnectionParams = {
  authorization?: unknown;
  'folkreg-purpose'?: unknown;
  [other: string]: unknown;
};

/** A `subscribe` message's payload, as graphql-ws hands it over (a registered document: `query: ""` and its id). */
export interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}
