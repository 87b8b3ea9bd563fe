import type { IncomingMessage } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { CryptoKey } from 'jose';
import { GATEWAY_TOKEN_HEADER, GatewayTokenError, ReplayGuard, verifyGatewayToken } from '../../kernel/gateway-token.js';
import { type Caller } from '../../kernel/caller.js';
import { readRawBody, type BodyError } from '../../kernel/http.js';
import type { ErrorCode, ErrorReason } from '../../kernel/errors.js';

/** A request the gateway sent: who it is for, and the body the token was checked against. */
export interface AdmittedRequest {
  caller: Caller;
  body: Buffer;
}

/** Why a request was not admitted: the HTTP status, `extensions.code` and `reason` of the answer. */
export interface Refusal {
  status: number;
  code: ErrorCode;
  reason?: ErrorReason;
  message: string;
}

export interface GatewayAccessOptions {
  subgraph: string;
  gatewayPublicKey: CryptoKey | KeyObject;
  /** Milliseconds since the epoch; tests move it. @default Date.now */
  now?: () => number;
}

/**
 * The subgraph's door: a GraphQL request is answered only when it is a POST carrying a gateway token
 * that was signed for this subgraph and this exact body, is within its lifetime, and was not used
 * before in this process. Everything else is refused before any resolver runs.
 */
export class GatewayAccess {
  private readonly replays = new ReplayGuard();
  private readonly now: () => number;
  constructor(private readonly options: GatewayAccessOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The caller and body of an admitted request; throws a `Refusal` otherwise. */
  async admit(req: IncomingMessage, maxBytes?: number): Promise<AdmittedRequest> {
    const token = req.headers[GATEWAY_TOKEN_HEADER];
    if (typeof token !== 'string') {
      throw refusal(401, 'UNAUTHENTICATED', 'Subgraphs answer only the folkreg gateway; send your request to the gateway.', 'GATEWAY_TOKEN_MISSING');
    }
    // The gateway only POSTs; a GET's query string would be a second thing to bind the token to.
    if (req.method !== 'POST') throw refusal(405, 'METHOD_NOT_ALLOWED', 'Subgraphs answer POST requests from the folkreg gateway only.');
    let body: Buffer;
    try {
      body = await readRawBody(req, maxBytes);
    } catch (err) {
      const { status, code, message } = err as BodyError;
      throw refusal(status ?? 400, code ?? 'BAD_REQUEST', message);
    }
    try {
      const now = this.now();
      const route = (req.url ?? '/').split('?')[0];
      const verified = verifyGatewayToken(token, this.options.gatewayPublicKey, { subgraph: this.options.subgraph, body, route, now });
      this.replays.use(verified, now);
      return { caller: verified.caller, body };
    } catch (err) {
      if (err instanceof GatewayTokenError) throw refusal(401, 'UNAUTHENTICATED', err.message, err.reason);
      throw refusal(401, 'UNAUTHENTICATED', 'Invalid gateway token; subgraphs answer only the folkreg gateway.', 'GATEWAY_TOKEN_INVALID');
    }
  }
}

function refusal(status: number, code: ErrorCode, message: string, reason?: ErrorReason): Refusal {
  return { status, code, message, ...(reason ? { reason } : {}) };
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'status' in value && 'code' in value && !(value instanceof Error);
}
