/**
 * What the gateway and the person subgraph share about `POST /ingest/cpr` and `POST /ingest/ndjson`
 * (README "Keeping the register current"): the paths, the scope, the size bound, and how the gateway's
 * forwarded body carries the options.
 */

/** The paths on the gateway and on the person subgraph: CPR change extracts, and the NDJSON import of Swedish persons. */
export const INGEST_CPR_PATH = '/ingest/cpr';
export const INGEST_NDJSON_PATH = '/ingest/ndjson';
export const INGEST_PATHS: readonly string[] = [INGEST_CPR_PATH, INGEST_NDJSON_PATH];

/** The scope a caller needs; never part of the `folkreg:read` bundle. */
export const INGEST_SCOPE = 'register:ingest';

/**
 * The largest file accepted over HTTP unless INGEST_MAX_BYTES says otherwise (kernel/config.ts). A
 * 100,000-person extract of the benchmark's profile is 103 MB (measured, test/bench/cpr-extract.ts);
 * larger files go through `npm run ingest`.
 * @default 134_217_728 // 128 MiB
 */
export const INGEST_MAX_BYTES = 128 * 1024 * 1024;

/** The forwarded options line (`forwardedIngestBody`) is under 200 bytes: the person subgraph takes this much beside the file. */
const OPTIONS_LINE_BYTES = 256;

/** The person subgraph's bound of each ingest route (`SubgraphRuntime.routeMaxBytes`) for files of at most `maxBytes`. */
export function ingestRouteBounds(maxBytes: number = INGEST_MAX_BYTES): Readonly<Record<string, number>> {
  return Object.fromEntries(INGEST_PATHS.map((path) => [path, maxBytes + OPTIONS_LINE_BYTES]));
}

/** The options of one forwarded ingest. */
export interface ForwardedIngestOptions {
  readonly force: boolean;
}

/**
 * The body the gateway forwards: one JSON line of options, then the file's bytes unchanged. The gateway
 * token binds the whole body (its digest), so the options cannot be changed on the way either.
 */
export function forwardedIngestBody(options: ForwardedIngestOptions, file: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${JSON.stringify({ force: options.force })}\n`), file]);
}

/** The options and file of a forwarded body; null when it is not one. */
export function readForwardedIngestBody(body: Buffer): { options: ForwardedIngestOptions; file: Buffer } | null {
  const lf = body.indexOf(0x0a);
  if (lf < 0 || lf > 200) return null;
  try {
    const options = JSON.parse(body.subarray(0, lf).toString('utf8')) as { force?: unknown };
    if (typeof options.force !== 'boolean') return null;
    return { options: { force: options.force }, file: body.subarray(lf + 1) };
  } catch {
    return null;
  }
}
