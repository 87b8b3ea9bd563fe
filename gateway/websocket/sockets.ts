/**
 * The server wiring: graphql-ws's `useServer` over a `ws` server on `/graphql`. It authenticates each
 * socket at `connection_init`, bounds sockets per client, subscriptions per socket and refused subscribes
 * per socket, closes a socket when its token expires, and hands every accepted `subscribe` to the layer
 * behind it. Every close names a `SubscriptionCloseCode`.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Caller } from '../../kernel/caller.js';
import { AuthenticationError, type Authenticate } from '../auth.js';
import type { Limits } from '../limits/index.js';
import { budgetKey } from '../limits/options.js';
import type { CallerIdentity } from '../policy.js';
import { SubscriptionCloseCode, type ConnectionParams, type SubscribePayload } from './protocol.js';
import { rawWriter } from './raw-frame.js';
import type { FrameSink, SharedFrame, Subscriber } from './subscriber.js';
import { apiError } from '../../kernel/errors.js';

/** How an accepted subscribe is executed: once (a query or mutation), or by iterating its subscriber. */
export type Execution = { once(): Promise<ExecutionResult> } | { subscriber: Subscriber };

/** What the socket server needs from the gateway. */
export interface SocketServerOptions {
  authenticate: Authenticate;
  /** Turns a verified identity into the Caller, exactly as for HTTP requests. */
  toCaller(identity: CallerIdentity, purpose: string | undefined): Caller;
  /** Socket bounds (`limits.sockets`: sockets per client, subscriptions and refused subscribes per socket). */
  limits: Pick<Limits, 'sockets'>;
  /** Largest incoming websocket message. @default 100_000 // bytes */
  maxMessageBytes?: number;
  /**
   * Answers one subscribe of `caller`: the errors it is refused with, or how to execute it. `slow` closes
   * the socket as a slow consumer; `sink` writes `next` frames of this subscription to its socket.
   */
  subscribe(
    caller: Caller,
    payload: SubscribePayload,
    slow: () => void,
    sink: FrameSink,
  ): Promise<GraphQLError[] | { args: ExecutionArgs; execution: Execution }>;
  /** Called when a socket closes (the service's `until` re-checks). */
  closed(): void;
  /** Called as each result's frame is sent on a socket (metrics): by graphql-ws's `onNext`, and by each `FrameSink` write. */
  sent(result: ExecutionResult): void;
}

/** The running socket server. */
export interface SocketServer {
  /** Open sockets. */
  readonly size: number;
  /** Closes every socket with 1012 (reconnect and resume), waits for them, and stops graphql-ws. */
  close(): Promise<void>;
}

interface Connection {
  caller: Caller;
  expiry?: NodeJS.Timeout;
  /** Where this socket is counted among its client's. */
  client: string;
  /** Subscribes refused on this socket so far (past `maxRefusedSubscribesPerSocket` it is closed). */
  refused: number;
}

type Ctx = Context<ConnectionParams, Extra>;

/** graphql-ws on `/graphql` of `server` (the gateway's HTTP server). */
export function serveSockets(server: Server, options: SocketServerOptions): SocketServer {
  const { limits } = options;
  const connections = new WeakMap<Ctx, Connection>();
  /** Open sockets per client (client id, else subject). */
  const socketsPerClient = new Map<string, number>();

  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: options.maxMessageBytes ?? 100_000 });
  const graphqlWs = useServer<ConnectionParams>(
    {
      // Messages sent to clients never carry internals (stack, SQL): errors are the pipeline's own, masked.
      isProd: true,
      async onConnect(ctx) {
        const socket = ctx.extra.socket;
        const authorization = ctx.connectionParams?.authorization;
        if (typeof authorization !== 'string') {
          socket.close(SubscriptionCloseCode.Unauthorized, 'Unauthorized: send { authorization: "Bearer <JWT>" } in connection_init');
          return false;
        }
        let identity: Awaited<ReturnType<Authenticate>>;
        try {
          identity = await options.authenticate(authorization);
        } catch (err) {
          if (!(err instanceof AuthenticationError)) throw err;
          socket.close(SubscriptionCloseCode.Forbidden, `Forbidden: ${err.message}`.slice(0, 120));
          return false;
        }
        // The verifier tolerates clock skew at exp, but a socket lives until exp: one already past it
        // would be accepted and closed 4419 at once, and a client would reconnect with the same token.
        if (identity.expiresAt <= Date.now()) {
          socket.close(SubscriptionCloseCode.Forbidden, 'Forbidden: the token has expired; connect with a fresh token');
          return false;
        }
        // graphql-ws calls onClose for a socket that closes while its token is being verified, before
        // it was counted here: counting it now would hold one of its client's sockets forever.
        if (socket.readyState !== socket.OPEN) return false;
        const purpose = ctx.connectionParams?.['folkreg-purpose'];
        const caller = options.toCaller(identity, typeof purpose === 'string' ? purpose : undefined);
        const client = budgetKey(caller);
        const open = socketsPerClient.get(client) ?? 0;
        if (open >= limits.sockets.maxSocketsPerClient) {
          socket.close(SubscriptionCloseCode.TooManySockets, `Too many sockets: this client has ${open} open, at most ${limits.sockets.maxSocketsPerClient}`);
          return false;
        }
        socketsPerClient.set(client, open + 1);
        const connection: Connection = { caller, client, refused: 0 };
        const left = identity.expiresAt - Date.now();
        // setTimeout holds at most ~24.8 days; a token valid longer is re-checked on the next connect.
        if (left < 2 ** 31 - 1) {
          connection.expiry = setTimeout(
            () => socket.close(SubscriptionCloseCode.TokenExpired, 'Token expired: reconnect with a fresh token and resume from your last cursor'),
            left,
          );
          connection.expiry.unref();
        }
        connections.set(ctx, connection);
        return true;
      },
      onClose(ctx) {
        const connection = connections.get(ctx);
        if (!connection) return;
        connections.delete(ctx);
        clearTimeout(connection.expiry);
        const open = (socketsPerClient.get(connection.client) ?? 1) - 1;
        if (open > 0) socketsPerClient.set(connection.client, open);
        else socketsPerClient.delete(connection.client);
        queueMicrotask(options.closed);
      },
      async onSubscribe(ctx, id, payload) {
        const answer = await subscribe(ctx, id, payload);
        const connection = connections.get(ctx);
        if (Array.isArray(answer) && connection && ++connection.refused > limits.sockets.maxRefusedSubscribesPerSocket) {
          ctx.extra.socket.close(
            SubscriptionCloseCode.TooManyRefusals,
            `Too many refused subscribes: ${connection.refused} on this socket, at most ${limits.sockets.maxRefusedSubscribesPerSocket}`,
          );
        }
        return answer;
      },
      onNext: (_ctx, _id, _payload, _args, result) => options.sent(result as ExecutionResult),
      // `subscribe` above put the execution in the context: graphql-ws runs queries with `execute`, subscriptions with `subscribe`.
      execute: (args: ExecutionArgs) => (args.contextValue as Extract<Execution, { once: unknown }>).once(),
      subscribe: (args: ExecutionArgs) => (args.contextValue as Extract<Execution, { subscriber: unknown }>).subscriber,
    },
    wss,
  );

  /** What a subscribe is answered with: its errors (refused), or how to execute it. */
  async function subscribe(ctx: Ctx, id: string, payload: SubscribePayload): Promise<readonly GraphQLError[] | ExecutionArgs> {
    const connection = connections.get(ctx);
    if (!connection) return [apiError('UNAUTHENTICATED', 'Not connected.')];
    // graphql-ws lists this socket's open subscriptions, this one included.
    const open = Object.keys(ctx.subscriptions).length;
    if (open > limits.sockets.maxSubscriptionsPerSocket) {
      ctx.extra.socket.close(
        SubscriptionCloseCode.TooManySubscriptions,
        `Too many subscriptions: at most ${limits.sockets.maxSubscriptionsPerSocket} on one socket`,
      );
      return [
        apiError('TOO_MANY_SUBSCRIPTIONS', 'Too many subscriptions on this socket.', { measured: open, allowed: limits.sockets.maxSubscriptionsPerSocket }),
      ];
    }
    const socket = ctx.extra.socket;
    const answer = await options.subscribe(
      connection.caller,
      payload,
      () => socket.close(SubscriptionCloseCode.SlowConsumer, 'Slow consumer: too many undelivered events; reconnect and resume from your last cursor'),
      frameSink(socket, id, options.sent),
    );
    if (Array.isArray(answer)) return answer;
    return { ...answer.args, contextValue: answer.execution };
  }

  return {
    get size() {
      return wss.clients.size;
    },
    async close() {
      for (const client of wss.clients) client.close(SubscriptionCloseCode.ServiceRestart, 'Server restarting: reconnect and resume from your last cursor');
      await Promise.all([...wss.clients].map((c) => closed(c)));
      await graphqlWs.dispose();
    },
  };
}

/** Text frames (graphql-ws messages are JSON text); `ws` would send a Buffer as binary. */
const TEXT = { binary: false } as const;

/**
 * The `next` frames of subscription `id` on `socket`: what graphql-ws's `emit.next` writes, with the
 * message after the id built once per event by the feed (`SharedFrame.tail`), and `sent` told of each
 * as graphql-ws's `onNext` tells it. Each frame leaves as one buffer straight to the TCP socket
 * (`rawWriter`) when `ws` would write exactly those bytes, else through `ws`'s `send` (permessage-deflate
 * negotiated, or `ws` holding a message). `cork`/`uncork` hold the TCP socket's writes (`ws` keeps it
 * private, as `_socket`), so the frames of one batch leave in one `writev`; corks nest.
 */
export function frameSink(socket: WebSocket, id: string, sent: (result: ExecutionResult) => void): FrameSink {
  const head = Buffer.from(`{"id":${JSON.stringify(id)},`);
  const raw = rawWriter(socket);
  const tcp = raw?.tcp ?? (socket as unknown as { _socket?: Socket })._socket;
  return {
    write(frame: SharedFrame, written: () => void) {
      if (socket.readyState !== socket.OPEN) return false;
      const tail = frame.tail;
      if (!raw?.write(head, tail, written)) socket.send(Buffer.concat([head, tail], head.length + tail.length), TEXT, written);
      sent(frame.result);
      return true;
    },
    cork: () => tcp?.cork(),
    uncork: () => tcp?.uncork(),
  };
}

/** Waits for the closing handshake, and ends a client that does not answer it. */
function closed(socket: WebSocket): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise((ok) => {
    const force = setTimeout(() => socket.terminate(), 1_000).unref();
    socket.once('close', () => {
      clearTimeout(force);
      ok();
    });
  });
}
