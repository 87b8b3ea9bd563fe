/**
 * `/ingest/cpr` on the person subgraph: the CPR change-extract ingest (ingest/cpr.ts) for a file the
 * gateway forwards (`POST /ingest/cpr`, README "Keeping the register current"). Behind the subgraph's
 * door like /graphql (a gateway token for this subgraph and this exact body, used once), and the caller
 * the token names must hold `register:ingest` here too.
 */
import type { SubgraphRoute } from '../shared/server.js';
import { ingestCpr } from '../../ingest/cpr.js';
import { INGEST_MAX_BYTES, INGEST_SCOPE, readForwardedIngestBody } from '../../kernel/ingest-route.js';

const error = (status: number, code: string, message: string, extensions: Record<string, unknown> = {}) => ({
  status,
  body: { errors: [{ message, extensions: { ...extensions, code } }] },
});

export const ingestCprRoute: SubgraphRoute = {
  // The options line on top of the file.
  maxBytes: INGEST_MAX_BYTES + 256,
  async handle({ caller, body }, { db, log }) {
    if (!caller.scopes.includes(INGEST_SCOPE))
      return error(403, 'FORBIDDEN', `Ingesting needs the scope ${INGEST_SCOPE}.`, { reason: 'MISSING_SCOPE', requiredScopes: [[INGEST_SCOPE]] });
    const forwarded = readForwardedIngestBody(body);
    if (!forwarded) return error(400, 'BAD_REQUEST', 'Not a forwarded ingest body.');
    const report = await ingestCpr(db, forwarded.file, { force: forwarded.options.force, by: { subject: caller.subject, client: caller.client } });
    // Counts only: the report's lines hold numbers and values of persons.
    log.info({ accepted: report.accepted, forced: report.forced, ...report.summary, bytes: forwarded.file.length }, 'cpr extract ingested');
    return { status: 200, body: report };
  },
};
