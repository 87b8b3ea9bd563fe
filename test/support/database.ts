import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import { withDatabase } from './global-setup.js';

export interface TestDatabase extends Database {
  /** Closes and, on a server, drops the database. */
  dispose(): Promise<void>;
  /** The postgres URL of this database, when on a server (for a second process or pool). */
  url: string | null;
}

/**
 * A database of this test file's own: a fresh copy of the migrated template on the Postgres server when
 * DATABASE_URL is set (CI), otherwise an in-memory PGlite.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  const template = inject('templateDatabase');
  if (!serverUrl || !template) {
    const database = await openDatabase({ inMemory: true });
    await database.migrate();
    return { ...database, url: null, dispose: () => database.close() };
  }
  // Named after the run's template: its teardown drops what a killed worker left behind.
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${template}`);
  const url = withDatabase(serverUrl, name);
  const database = await openDatabase({ url, maxConnections: 10 });
  return {
    ...database,
    url,
    async dispose() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
