import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { request } from 'node:http';

/** How long one readiness check may take; slower counts as not ready. @default 1_000 // 1 second */
const CHECK_TIMEOUT_MS = 1_000;

/** One gateway behind the proxy. */
export interface Backend {
  name: string;
  host: string;
  port: number;
}

/** A connection the proxy handed to a backend, and what it knew of that backend's readiness then. */
export interface Route {
  at: number;
  backend: string;
  /** The backend's last readiness check had answered 200 (always so: the proxy routes to no other). */
  ready: boolean;
}

/** A change of a backend's `/readyz` answer as the proxy's checks saw it. */
export interface Transition {
  at: number;
  backend: string;
  /** The HTTP status; 0 when nothing answered (refused, reset, too slow). */
  status: number;
  ready: boolean;
}

/**
 * A load balancer of the test's own, in the manner of HAProxy's `balance roundrobin` with `option
 * httpchk GET /readyz`: TCP connections (HTTP and websocket upgrades alike) go to the backends in turn,
 * skipping any whose last `/readyz` (checked every `checkIntervalMs`) did not answer 200 — or gave no
 * answer within a second twice in a row. A backend that refuses the connection is skipped for this
 * connection too (HAProxy's `redispatch`): nothing has been sent yet, so the next one gets it. With no
 * backend left, the client's connection is closed unanswered.
 */
export class RoundRobinProxy {
  /** Every routed connection, in order. */
  readonly routes: Route[] = [];
  /** Every change of a `/readyz` answer the checks saw, in order (each backend starts not ready). */
  readonly transitions: Transition[] = [];
  /** Client connections closed because no backend was ready or reachable. */
  unrouted = 0;
  private readonly statuses = new Map<string, number>();
  /** Consecutive checks of each backend that got no answer in time. */
  private readonly slowChecks = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private next = 0;
  private checking: NodeJS.Timeout | undefined;

  private constructor(
    private readonly server: Server,
    private readonly backends: readonly Backend[],
    /** The proxy's URL base, `http://127.0.0.1:<port>`. */
    readonly origin: string,
  ) {}

  /**
   * Listens on 127.0.0.1 (a free port) and starts checking `backends`.
   * @param checkIntervalMs @default 200 // milliseconds
   */
  static async start(backends: readonly Backend[], checkIntervalMs = 200): Promise<RoundRobinProxy> {
    const server = createServer();
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const proxy = new RoundRobinProxy(server, backends, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('connection', (client) => proxy.accept(client));
    const check = () => {
      void Promise.all(backends.map((b) => proxy.check(b, CHECK_TIMEOUT_MS))).then(() => {
        if (proxy.server.listening) proxy.checking = setTimeout(check, checkIntervalMs);
      });
    };
    check();
    return proxy;
  }

  /** Whether the proxy takes `name` to be ready now. */
  isReady(name: string): boolean {
    return this.statuses.get(name) === 200;
  }

  /** Routed connections to `name` from `since` on. */
  routedTo(name: string, since = 0): number {
    return this.routes.filter((r) => r.backend === name && r.at >= since).length;
  }

  private async check(backend: Backend, timeoutMs: number): Promise<void> {
    let slow = false;
    const answer = await new Promise<number>((resolve) => {
      const req = request({ host: backend.host, port: backend.port, path: '/readyz', agent: false, timeout: timeoutMs }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('timeout', () => {
        slow = true;
        req.destroy();
      });
      req.on('error', () => resolve(0));
      req.end();
    });
    // One slow answer from a ready backend is a busy machine, not a failure: it takes two in a row
    // (HAProxy's `fall 2`). A refusal or a 503 counts at once.
    const previous = this.statuses.get(backend.name);
    this.slowChecks.set(backend.name, slow ? (this.slowChecks.get(backend.name) ?? 0) + 1 : 0);
    const status = slow && previous === 200 && this.slowChecks.get(backend.name) === 1 ? 200 : answer;
    if (this.statuses.get(backend.name) !== status) this.transitions.push({ at: Date.now(), backend: backend.name, status, ready: status === 200 });
    this.statuses.set(backend.name, status);
  }

  private accept(client: Socket): void {
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    // Bytes the client sends before its backend is connected wait here.
    client.pause();
    const tried = new Set<string>();
    const attempt = () => {
      const backend = this.pick(tried);
      if (!backend) {
        this.unrouted++;
        return client.destroy();
      }
      tried.add(backend.name);
      const upstream = connect(backend.port, backend.host);
      this.sockets.add(upstream);
      upstream.once('close', () => this.sockets.delete(upstream));
      const refused = () => {
        upstream.destroy();
        if (!client.destroyed) attempt();
      };
      upstream.once('error', refused);
      upstream.once('connect', () => {
        upstream.off('error', refused);
        this.routes.push({ at: Date.now(), backend: backend.name, ready: this.isReady(backend.name) });
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt();
  }

  /** The next ready backend in turn that this connection has not tried yet. */
  private pick(tried: Set<string>): Backend | undefined {
    for (let i = 0; i < this.backends.length; i++) {
      const backend = this.backends[(this.next + i) % this.backends.length]!;
      if (!this.isReady(backend.name) || tried.has(backend.name)) continue;
      this.next = (this.next + i + 1) % this.backends.length;
      return backend;
    }
    return undefined;
  }

  /** Stops checking and listening and cuts every connection. */
  async close(): Promise<void> {
    clearTimeout(this.checking);
    const closed = new Promise<void>((ok) => this.server.close(() => ok()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}
