/**
 * `/ingest/cpr` and `/ingest/ndjson` on the person subgraph: the CPR change-extract ingest (ingest/cpr.ts)
 * and the NDJSON import of Swedish persons (ingest/ndjson.ts) for a file the gateway forwards (README
 * "Keeping the register current"). Behind the subgraph's door like /graphql (a gateway token for this
 * subgraph and this exact body, used once), and the caller the token names must hold `register:ingest`
 * here too.
 */
import type { SubgraphRoute } from '../shared/server.js';
import { ingestCpr } from '../../ingest/cpr.js';
import { ingestNdjson } from '../../ingest/ndjson.js';
import type { IngestReport } from '../../ingest/report.js';
import type { Caller } from '../../kernel/caller.js';
import type { Db } from '../../db/client.js';
import { ingestRouteBounds, INGEST_CPR_PATH, INGEST_SCOPE, readForwardedIngestBody, type ForwardedIngestOptions } from '../../kernel/ingest-route.js';

const error = (status: number, code: string, message: string, extensions: Record<string, unknown> = {}) => ({
  status,
  body: { errors: [{ message, extensions: { ...extensions, code } }] },
});

type Ingest = (db: Db, file: Buffer, options: ForwardedIngestOptions, caller: Caller) => Promise<IngestReport>;

function ingestRoute(ingest: Ingest, logged: string): SubgraphRoute {
  return {
    // The default file bound and the options line on top of it; INGEST_MAX_BYTES comes through `SubgraphRuntime.routeMaxBytes`.
    maxBytes: ingestRouteBounds()[INGEST_CPR_PATH]!,
    async handle({ caller, body }, { db, log }) {
      if (!caller.scopes.includes(INGEST_SCOPE))
        return error(403, 'FORBIDDEN', `Ingesting needs the scope ${INGEST_SCOPE}.`, { reason: 'MISSING_SCOPE', requiredScopes: [[INGEST_SCOPE]] });
      const forwarded = readForwardedIngestBody(body);
      if (!forwarded) return error(400, 'BAD_REQUEST', 'Not a forwarded ingest body.');
      const report = await ingest(db, forwarded.file, forwarded.options, caller);
      // Counts only: the report's lines hold numbers and values of persons.
      log.info({ accepted: report.accepted, forced: report.forced, ...report.summary, bytes: forwarded.file.length }, logged);
      return { status: 200, body: report };
    },
  };
}

const by = (caller: Caller) => ({ subject: caller.subject, client: caller.client });

export const ingestCprRoute = ingestRoute((db, file, options, caller) => ingestCpr(db, file, { force: options.force, by: by(caller) }), 'cpr extract ingested');

export const ingestNdjsonRoute = ingestRoute((db, file, _options, caller) => ingestNdjson(db, file, { by: by(caller) }), 'ndjson import ingested');
