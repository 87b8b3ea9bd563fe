import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseLimitsConfig } from '../../gateway/limits/index.js';
import { useTestStack } from '../support/stack.js';
import { wsUrl } from '../support/subscriptions.js';

/**
 * The per-client socket bound counts sockets that are open: a client that goes away while its token is
 * being verified (a flaky mobile network, or on purpose with a fresh token each time) must not use up
 * its client's allowance for good.
 */

const env = useTestStack({
  stack: () => ({ limits: { config: parseLimitsConfig({ sockets: { maxSocketsPerClient: 2 } }) } }),
});

/** Opens a socket, sends connection_init, and resolves with the first answer: ack, or the close code. */
function init(token: string, closeRightAway = false): Promise<'ack' | number> {
  return new Promise((ok, fail) => {
    const socket = new WebSocket(wsUrl(env.stack.gateway.url), 'graphql-transport-ws');
    socket.on('error', fail);
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      if (closeRightAway) socket.close(1000);
    });
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') {
        ok('ack');
        socket.close(1000);
      }
    });
    socket.on('close', (code) => ok(code));
  });
}

describe('sockets per client', () => {
  it('a socket closed while its token is verified does not count against its client', async () => {
    // A fresh token each time: a remembered one is not verified again, so no wait to close within.
    for (let i = 0; i < 6; i++) await init(await env.stack.issue({ scope: 'folkreg:read', sub: `flaky-${i}`, client: 'flaky-app' }), true);
    await env.stack.gateway.subscriptions.until((s) => s.sockets === 0);
    const token = await env.stack.issue({ scope: 'folkreg:read', sub: 'flaky-final', client: 'flaky-app' });
    expect(await init(token)).toBe('ack');
  });
});
