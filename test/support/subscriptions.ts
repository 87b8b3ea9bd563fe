import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** The gateway's websocket address (same `/graphql` path as HTTP). */
export function wsUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}

/** graphql-ws's own client over `ws`, no retries: a close is seen as the close the server sent. */
export function connect(httpUrl: string, connectionParams: Record<string, unknown> | undefined): Client {
  return createClient({ url: wsUrl(httpUrl), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
}

/** How a subscription ended: completed, errors from the server, or the socket's close code. */
export type Ending =
  | { kind: 'complete' }
  | { kind: 'errors'; errors: { message: string; extensions?: Record<string, unknown> }[] }
  | { kind: 'closed'; code: number; reason: string };

/** Collects a subscription's results; `take(n)` waits (on events, never on time) for the first n. */
export class Collector {
  readonly results: FormattedExecutionResult<any, any>[] = [];
  readonly ended: Promise<Ending>;
  readonly stop: () => void;
  private waiters: (() => void)[] = [];
  private ending: Ending | null = null;

  constructor(client: Client, query: string, variables?: Record<string, unknown>) {
    let end!: (e: Ending) => void;
    this.ended = new Promise((ok) => (end = ok));
    const finish = (e: Ending) => {
      this.ending ??= e;
      end(e);
      this.wake();
    };
    this.stop = client.subscribe(
      { query, variables },
      {
        next: (r) => {
          this.results.push(r);
          this.wake();
        },
        error: (err: unknown) => {
          if (Array.isArray(err)) return finish({ kind: 'errors', errors: err });
          const ev = err as { code?: number; reason?: string };
          finish({ kind: 'closed', code: ev.code ?? 0, reason: String(ev.reason ?? '') });
        },
        complete: () => finish({ kind: 'complete' }),
      },
    );
  }

  /** The first `n` results; rejects if the subscription ends before. */
  async take(n: number): Promise<FormattedExecutionResult<any, any>[]> {
    while (this.results.length < n) {
      if (this.ending) throw new Error(`Subscription ended after ${this.results.length} of ${n} results: ${JSON.stringify(this.ending)}`);
      await new Promise<void>((ok) => this.waiters.push(ok));
    }
    return this.results.slice(0, n);
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const ok of w) ok();
  }
}
