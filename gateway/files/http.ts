import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { apiError, type ErrorCode } from '../../kernel/errors.js';
import { readRawBody, sendError, sendJson } from '../../kernel/http.js';
import type { Db } from '../../db/client.js';
import { readBlob } from './blobs.js';

/** An HTTP refusal of the delivery routes: a catalogue error and its status. */
export class DeliveryHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: GraphQLError,
  ) {
    super(error.message);
  }
}

/** A catalogue error answered with `status`. */
export function refuse(status: number, error: GraphQLError): DeliveryHttpError {
  return new DeliveryHttpError(status, error);
}

/** The one answer for a thing that does not exist, is not the caller's, has expired, or a path that is no route: no oracle. */
export function notFoundHere(): DeliveryHttpError {
  return refuse(404, apiError('NOT_FOUND', 'No such file or extract for your client.'));
}

/** Writes a refusal; anything else is a fault of ours (500, nothing internal said). */
export function answerError(res: ServerResponse, err: unknown): boolean {
  if (err instanceof DeliveryHttpError) {
    const { code, ...extensions } = err.error.extensions as { code: ErrorCode };
    sendError(res, err.status, code, err.error.message, extensions);
    return true;
  }
  if (err instanceof GraphQLError && err.extensions?.code === 'BAD_USER_INPUT') {
    const { code, ...extensions } = err.extensions as { code: ErrorCode };
    sendError(res, 400, code, err.message, extensions);
    return true;
  }
  if (err instanceof GraphQLError && err.extensions?.code === 'FORBIDDEN') {
    const { code, ...extensions } = err.extensions as { code: ErrorCode };
    sendError(res, 403, code, err.message, extensions);
    return true;
  }
  return false;
}

/** The JSON body of a POST or PUT (empty: `{}`), or BAD_REQUEST. */
export async function jsonBody(req: IncomingMessage): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readRawBody(req);
  } catch (err) {
    const { status, code, message } = err as { status?: number; code?: ErrorCode; message: string };
    throw refuse(status ?? 400, apiError(code ?? 'BAD_REQUEST', message));
  }
  if (raw.length === 0) return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw refuse(415, apiError('BAD_REQUEST', 'Send the body as application/json.'));
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw refuse(400, apiError('BAD_REQUEST', 'The request body is not valid JSON.'));
  }
}

export { sendJson };

/** Streams a blob as the response body, waiting for the socket to drain (never the whole blob in memory). */
export async function streamBlob(
  db: Db,
  res: ServerResponse,
  blob: { blobId: string; bytes: number; sha256: string | null },
  mediaType: string,
  filename: string,
): Promise<void> {
  res.statusCode = 200;
  res.setHeader('content-type', mediaType);
  res.setHeader('content-length', String(blob.bytes));
  res.setHeader('content-disposition', `attachment; filename="${filename}"`);
  // RFC 9530: the checksum of the bytes sent, so a receiver checks what it stored.
  if (blob.sha256) res.setHeader('repr-digest', `sha-256=:${Buffer.from(blob.sha256, 'hex').toString('base64')}:`);
  res.setHeader('cache-control', 'no-store');
  for await (const chunk of readBlob(db, blob.blobId)) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  res.end();
}

/**
 * Waits for the socket to take more, or to go away. Both listeners are removed when either fires: left
 * in place, each wait of a 1,000,000-person extract's download (858 MB) added a 'close' listener that
 * stayed until the response ended (Node's MaxListenersExceededWarning at the eleventh).
 */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((ok) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      ok();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
