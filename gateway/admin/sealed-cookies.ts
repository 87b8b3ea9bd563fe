import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { adminSignInUsed } from '../../db/schema/admin.js';
import { CountedLru } from '../../kernel/cache.js';

/**
 * What the administration UI's sign-in keeps between its requests, kept by the browser instead of by one
 * gateway: small JSON values sealed with AES-256-GCM into HttpOnly cookies, under a key every gateway
 * derives from ADMIN_OIDC_COOKIE_SECRET. A sign-in started on one gateway then completes on any other.
 * The cookie's name is authenticated with its value, so a value sealed for one cookie opens as no other.
 */
export class CookieSeal {
  private readonly key: Buffer;

  /** `secret`: ADMIN_OIDC_COOKIE_SECRET's bytes (at least 32; the configuration checks it). */
  constructor(secret: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'folkreg admin sign-in cookies', 32));
  }

  /** `value` sealed for the cookie `name`: base64url of IV (12 bytes), ciphertext and tag (16 bytes). */
  seal(name: string, value: object): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(name));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The value sealed for `name`, or null when `sealed` was altered, sealed for another cookie or under another key. */
  open(name: string, sealed: string): Record<string, unknown> | null {
    const bytes = Buffer.from(sealed, 'base64url');
    if (bytes.length < 12 + 16 + 2) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
      decipher.setAAD(Buffer.from(name));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      const text = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
      const value: unknown = JSON.parse(text);
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
}

/** One-time ids (a sign-in's state, a token handle): the first `use` of an id wins, every later one is refused. */
export interface OneTimeIds {
  /** True the first time `id` is used; false when it was used before (by this gateway or another). */
  use(id: string, expiresAt: Date): Promise<boolean>;
}

/**
 * One-time ids recorded in the gateway's database (db/schema/admin.ts), shared by every gateway on it.
 * Rows past their expiry are removed as new ones come: by then the cookie they guard is refused unopened.
 */
export function databaseOneTimeIds(db: Db): OneTimeIds {
  return {
    async use(id, expiresAt) {
      await db.delete(adminSignInUsed).where(lt(adminSignInUsed.expiresAt, new Date()));
      const inserted = await db.insert(adminSignInUsed).values({ id, expiresAt }).onConflictDoNothing().returning({ id: adminSignInUsed.id });
      return inserted.length === 1;
    },
  };
}

/** One-time ids in this gateway's memory: a gateway without a database (one replica only: another would not know them). */
export function memoryOneTimeIds(): OneTimeIds {
  const used = new CountedLru<string, true>(10_000);
  return {
    async use(id, expiresAt) {
      if (used.get(id)) return false;
      used.set(id, true, expiresAt.getTime());
      return true;
    },
  };
}
