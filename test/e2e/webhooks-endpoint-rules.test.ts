import { beforeAll, describe, expect, it, vi } from 'vitest';
import { appendChangeEvents } from '../../db/outbox.js';
import { useTestStack } from '../support/stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * A gateway with the production endpoint rules (no private addresses; http allowed here only so that a
 * refusal is for the address, not the scheme): a webhook pointed at the gateway's own loopback network is
 * never connected to; it pauses at once with the reason readable by its owner.
 */
const env = useTestStack({ stack: { webhooks: { allowHttp: true, pollMs: 100 } } });
const receiver = new WebhookReceiver();
let owner: string;

beforeAll(async () => {
  await receiver.start();
  owner = await env.stack.issue({ scope: 'folkreg:read events:subscribe', sub: 'integrator', client: 'integrator' });
  return () => receiver.stop();
});

const q = async (query: string, variables?: Record<string, unknown>) => {
  const res = await env.stack.queryAs(owner, query, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data;
};

describe('webhook endpoints on private addresses', () => {
  it.each([
    ['a loopback literal', (u: string) => u],
    ['a name that resolves to loopback', (u: string) => u.replace('127.0.0.1', 'localhost')],
  ])('%s: refused, the webhook paused with the reason, nothing sent', async (_, endpointOf) => {
    const { id } = (await q('mutation { createEventSubscription(input: { catchAll: true }) { id } }')).createEventSubscription;
    await q('mutation($id: ID!, $e: String!) { setEventSubscriptionWebhook(subscriptionId: $id, endpoint: $e) { secret } }', {
      id,
      e: endpointOf(receiver.url('/internal')),
    });
    await env.db.transaction((tx) => appendChangeEvents(tx, [{ type: 'MOVE', occurredAt: new Date('2025-01-01T00:00:00Z') }]));
    const status = `query($id: ID!) { eventSubscription(id: $id) { webhook { state consecutiveFailures lastError { status message attempts } } } }`;
    await vi.waitFor(async () => expect((await q(status, { id })).eventSubscription.webhook.state).toBe('PAUSED'), { timeout: 15_000, interval: 50 });
    expect((await q(status, { id })).eventSubscription.webhook).toMatchObject({
      consecutiveFailures: 1,
      lastError: { status: null, attempts: 1, message: expect.stringMatching(/address (127\.0\.0\.1|::1)( of localhost)? is not public/) },
    });
    expect(receiver.received).toHaveLength(0);
  });
});
