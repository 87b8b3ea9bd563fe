/**
 * The one way a webhook leaves the gateway: a POST to the owner's endpoint under the endpoint rules (README
 * "Delivery" → "Webhooks"), with nothing of the answer kept but its status.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { isPrivateAddress } from '../../kernel/webhooks.js';

/** What an endpoint may be. */
export interface EndpointRules {
  /** http:// endpoints (else https only). @default false // `WEBHOOK_ALLOW_HTTP`; production never */
  allowHttp: boolean;
  /** Loopback, private, link-local and other non-public addresses. @default false // `WEBHOOK_ALLOW_PRIVATE_ADDRESSES` */
  allowPrivateAddresses: boolean;
  /** Longest one POST may take, from connecting to the end of the answer. @default 10_000 // `WEBHOOK_TIMEOUT_MS` */
  timeoutMs: number;
}

/** How one POST ended. `final`: retrying cannot help (the endpoint is refused by the rules): pause at once. */
export type SendOutcome = { ok: true; status: number } | { ok: false; status: number | null; message: string; final: boolean };

/** Marks the lookup's refusal, so it is told apart from a network error in undici's error chain. */
const REFUSED = 'WEBHOOK_ADDRESS_REFUSED';

/** The error code of a name without addresses (as Node's own lookup says it). */
const NOT_FOUND = 'ENOTFOUND';

class RefusedAddress extends Error {
  readonly code = REFUSED;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Resolves the endpoint's host and refuses it when any of its addresses is not public: the connection is
 * made to an address this very lookup returned and checked, so a name that resolves to a public address
 * for a check and a private one for the connection (DNS rebinding) cannot slip through.
 */
function checkedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, []);
      const refused = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused) return callback(new RefusedAddress(`address ${refused.address} of ${hostname} is not public`) as NodeJS.ErrnoException, []);
      if (!addresses.length) return callback(Object.assign(new Error(`${hostname} has no address`), { code: NOT_FOUND }), []);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function refusal(err: unknown): string | null {
  for (let e = err as { code?: string; message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === REFUSED) return e.message ?? 'address refused';
  }
  return null;
}

function networkMessage(err: unknown, timeoutMs: number, timedOut: boolean): string {
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 'ECONNREFUSED') return 'connection refused';
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return 'host not found';
    if (e.code === 'ECONNRESET' || e.code === 'UND_ERR_SOCKET') return 'connection reset';
    if (e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') return `timed out after ${timeoutMs} ms`;
    if (typeof e.code === 'string' && e.code.startsWith('ERR_TLS')) return 'TLS handshake failed';
    if (typeof e.code === 'string' && /CERT|SELF_SIGNED/.test(e.code)) return 'certificate not trusted';
  }
  return 'network error';
}

/** POSTs webhook messages over kept-alive connections, under the endpoint rules. */
export class WebhookSender {
  private readonly agent: Agent;

  constructor(private readonly rules: EndpointRules) {
    this.agent = new Agent({ connect: { lookup: checkedLookup(rules.allowPrivateAddresses) as never }, keepAliveTimeout: 10_000, connections: 64 });
  }

  /** Why `endpoint` is refused before connecting (scheme, a literal address), or null. */
  refused(endpoint: string): string | null {
    const url = new URL(endpoint);
    if (url.protocol === 'http:' && !this.rules.allowHttp) return 'http:// endpoints are refused here; use https://';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !this.rules.allowPrivateAddresses && isPrivateAddress(host)) return `address ${host} is not public`;
    return null;
  }

  /** One POST; redirects are not followed (a 3xx is a failure) and the answer's body is read away unseen. */
  async send(endpoint: string, headers: Record<string, string>, body: string): Promise<SendOutcome> {
    const refused = this.refused(endpoint);
    if (refused) return { ok: false, status: null, message: refused, final: true };
    const signal = AbortSignal.timeout(this.rules.timeoutMs);
    try {
      const res = await request(endpoint, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', 'user-agent': 'folkreg-webhooks', ...headers },
        body,
        signal,
        headersTimeout: this.rules.timeoutMs,
        bodyTimeout: this.rules.timeoutMs,
      });
      await res.body.dump({ limit: 65_536, signal }).catch(() => undefined);
      if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true, status: res.statusCode };
      const redirect = res.statusCode >= 300 && res.statusCode < 400 ? ' (redirects are not followed)' : '';
      return { ok: false, status: res.statusCode, message: `HTTP ${res.statusCode}${redirect}`, final: false };
    } catch (err) {
      const refusedAddress = refusal(err);
      if (refusedAddress) return { ok: false, status: null, message: refusedAddress, final: true };
      return { ok: false, status: null, message: networkMessage(err, this.rules.timeoutMs, signal.aborted), final: false };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
