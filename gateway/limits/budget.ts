import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { GraphQLError } from 'graphql';
import { apiError, withHttpStatus } from '../../kernel/errors.js';
import { RATE_LIMITED } from './errors.js';
import { componentLog } from '../../kernel/log.js';

/** Where budgets are counted. */
export interface BudgetOptions {
  /** Redis shared by every gateway replica; without it each gateway counts alone, in memory. */
  redisUrl?: string | null;
  /** Prefix of the Redis keys (one per client and window). @default 'folkreg:budget' */
  keyPrefix?: string;
  /** Length of a budget window. @default 60 // seconds */
  windowSeconds?: number;
}

/** A client's budget after a request was charged to it. */
export interface BudgetState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  windowSeconds: number;
}

/** Where budgets are counted now, for readiness and logs. */
export type BudgetStore = 'redis' | 'memory' | 'memory (redis unreachable)';

/**
 * Cost budgets per client with rate-limiter-flexible: a fixed window of `windowSeconds` holding
 * `limit` cost units, counted in Redis when configured (an atomic INCR + TTL per client and window, so
 * replicas share it) and in memory otherwise.
 *
 * Redis unreachable fails open to memory, deliberately: a register gateway that refused every caller
 * because its rate-limit store is down would turn a cache outage into a register outage. Each replica then
 * enforces the budget alone (a client spread over N replicas may spend up to N budgets) until Redis
 * answers again; the switch is logged and shown in `/readyz` (`rateLimiter`), never hidden.
 */
export class CostBudgets {
  private readonly limiters = new Map<number, RateLimiterAbstract>();
  private readonly redis: Redis | null;
  private readonly keyPrefix: string;
  readonly windowSeconds: number;
  private reported: BudgetStore | null = null;

  constructor(options: BudgetOptions = {}) {
    this.keyPrefix = options.keyPrefix ?? 'folkreg:budget';
    this.windowSeconds = options.windowSeconds ?? 60;
    this.redis = options.redisUrl
      ? new Redis(options.redisUrl, {
          // Fail fast instead of queueing while disconnected: the memory limiter answers meanwhile.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: 2_000,
          retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
        })
      : null;
    this.redis?.on('error', () => this.report());
    this.redis?.on('ready', () => this.report());
  }

  get store(): BudgetStore {
    if (!this.redis) return 'memory';
    return this.redis.status === 'ready' ? 'redis' : 'memory (redis unreachable)';
  }

  private report(): void {
    const now = this.store;
    if (now === this.reported) return;
    if (this.reported !== null || now !== 'redis') componentLog('gateway').warn({ store: now }, `cost budgets counted in ${now}`);
    this.reported = now;
  }

  private limiter(limit: number): RateLimiterAbstract {
    let limiter = this.limiters.get(limit);
    if (!limiter) {
      const common = { points: limit, duration: this.windowSeconds, keyPrefix: `${this.keyPrefix}:${limit}` };
      const memory = new RateLimiterMemory(common);
      limiter = this.redis ? new RateLimiterRedis({ ...common, storeClient: this.redis, rejectIfRedisNotReady: true, insuranceLimiter: memory }) : memory;
      this.limiters.set(limit, limiter);
    }
    return limiter;
  }

  /** Charges `cost` to `key`'s budget of `limit` a window; throws a RATE_LIMITED error (HTTP 429) when over. */
  async charge(key: string, cost: number, limit: number): Promise<BudgetState> {
    const points = Math.max(1, Math.ceil(cost));
    try {
      const res = await this.limiter(limit).consume(key, points);
      return this.state(limit, res);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const state = this.state(limit, err);
      throw overBudget(state, points);
    }
  }

  private state(limit: number, res: RateLimiterRes): BudgetState {
    return {
      limit,
      remaining: Math.max(0, res.remainingPoints),
      resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
      windowSeconds: this.windowSeconds,
    };
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    this.redis.removeAllListeners('error');
    this.redis.on('error', () => {});
    this.redis.disconnect();
  }
}

/**
 * IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers, the -07 `RateLimit-Limit`,
 * `-Remaining`, `-Reset` and `RateLimit-Policy` fields most clients read).
 */
export function budgetHeaders(state: BudgetState): [string, string][] {
  return [
    ['ratelimit-limit', String(state.limit)],
    ['ratelimit-remaining', String(state.remaining)],
    ['ratelimit-reset', String(state.resetSeconds)],
    ['ratelimit-policy', `${state.limit};w=${state.windowSeconds}`],
  ];
}

/** The 429 refusal: `Retry-After` and the RateLimit fields, and the numbers in `extensions`. */
export function overBudget(state: BudgetState, cost: number): GraphQLError {
  const headers = new Map([...budgetHeaders(state), ['retry-after', String(state.resetSeconds)]]);
  const error = apiError(
    RATE_LIMITED,
    `Over this client's cost budget: the request costs ${cost}, ${state.remaining} of ${state.limit} units are left in this ${state.windowSeconds}-second window; retry after ${state.resetSeconds} s.`,
    { limit: 'costPerMinute', measured: cost, allowed: state.remaining, budget: state.limit, retryAfterSeconds: state.resetSeconds },
  );
  // Apollo reads the status and headers of a refusal from `extensions.http` (a Map: its HeaderMap is one).
  return withHttpStatus(error, 429, headers);
}
