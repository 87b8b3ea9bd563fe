import { BlockList, isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { CallerIdentity } from './caller.js';

/**
 * What the subscription subgraph (which stores a webhook) and the gateway (which delivers it) share about
 * webhook endpoints and secrets (README "Delivery" → "Webhooks").
 */

/** The gateway's delivery worker, as the subscription subgraph knows it: the only caller of the lease operations. */
export const WEBHOOK_WORKER_SUBJECT = 'folkreg-gateway/webhooks';
/** The scope only the worker's caller holds (the lease operations are `@inaccessible`: no client reaches them). */
export const WEBHOOK_WORKER_SCOPE = 'webhooks:deliver';
/** A webhook leased to one delivery worker: what the lease operation answers (schema: `WebhookLease`). */
export interface WebhookLease {
  subscriptionId: string;
  leaseToken: string;
  endpoint: string;
  secret: string;
  /** The owner's identity when it set the webhook: each batch is read as this caller. */
  ownerSubject: string;
  ownerClient: string | null;
  ownerScopes: string[];
  ownerRole: string | null;
  ownerPurpose: string | null;
  /** The delivered position's cursor (null: the subscription's acknowledged one). */
  after: string | null;
  /** Events of the batch being retried (null: a new batch). */
  batchCount: number | null;
  /** Failed attempts of that batch so far. */
  attempts: number;
}

/** The owner columns of a webhook (its row and its lease) for an identity (kernel/caller.ts, as files store it whole). */
export function ownerColumns(identity: CallerIdentity): Pick<WebhookLease, 'ownerSubject' | 'ownerClient' | 'ownerScopes' | 'ownerRole' | 'ownerPurpose'> {
  return {
    ownerSubject: identity.subject,
    ownerClient: identity.client,
    ownerScopes: identity.scopes,
    ownerRole: identity.role,
    ownerPurpose: identity.purpose,
  };
}

/** The identity a lease's batches are read as. */
export function leaseOwner(lease: WebhookLease): CallerIdentity {
  return { subject: lease.ownerSubject, client: lease.ownerClient, scopes: lease.ownerScopes, role: lease.ownerRole, purpose: lease.ownerPurpose };
}

/** Longest endpoint URL stored. @default 2_000 // characters */
export const MAX_ENDPOINT_LENGTH = 2_000;

/** A new Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes (the spec allows 24 to 64). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Why an endpoint URL is refused, or null: the syntax every endpoint must have, wherever it points. */
export function endpointSyntaxProblem(endpoint: string): string | null {
  if (endpoint.length > MAX_ENDPOINT_LENGTH) return `longer than ${MAX_ENDPOINT_LENGTH} characters`;
  if (!URL.canParse(endpoint)) return 'not an absolute URL';
  const url = new URL(endpoint);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'not an https:// (or http://) URL';
  if (url.username || url.password) return 'credentials in the URL; authenticate the signature instead';
  if (url.hash) return 'a fragment (#…), which is never sent';
  if (!url.hostname) return 'no host';
  return null;
}

/**
 * Addresses a webhook may not reach unless configuration allows it (server-side request forgery): this
 * host, private networks, link-local (cloud metadata at 169.254.169.254), shared, reserved, documentation,
 * multicast and unspecified ranges, for IPv4 and IPv6 (IPv4-mapped and NAT64 addresses by their IPv4 part).
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address an IPv6 address carries (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`), if any. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const m = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(lower);
  if (!m) return null;
  if (m[1]) return m[1];
  const hi = parseInt(m[2]!, 16);
  const lo = parseInt(m[3]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Whether `address` (an IP literal) is one a webhook may not reach unless configuration allows it. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return PRIVATE.check(v4, 'ipv4');
    return PRIVATE.check(address, 'ipv6');
  }
  return true; // not an address: refuse
}
