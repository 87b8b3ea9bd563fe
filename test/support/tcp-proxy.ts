import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy the test controls, between a service and its database. `blackhole()` makes the path stop
 * answering the way a network partition does — connections stay open, bytes are neither delivered nor
 * refused (they wait, as TCP retransmits them); `restore()` lets them through again.
 */
export class TcpProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private holding = false;
  private refusing = false;

  private constructor(
    private readonly server: Server,
    /** The port the proxy listens on (127.0.0.1 unless started with another address). */
    readonly port: number,
  ) {}

  /** Listens on a free port of `listenHost` (another host's veth end, say) and forwards to `target`. */
  static async start(target: { host: string; port: number }, listenHost = '127.0.0.1'): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((ok) => server.listen(0, listenHost, ok));
    const proxy = new TcpProxy(server, (server.address() as AddressInfo).port);
    server.on('connection', (client) => {
      if (proxy.refusing) return client.destroy();
      const upstream = connect(target.port, target.host);
      const pair: [Socket, Socket] = [client, upstream];
      proxy.pairs.add(pair);
      if (proxy.holding) for (const s of pair) s.pause();
      client.on('data', (d) => upstream.write(d));
      upstream.on('data', (d) => client.write(d));
      const end = () => {
        proxy.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      for (const s of pair) {
        s.on('close', end);
        s.on('error', end);
      }
    });
    return proxy;
  }

  /** Connections open through the proxy now. */
  get connections(): number {
    return this.pairs.size;
  }

  /** Stops moving bytes in either direction; new connections are accepted and held too. */
  blackhole(): void {
    this.holding = true;
    for (const pair of this.pairs) for (const s of pair) s.pause();
  }

  /** Cuts every connection and closes new ones at once: a database that is down, not silent. */
  cut(): void {
    this.refusing = true;
    for (const pair of this.pairs) for (const s of pair) s.destroy();
  }

  /** Moves the held bytes and everything after them again (and accepts connections after `cut()`). */
  restore(): void {
    this.refusing = false;
    this.holding = false;
    for (const pair of this.pairs) for (const s of pair) s.resume();
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) for (const s of pair) s.destroy();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }
}

/** `url` with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}
