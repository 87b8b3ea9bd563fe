/**
 * The head poll: one long-poll of `changeEventsHead` per gateway, the only thing that wakes the websocket
 * tap and the webhook worker (`gateway/server.ts` makes it and hands it to both).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Caller } from '../../kernel/caller.js';
import type { CallerIdentity } from '../policy.js';
import type { RunQuery } from './pipeline.js';
import { componentLog, errorFields } from '../../kernel/log.js';

/**
 * Asks the subscription subgraph for the log head, waiting up to `waitSeconds` for it to move past
 * `after`; `signal` aborts the wait (the watcher stops).
 */
export type PollHead = (after: string | null, waitSeconds: number, signal: AbortSignal) => Promise<string | null>;

/**
 * The gateway's one wake-up source: a long-poll of `changeEventsHead`, which the subscription subgraph
 * answers when its LISTEN hears a commit (Postgres NOTIFY, so every process on the database hears every
 * commit). `version` grows each time the head moves; a feed notes it before reading a batch and waits
 * for it to grow, so a commit between its read and its wait still wakes it.
 */
export class HeadWatcher {
  /** Grows by one each time the head moves (the first head known is version 1). */
  version = 0;
  /** The newest head known: the cursor of the newest committed event, or null while the log is empty. */
  head: string | null = null;
  private waiters = new Set<() => void>();
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Ends the poll in flight at `stop()`: without it, stopping waited for the long-poll (up to `waitSeconds`). */
  private readonly stopping = new AbortController();
  private firstHead: Promise<void>;
  private gotFirstHead!: () => void;

  constructor(
    private readonly poll: PollHead,
    /** How long one long-poll waits for the head to move. @default 20 // seconds */
    private readonly waitSeconds = 20,
    /** Pause after a failed poll (subgraph down). @default 1_000 // 1 second */
    private readonly retryMs = 1_000,
  ) {
    this.firstHead = new Promise((ok) => (this.gotFirstHead = ok));
  }

  /** Starts polling (once); resolves when the head is known. */
  ready(): Promise<void> {
    this.running ??= this.loop();
    return this.firstHead;
  }

  /** Resolves once the head has moved beyond `version`, or the watcher stops. */
  changedSince(version: number): Promise<void> {
    if (this.version > version || this.stopped) return Promise.resolve();
    return new Promise((wake) => {
      const waiter = () => {
        this.waiters.delete(waiter);
        wake();
      };
      this.waiters.add(waiter);
    });
  }

  /** Stops polling; the poll in flight is aborted, and the promise returned resolves when the loop has ended. */
  stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    this.wakeAll();
    return this.running ?? Promise.resolve();
  }

  private async loop(): Promise<void> {
    let known = false;
    let failures = 0;
    while (!this.stopped) {
      try {
        const head = await this.poll(this.head, known ? this.waitSeconds : 0, this.stopping.signal);
        if (this.stopped) return;
        failures = 0;
        if (!known || head !== this.head) {
          known = true;
          this.head = head;
          this.version++;
          this.gotFirstHead();
          this.wakeAll();
        }
      } catch (err) {
        if (this.stopped) return;
        if (failures++ === 0) componentLog('websocket').error({ err: errorFields(err) }, 'change-event head unavailable, retrying');
        await delay(this.retryMs, undefined, { ref: false, signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

const HEAD_QUERY = 'query Head($after: String, $wait: Int) { changeEventsHead(after: $after, waitSeconds: $wait) }';

/** Polls the head through the pipeline as `caller` (the gateway's own). */
export function pollHeadAs(run: RunQuery, caller: Caller): PollHead {
  return async (after, waitSeconds, signal) => {
    // The long-poll outlasts a query's fetch bound; `signal` ends it at once when the gateway stops.
    const bounds = { signal, fetchTimeoutMs: waitSeconds * 1_000 + 5_000 };
    const result = await run(HEAD_QUERY, { after, wait: waitSeconds }, caller, undefined, bounds);
    if (result.errors?.length) throw new Error(result.errors[0]!.message);
    return (result.data?.changeEventsHead as string | null) ?? null;
  };
}

/** Who the head is polled as: the gateway itself, no scope (the head is a cursor, no person's data). */
const HEAD_IDENTITY: CallerIdentity = { subject: 'folkreg-gateway/head', client: 'folkreg-gateway', scopes: [], role: null, purpose: null };

/**
 * The gateway's one head watcher, polling through the pipeline as the gateway's own caller. Each of the
 * websocket layer and the webhook worker polled one of its own before: two long-polls held open per
 * gateway, and every commit answered twice.
 */
export function gatewayHead(run: RunQuery, toCaller: (identity: CallerIdentity, purpose: string | undefined) => Caller, waitSeconds?: number): HeadWatcher {
  return new HeadWatcher(pollHeadAs(run, toCaller(HEAD_IDENTITY, undefined)), waitSeconds);
}
