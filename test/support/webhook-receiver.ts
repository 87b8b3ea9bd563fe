import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One POST the receiver got, verified against its path's secret. */
export interface Received {
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  /** The standardwebhooks package accepted the signature (and the timestamp's tolerance). */
  verified: boolean;
  body: any;
  /** What the receiver answered (0: nothing; it hung). */
  answered: number;
}

/** What to do with a request: answer 2xx, fail before processing, process then fail (a lost answer), or never answer. */
export type Behaviour = 'ok' | 'fail' | 'processed-but-failed' | 'hang';

/**
 * A real Standard Webhooks receiver on 127.0.0.1, as an integrator would write one: it verifies each
 * message with the standardwebhooks package and its path's secret, processes each `webhook-id` once (a
 * retry of a processed message is acknowledged and skipped), and records what it got. `behave` injects
 * faults. It can be stopped and started again on the same port (a restart mid-run).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  /** Events processed, in the order processed: each message's events once per webhook-id. */
  readonly processed = new Map<string, { cursor: string; event: any; errors?: any[] }[]>();
  readonly processedIds = new Map<string, Set<string>>();
  /** Times two requests of one path were in flight at once. */
  overlaps = 0;
  behave: (path: string, n: number) => Behaviour = () => 'ok';
  /** Milliseconds each request is held before its answer (widens the window for overlaps). */
  holdMs = 0;
  private readonly secrets = new Map<string, string>();
  private readonly inFlight = new Map<string, number>();
  private server: Server | null = null;
  private port = 0;
  private waiters: (() => void)[] = [];
  private readonly hanging = new Set<ServerResponse>();

  /** The secret messages to `path` are verified with. */
  secret(path: string, secret: string): void {
    this.secrets.set(path, secret);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((ok) => server.listen(this.port, '127.0.0.1', ok));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and cuts every connection (kept-alive ones and hanging requests too). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    if (!server) return;
    const closed = new Promise<void>((ok) => server.close(() => ok()));
    server.closeAllConnections();
    await closed;
  }

  /** Events processed for `path`, in order. */
  events(path: string) {
    return this.processed.get(path) ?? [];
  }

  /** Resolves once `test` holds; checked after every request. */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((ok) => {
      const check = () => {
        if (test()) ok();
        else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private changed(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    const inFlight = (this.inFlight.get(path) ?? 0) + 1;
    this.inFlight.set(path, inFlight);
    if (inFlight > 1) this.overlaps++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const headers = {
      'webhook-id': String(req.headers['webhook-id']),
      'webhook-timestamp': String(req.headers['webhook-timestamp']),
      'webhook-signature': String(req.headers['webhook-signature']),
    };
    let verified = false;
    let body: any;
    try {
      body = new Webhook(this.secrets.get(path) ?? 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').verify(raw, headers);
      verified = true;
    } catch {
      body = JSON.parse(raw);
    }
    const n = this.received.filter((r) => r.path === path).length;
    const behaviour = verified ? this.behave(path, n) : 'fail';
    const record: Received = {
      path,
      id: headers['webhook-id'],
      timestamp: headers['webhook-timestamp'],
      signature: headers['webhook-signature'],
      verified,
      body,
      answered: 0,
    };
    this.received.push(record);
    if (this.holdMs) await new Promise((ok) => setTimeout(ok, this.holdMs));
    const done = (status: number) => {
      this.inFlight.set(path, (this.inFlight.get(path) ?? 1) - 1);
      record.answered = status;
      if (status) res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'secret receiver internals');
      this.changed();
    };
    if (behaviour === 'hang') {
      this.hanging.add(res);
      res.on('close', () => {
        this.hanging.delete(res);
        this.inFlight.set(path, (this.inFlight.get(path) ?? 1) - 1);
        this.changed();
      });
      this.changed();
      return;
    }
    if (behaviour === 'fail') return done(500);
    // Processed once per webhook-id: a retry of a message already processed changes nothing.
    const ids = this.processedIds.get(path) ?? new Set<string>();
    this.processedIds.set(path, ids);
    if (!ids.has(record.id)) {
      ids.add(record.id);
      this.processed.set(path, [...this.events(path), ...body.data.events]);
    }
    done(behaviour === 'processed-but-failed' ? 500 : 200);
  }
}
