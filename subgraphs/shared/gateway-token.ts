import type { HiddenCategories } from './protection.js';
import { ExpiringCache } from './expiring-cache.js';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type CryptoKey, type JWK } from 'jose';

/**
 * The token the gateway signs for every subgraph request, carrying the caller it verified. Subgraphs
 * accept nothing without it, so no request reaches a subgraph around the gateway's rules — a client JWT
 * sent straight to a subgraph is not enough.
 */
export const GATEWAY_TOKEN_HEADER = 'folkreg-gateway-token';
const ISSUER = 'folkreg-gateway';
const AUDIENCE = 'folkreg-subgraphs';
const ALG = 'EdDSA';
/** Lifetime of a gateway token. @default 60 // seconds */
export const GATEWAY_TOKEN_TTL_SECONDS = 60;

/** The verified caller, as subgraphs see it. */
export interface Caller {
  subject: string;
  client: string | null;
  scopes: string[];
  role: string | null;
  purpose: string | null;
  /** What the gateway's protection policy hides from this caller (see `protection.ts`). */
  hidden: HiddenCategories;
  /** Change-event types the policy does not let this caller read or subscribe to. */
  hiddenEventTypes: string[];
}

/**
 * Hides nothing only because it holds no scope at all: tests of subgraphs alone use it. The gateway
 * always computes `hidden` from its policy.
 */
export const ANONYMOUS: Caller = { subject: 'anonymous', client: null, scopes: [], role: null, purpose: null, hidden: {}, hiddenEventTypes: [] };

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

/** `ttlSeconds` other than the default only for the benchmark's fixed caller (a gateway it does not run). */
export async function signGatewayToken(caller: Caller, privateKey: CryptoKey, ttlSeconds = GATEWAY_TOKEN_TTL_SECONDS): Promise<string> {
  return new SignJWT({
    client: caller.client,
    scopes: caller.scopes,
    role: caller.role,
    purpose: caller.purpose,
    hidden: caller.hidden,
    hiddenEventTypes: caller.hiddenEventTypes,
  })
    .setProtectedHeader({ alg: ALG })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(caller.subject)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(privateKey);
}

export async function verifyGatewayToken(token: string, publicKey: CryptoKey): Promise<Caller> {
  const { payload } = await jwtVerify(token, publicKey, { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALG] });
  return {
    subject: String(payload.sub),
    client: typeof payload.client === 'string' ? payload.client : null,
    scopes: Array.isArray(payload.scopes) ? payload.scopes.map(String) : [],
    role: typeof payload.role === 'string' ? payload.role : null,
    purpose: typeof payload.purpose === 'string' ? payload.purpose : null,
    hidden: parseHidden(payload.hidden),
    hiddenEventTypes: Array.isArray(payload.hiddenEventTypes) ? payload.hiddenEventTypes.map(String) : [],
  };
}

/** A token without a well-formed `hidden` map is refused rather than read as "hides nothing". */
function parseHidden(value: unknown): HiddenCategories {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('Gateway token lacks the protection map');
  const hidden: Record<string, string[]> = {};
  for (const [kind, categories] of Object.entries(value)) {
    if (!Array.isArray(categories)) throw new Error('Gateway token has a malformed protection map');
    hidden[kind] = categories.map(String);
  }
  return hidden;
}

/**
 * Caches the signed token per caller for half its lifetime: signing once per request would cost an
 * Ed25519 signature on every gateway request for nothing.
 */
export class GatewayTokenSigner {
  private cache = new ExpiringCache<string, string>(10_000);
  constructor(private readonly privateKey: CryptoKey) {}

  async tokenFor(caller: Caller): Promise<string> {
    const key = JSON.stringify([caller.subject, caller.client, caller.scopes, caller.role, caller.purpose, caller.hidden, caller.hiddenEventTypes]);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const token = await signGatewayToken(caller, this.privateKey);
    this.cache.set(key, token, Date.now() + (GATEWAY_TOKEN_TTL_SECONDS * 1000) / 2);
    return token;
  }
}
