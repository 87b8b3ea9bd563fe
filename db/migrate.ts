/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database). Exits 0 or 1. */
import { loadConfig } from '../kernel/config.js';
import { databaseOptionsOf, openDatabase } from './client.js';

try {
  const database = await openDatabase(databaseOptionsOf(loadConfig('tool').database));
  await database.migrate();
  await database.close();
  console.log('Migrations applied.');
} catch (err) {
  console.error(`Migration failed: ${(err as Error).message}`);
  process.exit(1);
}
