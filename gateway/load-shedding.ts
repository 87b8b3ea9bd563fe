import type { ServerResponse } from 'node:http';
import { sendError } from '../kernel/http.js';

/**
 * Load shedding by event-loop delay. A gateway whose loop lags (a flood, a heavy document) answers new
 * GraphQL requests with 503 and `Retry-After` at once instead of queueing them behind the lag; `/healthz`
 * and `/readyz` are never shed, so probes keep answering while it recovers.
 */
export interface LoadSheddingOptions {
  /** Delay of the event loop above which GraphQL requests are shed; 0 turns shedding off. @default 1_000 // 1 second */
  maxEventLoopDelayMs?: number;
  /** How often the delay is measured. @default 100 // milliseconds */
  sampleIntervalMs?: number;
  /** How long shedding lasts after the last delay over the bound; also the `Retry-After`. @default 1_000 // 1 second */
  holdMs?: number;
}

/**
 * Measures the loop's delay as the lateness of a repeating timer (what a queued request waits too). The
 * lateness of the timer that is due now counts as well: requests queued behind a long task in the same
 * loop turn are handled before any timer runs, and must see the lag they waited through.
 */
export class LoadShedder {
  private readonly maxDelayMs: number;
  private readonly sampleMs: number;
  private readonly holdMs: number;
  private readonly timer: NodeJS.Timeout | null;
  private lastTick = performance.now();
  private shedUntil = 0;
  private lastDelayMs = 0;
  private waiters: { shedding: boolean; ok: () => void }[] = [];
  private release: NodeJS.Timeout | null = null;
  /** Requests shed so far. */
  shed = 0;

  constructor(options: LoadSheddingOptions = {}) {
    this.maxDelayMs = options.maxEventLoopDelayMs ?? 1_000;
    this.sampleMs = options.sampleIntervalMs ?? 100;
    this.holdMs = options.holdMs ?? 1_000;
    this.timer = this.maxDelayMs > 0 ? setInterval(() => this.tick(), this.sampleMs).unref() : null;
  }

  /** Whether GraphQL requests are shed now. */
  get shedding(): boolean {
    if (!this.timer) return false;
    this.observe(performance.now() - this.lastTick - this.sampleMs);
    return performance.now() < this.shedUntil;
  }

  /** Resolves once `shedding` equals `state` (tests wait on this, never on time). */
  until(state: boolean): Promise<void> {
    if (this.shedding === state) return Promise.resolve();
    return new Promise((ok) => this.waiters.push({ shedding: state, ok }));
  }

  /** Answers a request with 503, `Retry-After` and the measured delay, when shedding; false otherwise. */
  refuse(res: ServerResponse): boolean {
    if (!this.shedding) return false;
    this.shed++;
    res.setHeader('retry-after', String(Math.max(1, Math.ceil(this.holdMs / 1000))));
    sendError(
      res,
      503,
      'OVERLOADED',
      `The gateway is overloaded (event loop delayed ${Math.round(this.lastDelayMs)} ms, limit ${this.maxDelayMs} ms); retry after the Retry-After interval.`,
      { reason: 'EVENT_LOOP_DELAY', delayMs: Math.round(this.lastDelayMs), maxDelayMs: this.maxDelayMs },
    );
    return true;
  }

  /**
   * Measures from now on: the gateway calls it when it starts listening, so the start-up's own
   * synchronous work (composing and planning the supergraph: over a second on a loaded 2-core machine)
   * does not shed the first requests as if they met a lagging loop.
   */
  restart(): void {
    this.lastTick = performance.now();
    this.shedUntil = 0;
    this.lastDelayMs = 0;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.release) clearTimeout(this.release);
  }

  private tick(): void {
    const now = performance.now();
    this.observe(now - this.lastTick - this.sampleMs);
    this.lastTick = now;
    this.notify();
  }

  private observe(delayMs: number): void {
    if (delayMs <= this.maxDelayMs) return;
    const was = performance.now() < this.shedUntil;
    this.lastDelayMs = delayMs;
    this.shedUntil = performance.now() + this.holdMs;
    if (this.release) clearTimeout(this.release);
    // Wakes `until(false)` when the hold ends even if no tick lands exactly then.
    this.release = setTimeout(() => this.notify(), this.holdMs + 1).unref();
    if (!was) queueMicrotask(() => this.notify());
  }

  private notify(): void {
    const now = performance.now() < this.shedUntil;
    this.waiters = this.waiters.filter((w) => (w.shedding === now ? (w.ok(), false) : true));
  }
}
