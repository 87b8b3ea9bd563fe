/**
 * The README's "For integrators" snippet, verbatim between the README markers (a unit test compares
 * them; test/e2e/subscriptions-resume.test.ts runs it): follow folkreg's change events with
 * graphql-ws's own client, reconnecting after any close and resuming from the last cursor received.
 */
// README:start
import { createClient, type Client, type ClientOptions } from 'graphql-ws';

/** A client that reconnects after any close, with a fresh token on every connect (4419: token expired). */
export function folkregClient(url: string, token: () => Promise<string>, options: Partial<ClientOptions> = {}): Client {
  return createClient({
    url, // wss://…/graphql
    connectionParams: async () => ({ authorization: `Bearer ${await token()}` }),
    retryAttempts: Infinity,
    ...options, // e.g. webSocketImpl: WebSocket from 'ws' on Node 20
  });
}

export interface ChangeEvent {
  cursor: string;
  type: string;
  [field: string]: unknown;
}

/**
 * Every change event after `after`, each exactly once, across reconnects. graphql-ws re-sends a
 * subscription's *original* payload after a reconnect, which would replay from the original `after`:
 * so the payload's `after` moves to each event's cursor as it arrives, and a reconnect resumes there.
 * Keep the last cursor durably too, to start there after your own restart. Returns the stop function.
 */
export function followChangeEvents(
  client: Client,
  selection: string, // e.g. 'type occurredAt person { name { givenNames } }'
  after: string | null,
  onEvent: (event: ChangeEvent, errors?: readonly unknown[]) => void,
  onEnd: (reason: unknown) => void = () => {},
): () => void {
  const request = {
    query: `subscription Follow($after: String) { changeEvents(after: $after) { cursor ${selection} } }`,
    variables: { after },
  };
  return client.subscribe<{ changeEvents: ChangeEvent }>(request, {
    next(result) {
      const event = result.data?.changeEvents;
      if (!event) return onEnd(result.errors); // the stream ends with this result (e.g. a bad cursor)
      request.variables.after = event.cursor; // what a reconnect re-sends
      onEvent(event, result.errors); // errors: fields masked for you (PROTECTED_IDENTITY), by path
    },
    error: onEnd, // a close graphql-ws does not retry, or errors refusing the subscription
    complete: () => onEnd(null),
  });
}
// README:end
