import { KeyObject, createHash, randomBytes, sign, verify } from 'node:crypto';
import type { Caller, HiddenCategories } from './caller.js';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/**
 * The token the gateway signs for every subgraph fetch, carrying the caller it verified. Subgraphs
 * accept nothing without it, so no request reaches a subgraph around the gateway's rules — a client JWT
 * sent straight to a subgraph is not enough.
 *
 * A token is good for one fetch only (README, "Trust between gateway and subgraphs"):
 * - `aud` names the one subgraph it was signed for (`subgraph:address`);
 * - `req` is the SHA-256 of the exact request body the gateway sent, so a captured token can only
 *   repeat that fetch, never ask another question;
 * - `route` names the subgraph's path when it is not `/graphql` (the person subgraph's `/ingest/cpr`),
 *   so a token for one of a subgraph's doors opens no other (absent: `/graphql`, no bytes on the hot path);
 * - `jti` is unique: a subgraph process answers each token once (`ReplayGuard`);
 * - it lives {@link GATEWAY_TOKEN_TTL_SECONDS} and is refused past `exp` (plus
 *   {@link GATEWAY_TOKEN_CLOCK_TOLERANCE_SECONDS} for clocks apart), with no cache that outlives it.
 *
 * Signed with Ed25519 through node:crypto directly: a subgraph holds only the public key, so a
 * compromised subgraph cannot mint tokens for the others, and the synchronous one-shot sign/verify
 * costs a fraction of jose's WebCrypto path (measured ~3× on this machine) now that every fetch signs.
 */
export const GATEWAY_TOKEN_HEADER = 'folkreg-gateway-token';
const ISSUER = 'folkreg-gateway';
/** The only header a gateway token may have: compared byte for byte, so no `alg` games. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' })).toString('base64url');
const ALG = 'EdDSA';
/** Lifetime of a gateway token: it covers one fetch's way to the subgraph. @default 10 // seconds */
export const GATEWAY_TOKEN_TTL_SECONDS = 10;
/** How far apart the gateway's and a subgraph's clocks may be. @default 2 // seconds */
export const GATEWAY_TOKEN_CLOCK_TOLERANCE_SECONDS = 2;

/** A subgraph's GraphQL endpoint: the route of a token without a `route` claim. */
export const GRAPHQL_ROUTE = '/graphql';

/** The audience of a token for one subgraph. */
export function gatewayTokenAudience(subgraph: string): string {
  return `subgraph:${subgraph}`;
}

export interface GatewayKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export async function generateGatewayKeys(): Promise<GatewayKeyPair> {
  return generateKeyPair(ALG, { extractable: true });
}

export async function exportGatewayKeys(keys: GatewayKeyPair): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  return { privateJwk: await exportJWK(keys.privateKey), publicJwk: await exportJWK(keys.publicKey) };
}

export async function importGatewayKey(jwk: JWK | string): Promise<CryptoKey> {
  const parsed = typeof jwk === 'string' ? (JSON.parse(jwk) as JWK) : jwk;
  return (await importJWK(parsed, ALG)) as CryptoKey;
}

/** SHA-256 of a request body, base64url: the `req` claim. */
export function requestDigest(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

/** What one token is for. */
export interface TokenTarget {
  /** The subgraph that will receive it. */
  subgraph: string;
  /** The exact request body it will travel with. */
  body: string | Uint8Array;
  /** The subgraph's path it is for. @default GRAPHQL_ROUTE */
  route?: string;
  /** @default GATEWAY_TOKEN_TTL_SECONDS */
  ttlSeconds?: number;
  /** Milliseconds since the epoch. @default Date.now() */
  now?: number;
}

const keyObjects = new WeakMap<CryptoKey, KeyObject>();
function keyObject(key: CryptoKey | KeyObject): KeyObject {
  if (key instanceof KeyObject) return key;
  let object = keyObjects.get(key);
  if (!object) keyObjects.set(key, (object = KeyObject.from(key)));
  return object;
}

/** The caller's claims as JSON (without braces), computed once per caller object. */
const callerClaims = new WeakMap<Caller, string>();
function claimsOf(caller: Caller): string {
  let claims = callerClaims.get(caller);
  if (claims === undefined) {
    const { subject, client, scopes, role, purpose, hidden, hiddenEventTypes } = caller;
    claims = JSON.stringify({ iss: ISSUER, sub: subject, client, scopes, role, purpose, hidden, hiddenEventTypes }).slice(1, -1);
    callerClaims.set(caller, claims);
  }
  return claims;
}

/**
 * A fresh 128-bit `jti`, sliced from random bytes drawn 4 KiB at a time: `randomBytes(16)` per fetch cost
 * about 3 µs (measured), a slice of the pool a tenth of that. Each slice is used once.
 */
let jtiPool = Buffer.alloc(0);
let jtiOffset = 0;
function freshJti(): string {
  if (jtiOffset + 16 > jtiPool.length) {
    jtiPool = randomBytes(4096);
    jtiOffset = 0;
  }
  const jti = jtiPool.toString('base64url', jtiOffset, jtiOffset + 16);
  jtiOffset += 16;
  return jti;
}

/** Signs a token for one fetch of `target.subgraph` with exactly `target.body`. */
export function signGatewayToken(caller: Caller, privateKey: CryptoKey | KeyObject, target: TokenTarget): string {
  const iat = Math.floor((target.now ?? Date.now()) / 1000);
  const exp = iat + (target.ttlSeconds ?? GATEWAY_TOKEN_TTL_SECONDS);
  const own = JSON.stringify({
    aud: gatewayTokenAudience(target.subgraph),
    iat,
    exp,
    jti: freshJti(),
    req: requestDigest(target.body),
    ...(target.route && target.route !== GRAPHQL_ROUTE ? { route: target.route } : {}),
  });
  const payload = Buffer.from(`{${claimsOf(caller)},${own.slice(1)}`).toString('base64url');
  const signingInput = `${HEADER}.${payload}`;
  return `${signingInput}.${sign(null, Buffer.from(signingInput), keyObject(privateKey)).toString('base64url')}`;
}

/** Why a subgraph refused a gateway token: `extensions.reason` of its 401 answer. */
export type GatewayTokenRefusal =
  | 'GATEWAY_TOKEN_INVALID'
  | 'GATEWAY_TOKEN_EXPIRED'
  | 'GATEWAY_TOKEN_WRONG_SUBGRAPH'
  | 'GATEWAY_TOKEN_WRONG_ROUTE'
  | 'GATEWAY_TOKEN_WRONG_REQUEST'
  | 'GATEWAY_TOKEN_REPLAYED';

export class GatewayTokenError extends Error {
  constructor(
    readonly reason: GatewayTokenRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** A verified token: the caller, and what the replay guard needs. */
export interface VerifiedGatewayToken {
  caller: Caller;
  jti: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/**
 * Checks signature, issuer, expiry, audience and request digest, in that order, and throws a
 * `GatewayTokenError` naming the first that fails.
 */
export function verifyGatewayToken(token: string, publicKey: CryptoKey | KeyObject, expected: Omit<TokenTarget, 'ttlSeconds'>): VerifiedGatewayToken {
  const invalid = (why: string) => new GatewayTokenError('GATEWAY_TOKEN_INVALID', `Invalid gateway token (${why}); subgraphs answer only the folkreg gateway.`);
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) throw invalid('not a gateway token');
  const signature = Buffer.from(parts[2]!, 'base64url');
  if (!verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), keyObject(publicKey), signature)) throw invalid('bad signature');
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalid('unreadable claims');
  }
  if (payload.iss !== ISSUER || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') throw invalid('missing claims');
  const { exp, iat } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number') throw invalid('no lifetime');
  const now = (expected.now ?? Date.now()) / 1000;
  if (now >= exp + GATEWAY_TOKEN_CLOCK_TOLERANCE_SECONDS)
    throw new GatewayTokenError('GATEWAY_TOKEN_EXPIRED', 'Expired gateway token; subgraphs answer only the folkreg gateway.');
  if (iat > now + GATEWAY_TOKEN_CLOCK_TOLERANCE_SECONDS) throw invalid('issued in the future');
  if (payload.aud !== gatewayTokenAudience(expected.subgraph)) {
    throw new GatewayTokenError('GATEWAY_TOKEN_WRONG_SUBGRAPH', `This gateway token was signed for another subgraph, not ${expected.subgraph}.`);
  }
  if ((payload.route ?? GRAPHQL_ROUTE) !== (expected.route ?? GRAPHQL_ROUTE)) {
    throw new GatewayTokenError('GATEWAY_TOKEN_WRONG_ROUTE', `This gateway token was signed for another route of ${expected.subgraph}.`);
  }
  if (payload.req !== requestDigest(expected.body)) {
    throw new GatewayTokenError(
      'GATEWAY_TOKEN_WRONG_REQUEST',
      'This gateway token was signed for another request body; a gateway token is good for the one fetch it was signed for.',
    );
  }
  const caller: Caller = {
    subject: payload.sub,
    client: typeof payload.client === 'string' ? payload.client : null,
    scopes: Array.isArray(payload.scopes) ? payload.scopes.map(String) : [],
    role: typeof payload.role === 'string' ? payload.role : null,
    purpose: typeof payload.purpose === 'string' ? payload.purpose : null,
    hidden: parseHidden(payload.hidden),
    hiddenEventTypes: Array.isArray(payload.hiddenEventTypes) ? payload.hiddenEventTypes.map(String) : [],
  };
  return { caller, jti: payload.jti, expiresAt: (exp + GATEWAY_TOKEN_CLOCK_TOLERANCE_SECONDS) * 1000 };
}

/** A token without a well-formed `hidden` map is refused rather than read as "hides nothing". */
function parseHidden(value: unknown): HiddenCategories {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new GatewayTokenError('GATEWAY_TOKEN_INVALID', 'Gateway token lacks the protection map.');
  const hidden: Record<string, string[]> = {};
  for (const [kind, categories] of Object.entries(value)) {
    if (!Array.isArray(categories)) throw new GatewayTokenError('GATEWAY_TOKEN_INVALID', 'Gateway token has a malformed protection map.');
    hidden[kind] = categories.map(String);
  }
  return hidden;
}

/**
 * The token ids a subgraph process has answered, each kept until its token expires: a second use of
 * the same token is refused. Tokens share one lifetime, so insertion order is expiry order and
 * pruning looks only at the oldest. Bounded by `max`: past it the oldest ids go first (their tokens
 * are then refused only by their body digest and lifetime).
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  constructor(
    /** @default 200_000 // about 20 MB; ~16 000 fetches a second for the 12 s a token lives */
    private readonly max = 200_000,
  ) {}

  /** Records `token`'s id; throws GATEWAY_TOKEN_REPLAYED when it was seen before. */
  use(token: VerifiedGatewayToken, now = Date.now()): void {
    for (const [jti, until] of this.seen) {
      if (until > now && this.seen.size < this.max) break;
      this.seen.delete(jti);
    }
    if (this.seen.has(token.jti))
      throw new GatewayTokenError('GATEWAY_TOKEN_REPLAYED', 'This gateway token was used already; a gateway token is good for one fetch.');
    this.seen.set(token.jti, token.expiresAt);
  }
}

/** Signs a fresh token for every fetch (the gateway's side of `verifyGatewayToken`). */
export class GatewayTokenSigner {
  private readonly key: KeyObject;
  constructor(privateKey: CryptoKey | KeyObject) {
    this.key = keyObject(privateKey);
  }

  tokenFor(caller: Caller, subgraph: string, body: string | Uint8Array, route?: string): string {
    return signGatewayToken(caller, this.key, { subgraph, body, ...(route ? { route } : {}) });
  }
}
