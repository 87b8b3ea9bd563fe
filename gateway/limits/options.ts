import { readFileSync } from 'node:fs';

/**
 * Limits one operation must stay within, checked before it is planned. The defaults let every operation
 * in the README, the partner client and the test suite through and refuse each attack shape seen in
 * issue 13 in milliseconds.
 */
export interface OperationLimits {
  /** Bytes of the document text. @default 65_536 // 64 KB (the README's largest operation is 1 KB) */
  maxDocumentBytes: number;
  /** Lexical tokens of the document; parsing stops at the first one over. @default 10_000 */
  maxTokens: number;
  /** Nested field selections (fragments flattened, introspection's `__schema` not counted). @default 15 */
  maxDepth: number;
  /**
   * Aliased fields, fragments expanded (`__typename` free). Aliased scalars are cheap and the test suite's
   * widest subscription aliases `cursor` 200 times; aliased lookups and pages are priced by `maxCost`.
   * @default 256
   */
  maxAliases: number;
  /** Fields at the root of the operation, fragments expanded. @default 20 */
  maxRootFields: number;
  /** Directives applied anywhere in the operation, fragments expanded. @default 50 */
  maxDirectives: number;
  /**
   * Estimated cost: every object 1, scalars free, a list field's selection counted once per item it may
   * return (`first:`, or the length of a list argument, else its assumed size), multiplied through
   * nesting. A family page of 20 with names and addresses costs 104; three nested pages 33,683. @default 20_000
   */
  maxCost: number;
}

/** Everything that can be set per client or scope: the operation limits and the cost budget. */
export interface ClientLimits extends OperationLimits {
  /** Cost units a client may spend per minute, shared by every gateway replica on one Redis (0: no budget). @default 300_000 */
  costPerMinute: number;
}

export const DEFAULT_LIMITS: ClientLimits = {
  maxDocumentBytes: 65_536,
  maxTokens: 10_000,
  maxDepth: 15,
  maxAliases: 256,
  maxRootFields: 20,
  maxDirectives: 50,
  maxCost: 20_000,
  costPerMinute: 300_000,
};

/** Socket limits of websocket subscriptions. */
export interface SocketLimits {
  /** Subscriptions open at once on one socket; one more closes the socket with 4430. @default 100 */
  maxSubscriptionsPerSocket: number;
  /** Sockets open at once per client (client id, else subject); one more is closed with 4431. @default 50 */
  maxSocketsPerClient: number;
  /**
   * Refused subscribes (unregistered document, missing scope, over a limit or the budget, invalid) one
   * socket may send; one more closes it with 4432. A client that keeps sending what is refused is broken
   * or probing: each refusal still costs a hash or a parse. @default 20
   */
  maxRefusedSubscribesPerSocket: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = { maxSubscriptionsPerSocket: 100, maxSocketsPerClient: 50, maxRefusedSubscribesPerSocket: 20 };

/** The limits configuration: defaults, then overrides per scope (in file order), then per client id. */
export interface LimitsConfig {
  defaults: ClientLimits;
  /** Overrides for callers holding the scope; several matching scopes apply in the order given. */
  scopes: Record<string, Partial<ClientLimits>>;
  /** Overrides for one client id (the token's client claim), applied last. */
  clients: Record<string, Partial<ClientLimits>>;
  sockets: SocketLimits;
}

/** Who is asking: what limits are chosen by. */
export interface LimitedCaller {
  subject: string;
  client: string | null;
  scopes: readonly string[];
}

/** The caller's effective limits. */
export function limitsFor(config: LimitsConfig, caller: LimitedCaller): ClientLimits {
  let limits = config.defaults;
  for (const [scope, override] of Object.entries(config.scopes)) if (caller.scopes.includes(scope)) limits = { ...limits, ...override };
  const own = caller.client !== null ? config.clients[caller.client] : undefined;
  return own ? { ...limits, ...own } : limits;
}

/** The key a caller's budget and sockets are counted under: its client id, else its subject. */
export function budgetKey(caller: LimitedCaller): string {
  return caller.client !== null ? `client:${caller.client}` : `subject:${caller.subject}`;
}

const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS) as (keyof ClientLimits)[];
const SOCKET_KEYS = Object.keys(DEFAULT_SOCKET_LIMITS) as (keyof SocketLimits)[];

/** Thrown at start for a limits file that is not exactly what this module reads. */
export class LimitsConfigError extends Error {
  override name = 'LimitsConfigError';
}

function overrides(value: unknown, where: string, keys: readonly string[]): Record<string, number> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new LimitsConfigError(`${where} must be an object.`);
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!keys.includes(key)) throw new LimitsConfigError(`${where}: unknown key '${key}' (known: ${keys.join(', ')}).`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      throw new LimitsConfigError(`${where}.${key} must be a whole number ≥ 0; got ${JSON.stringify(v)}.`);
    out[key] = v;
  }
  return out;
}

/**
 * Reads `{ "defaults": {…}, "scopes": { "<scope>": {…} }, "clients": { "<client id>": {…} }, "sockets": {…} }`
 * (every part optional); an unknown key or a value that is not a whole number stops the start.
 */
export function parseLimitsConfig(json: unknown, base: LimitsConfig = defaultLimitsConfig()): LimitsConfig {
  const top = overridesOf(json);
  const config: LimitsConfig = { ...base, scopes: { ...base.scopes }, clients: { ...base.clients } };
  if (top.defaults !== undefined) config.defaults = { ...base.defaults, ...overrides(top.defaults, 'defaults', LIMIT_KEYS) };
  if (top.sockets !== undefined) config.sockets = { ...base.sockets, ...overrides(top.sockets, 'sockets', SOCKET_KEYS) };
  for (const part of ['scopes', 'clients'] as const) {
    const entries = top[part];
    if (entries === undefined) continue;
    if (!entries || typeof entries !== 'object' || Array.isArray(entries)) throw new LimitsConfigError(`${part} must be an object.`);
    for (const [name, value] of Object.entries(entries)) config[part][name] = overrides(value, `${part}.${name}`, LIMIT_KEYS);
  }
  return config;
}

function overridesOf(json: unknown): Record<string, unknown> {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new LimitsConfigError('The limits file must hold a JSON object.');
  for (const key of Object.keys(json)) {
    if (!['defaults', 'scopes', 'clients', 'sockets'].includes(key))
      throw new LimitsConfigError(`Unknown key '${key}' (known: defaults, scopes, clients, sockets).`);
  }
  return json as Record<string, unknown>;
}

export function defaultLimitsConfig(): LimitsConfig {
  return { defaults: { ...DEFAULT_LIMITS }, scopes: {}, clients: {}, sockets: { ...DEFAULT_SOCKET_LIMITS } };
}

/**
 * LIMITS_FILE (the JSON above, read here) over RATE_LIMIT_COST_PER_MINUTE (the default budget; 0 switches
 * budgets off; the file's `defaults.costPerMinute` wins over it). Problems stop the start with what to fix.
 */
export function limitsConfigOf(config: { limitsFile?: string; costPerMinute?: number }): LimitsConfig {
  const base = defaultLimitsConfig();
  if (config.costPerMinute !== undefined) base.defaults.costPerMinute = config.costPerMinute;
  const file = config.limitsFile;
  if (!file) return base;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new LimitsConfigError(`LIMITS_FILE ${file}: ${(err as Error).message}`);
  }
  try {
    return parseLimitsConfig(json, base);
  } catch (err) {
    throw new LimitsConfigError(`LIMITS_FILE ${file}: ${(err as Error).message}`);
  }
}
