import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { frameSink } from '../../gateway/websocket/sockets.js';
import { SharedFrame } from '../../gateway/websocket/subscriber.js';
import { rawWriter } from '../../gateway/websocket/raw-frame.js';

/**
 * The `next` frames a subscription writes below `ws` (`raw-frame.ts`), read by a real `ws` client over a
 * real socket: what arrives is what graphql-ws would have sent, in order, whether the frame went raw or
 * through `ws` (permessage-deflate negotiated, or `ws` holding a message).
 */
let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  server = null;
});

/** A server socket and a client connected to it; the client offers permessage-deflate, the server accepts it when `deflate`. */
async function pair(deflate: boolean): Promise<{ socket: WebSocket; client: WebSocket; messages: string[]; received(n: number): Promise<string[]> }> {
  server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: deflate ? { threshold: 0 } : false });
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  const accepted = new Promise<WebSocket>((ok) => wss.once('connection', ok));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { perMessageDeflate: true });
  const messages: string[] = [];
  let waiter: (() => void) | null = null;
  client.on('message', (data, binary) => {
    expect(binary).toBe(false);
    messages.push(String(data));
    waiter?.();
  });
  await new Promise((ok) => client.once('open', ok));
  const socket = await accepted;
  const received = (n: number) =>
    new Promise<string[]>((ok) => {
      const check = () => (messages.length >= n ? ok(messages) : (waiter = check));
      check();
    });
  return { socket, client, messages, received };
}

/** Events of 100 B, 1 kB and 100 kB: the three lengths of a websocket frame header. */
const EVENTS = [10, 1_000, 100_000].map((n, i) => ({ data: { changeEvents: { cursor: `c${i}`, note: 'å'.repeat(n) } } }));
const expected = (id: string) => EVENTS.map((e) => JSON.stringify({ id, type: 'next', payload: e }));

describe('next frames written below ws', () => {
  it('reach a client as the messages graphql-ws sends, in order, each written callback called', async () => {
    const { socket, client, received } = await pair(false);
    expect(rawWriter(socket)).not.toBeNull();
    let written = 0;
    const sink = frameSink(socket, 'sub-1', () => {});
    for (const event of EVENTS) expect(sink.write(new SharedFrame(event), () => void written++)).toBe(true);
    expect(await received(3)).toEqual(expected('sub-1'));
    expect(written).toBe(3);
    client.close();
  });

  it('keep their place among what ws sends itself on the same socket', async () => {
    const { socket, client, received } = await pair(false);
    const sink = frameSink(socket, 'a', () => {});
    sink.write(new SharedFrame(EVENTS[0]!), () => {});
    socket.send(JSON.stringify({ id: 'b', type: 'complete' }));
    sink.write(new SharedFrame(EVENTS[1]!), () => {});
    const got = await received(3);
    expect(got).toEqual([expected('a')[0], JSON.stringify({ id: 'b', type: 'complete' }), expected('a')[1]]);
    client.close();
  });

  it('go through ws when the client negotiated permessage-deflate, and still arrive whole and in order', async () => {
    const { socket, client, received } = await pair(true);
    expect(socket.extensions).toContain('permessage-deflate');
    expect(rawWriter(socket)).toBeNull();
    let written = 0;
    const sink = frameSink(socket, 'z', () => {});
    const frames = EVENTS.map((e) => new SharedFrame(e));
    // One feed's frames are shared: the same frame to two subscriptions of the socket.
    const other = frameSink(socket, 'y', () => {});
    for (const frame of frames) {
      sink.write(frame, () => void written++);
      other.write(frame, () => void written++);
    }
    const got = await received(6);
    expect(got.filter((m) => m.startsWith('{"id":"z"'))).toEqual(expected('z'));
    expect(got.filter((m) => m.startsWith('{"id":"y"'))).toEqual(expected('y'));
    expect(written).toBe(6);
    client.close();
  });

  it('write nothing to a socket that is closing', async () => {
    const { socket, client, messages } = await pair(false);
    const sink = frameSink(socket, 'x', () => {});
    const closed = new Promise<number>((ok) => client.once('close', ok));
    socket.close(1000, 'bye');
    expect(sink.write(new SharedFrame(EVENTS[0]!), () => {})).toBe(false);
    expect(await closed).toBe(1000);
    expect(messages).toEqual([]);
  });
});
