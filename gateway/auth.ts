import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { CallerIdentity } from './policy.js';
import { CountedLru } from '../kernel/cache.js';
import type { AuthConfig } from '../kernel/config.js';

/** How the gateway verifies callers' JWTs. */
export interface AuthOptions {
  /** JWKS endpoint of the identity provider. One of `jwksUrl`, `jwks` is required. */
  jwksUrl?: string;
  /** A local JWKS (from a file). */
  jwks?: JSONWebKeySet;
  issuer: string;
  audience: string;
  /** Accepted signature algorithms: asymmetric only, so a public key can never serve as an HMAC secret. @default ['RS256','PS256','ES256','EdDSA'] */
  algorithms?: string[];
  /** Claim holding the scopes (space-separated string or array of strings). @default 'scope' */
  scopeClaim?: string;
  /** Claim holding the caller's role. @default 'role' */
  roleClaim?: string;
  /** Claim naming the calling client (system). @default 'client_id', falling back to 'azp' */
  clientClaim?: string;
  /** Claim stating the purpose of the call. @default 'purpose' */
  purposeClaim?: string;
  /** Clock skew tolerated for exp/nbf. @default 30 // seconds */
  clockToleranceSeconds?: number;
  /** The clock tokens are checked and remembered by, in ms since the epoch (tests set it). @default Date.now */
  now?: () => number;
}

const ASYMMETRIC = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']);

/** A rejected credential; `message` says what was wrong without echoing the token. */
export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

export type Authenticate = (authorization: string | undefined) => Promise<CallerIdentity & { expiresAt: number }>;

export function createAuthenticator(options: AuthOptions): Authenticate {
  const algorithms = options.algorithms ?? ['RS256', 'PS256', 'ES256', 'EdDSA'];
  const symmetric = algorithms.filter((a) => !ASYMMETRIC.has(a));
  if (symmetric.length) throw new Error(`Auth: algorithms ${symmetric.join(', ')} are not allowed; use asymmetric algorithms only.`);
  let keys: JWTVerifyGetKey;
  if (options.jwksUrl) keys = createRemoteJWKSet(new URL(options.jwksUrl));
  else if (options.jwks) keys = createLocalJWKSet(options.jwks);
  else throw new Error('Auth: configure AUTH_JWKS_URL or AUTH_JWKS_FILE.');
  const claim = { scope: options.scopeClaim ?? 'scope', role: options.roleClaim ?? 'role', purpose: options.purposeClaim ?? 'purpose' };
  const toleranceMs = (options.clockToleranceSeconds ?? 30) * 1000;
  const now = options.now ?? Date.now;
  // Tokens already verified, for at most a minute and never past their expiry: a client sends the same
  // token with every request, and a signature check per request was the gateway's largest cost after
  // HTTP. Only successes are kept; a key removed from the JWKS stops its tokens within the minute.
  const verified = new CountedLru<string, CallerIdentity & { expiresAt: number }>(10_000, now);

  return async (authorization) => {
    if (!authorization) throw new AuthenticationError('Missing bearer token: send "Authorization: Bearer <JWT>".');
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw new AuthenticationError('Malformed Authorization header: expected "Bearer <JWT>".');
    const checkedAt = now();
    const cached = verified.get(match[1]!);
    if (cached) return cached;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1]!, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: options.clockToleranceSeconds ?? 30,
        currentDate: new Date(checkedAt),
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      throw new AuthenticationError(describeFailure(err));
    }
    const identity = {
      subject: String(payload.sub),
      client: stringClaim(payload, options.clientClaim ?? 'client_id') ?? stringClaim(payload, 'azp'),
      scopes: scopesOf(payload[claim.scope], claim.scope),
      role: stringClaim(payload, claim.role),
      purpose: stringClaim(payload, claim.purpose),
      expiresAt: (payload.exp ?? 0) * 1000,
    };
    verified.set(match[1]!, identity, Math.min(identity.expiresAt + toleranceMs, checkedAt + 60_000));
    return identity;
  };
}

function stringClaim(payload: JWTPayload, name: string): string | null {
  const value = payload[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new AuthenticationError(`Claim '${name}' must be a string.`);
  return value;
}

function scopesOf(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new AuthenticationError(`Claim '${name}' must be a space-separated string or an array of strings.`);
}

function describeFailure(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'Token expired: get a new one.';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return 'Token not yet valid (nbf is in the future).';
    if (err.claim === 'iss') return 'Token has the wrong issuer.';
    if (err.claim === 'aud') return 'Token has the wrong audience.';
    return `Token claim '${err.claim}' is invalid: ${err.reason}.`;
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return 'Token signature algorithm is not allowed.';
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey)
    return 'Token signature does not verify against the trusted keys.';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'Token is not a well-formed JWT.';
  if (err instanceof errors.JWKSTimeout) return "The identity provider's keys could not be fetched in time; try again.";
  return 'Token rejected.';
}

/** Auth options of the gateway alone (AUTH_* in README "Configuration"); reads the AUTH_JWKS_FILE it names. */
export function authOptionsOf(config: AuthConfig & { issuer: string; audience: string }): AuthOptions {
  const { jwksFile, ...options } = config;
  return { ...options, jwks: jwksFile ? (JSON.parse(readFileSync(jwksFile, 'utf8')) as JSONWebKeySet) : undefined };
}
