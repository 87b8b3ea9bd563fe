/**
 * `npm run token -- --scope "…" [--sub …] [--ttl 3600] [--purpose …] [--client …]`: prints a JWT that the
 * development stack (`npm start` on the same DATA_DIR) accepts. Without `--scope` the token reads the
 * register (`folkreg:read`, every domain's read scope); `--scope ""` gives one that reads nothing.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { claimDataDir } from '../db/data-dir.js';
import { loadConfig } from '../kernel/config.js';
import { loadOrCreateDevIssuer } from '../gateway/dev-auth.js';

const { values } = parseArgs({
  options: {
    scope: { type: 'string', default: 'folkreg:read' },
    sub: { type: 'string', default: 'developer' },
    ttl: { type: 'string', default: '3600' },
    purpose: { type: 'string' },
    client: { type: 'string', default: 'folkreg-dev-client' },
    role: { type: 'string' },
  },
});
const ttlSeconds = Number(values.ttl);
if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
  console.error('--ttl takes a whole number of seconds');
  process.exit(1);
}
const dataDir = resolve(loadConfig('tool').database.dataDir);
claimDataDir(dataDir);
const issuer = await loadOrCreateDevIssuer(dataDir);
console.log(await issuer.issue({ scope: values.scope, sub: values.sub, ttlSeconds, purpose: values.purpose, client: values.client, role: values.role }));
