import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import type { AuthOptions } from './auth.js';

/**
 * A local identity provider for development and tests: an ES256 key the dev stack trusts, and tokens
 * signed with it (`npm run token`). Production verifies tokens of a real provider (AUTH_JWKS_URL).
 */
export const DEV_ISSUER = 'folkreg-dev';
export const DEV_AUDIENCE = 'folkreg';
const ALG = 'ES256';

export interface IssueOptions {
  scope?: string;
  sub?: string;
  ttlSeconds?: number;
  client?: string;
  purpose?: string;
  role?: string;
  /** Overrides, for tests of rejection. */
  issuer?: string;
  audience?: string;
  notBeforeSeconds?: number;
}

export interface DevIssuer {
  authOptions: AuthOptions;
  issue(claims?: IssueOptions): Promise<string>;
}

async function issuerFrom(privateJwk: JWK): Promise<DevIssuer> {
  const { d: _private, ...publicJwk } = privateJwk;
  const jwks: JSONWebKeySet = { keys: [{ ...publicJwk, alg: ALG, use: 'sig', kid: 'folkreg-dev' }] };
  const key = (await importJWK(privateJwk, ALG)) as CryptoKey;
  return {
    authOptions: { jwks, issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: [ALG] },
    issue: ({ scope = '', sub = 'developer', ttlSeconds = 3600, client = 'folkreg-dev-client', purpose, role, issuer, audience, notBeforeSeconds } = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({ scope, client_id: client, ...(purpose ? { purpose } : {}), ...(role ? { role } : {}) })
        .setProtectedHeader({ alg: ALG, kid: 'folkreg-dev' })
        .setIssuer(issuer ?? DEV_ISSUER)
        .setAudience(audience ?? DEV_AUDIENCE)
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime(now + ttlSeconds);
      if (notBeforeSeconds) jwt.setNotBefore(now + notBeforeSeconds);
      return jwt.sign(key);
    },
  };
}

/** The dev issuer of DATA_DIR, created on first use (DATA_DIR/dev-issuer-key.json, mode 0600). */
export async function loadOrCreateDevIssuer(dataDir: string): Promise<DevIssuer> {
  const file = join(dataDir, 'dev-issuer-key.json');
  if (!existsSync(file)) {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    writeFileSync(file, JSON.stringify(await exportJWK(privateKey)) + '\n', { mode: 0o600 });
  }
  return issuerFrom(JSON.parse(readFileSync(file, 'utf8')) as JWK);
}

/** A dev issuer held in memory only (tests). */
export async function ephemeralDevIssuer(): Promise<DevIssuer> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  return issuerFrom(await exportJWK(privateKey));
}
