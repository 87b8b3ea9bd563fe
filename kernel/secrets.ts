import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { exportGatewayKeys, generateGatewayKeys, importGatewayKey, type GatewayKeyPair } from './gateway-token.js';

/**
 * Secrets shared by the gateway and the subgraphs. `cursorSecret` signs cursors and must be the same in
 * every process and survive restarts (a subscriber resumes from a cursor issued before a deployment).
 */
export interface StackSecrets {
  cursorSecret: Buffer;
  gatewayKeys: GatewayKeyPair;
}

interface StoredSecrets {
  cursorSecret: string;
  gatewayPrivateJwk: JWK;
  gatewayPublicJwk: JWK;
}

/** Development secrets, created once in DATA_DIR/secrets.json (mode 0600) and reused on every start. */
export async function loadOrCreateDevSecrets(dataDir: string): Promise<StackSecrets> {
  const file = join(dataDir, 'secrets.json');
  if (!existsSync(file)) {
    const { privateJwk, publicJwk } = await exportGatewayKeys(await generateGatewayKeys());
    const stored: StoredSecrets = { cursorSecret: randomBytes(32).toString('base64'), gatewayPrivateJwk: privateJwk, gatewayPublicJwk: publicJwk };
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  return {
    cursorSecret: Buffer.from(stored.cursorSecret, 'base64'),
    gatewayKeys: { privateKey: await importGatewayKey(stored.gatewayPrivateJwk), publicKey: await importGatewayKey(stored.gatewayPublicJwk) },
  };
}

/** Fresh secrets held in memory only (tests). */
export async function ephemeralSecrets(): Promise<StackSecrets> {
  return { cursorSecret: randomBytes(32), gatewayKeys: await generateGatewayKeys() };
}
