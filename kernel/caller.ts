/**
 * Who is asking, as the gateway verified it and signed it into every subgraph fetch (`gateway-token.ts`).
 */
/** The caller as subgraphs see it. */
export interface Caller {
  subject: string;
  client: string | null;
  scopes: string[];
  role: string | null;
  purpose: string | null;
  /** What the gateway's protection policy hides from this caller (see `protection.ts`). */
  hidden: HiddenCategories;
  /** Change-event types the policy does not let this caller read or subscribe to. */
  hiddenEventTypes: string[];
}

/**
 * Who a caller is, without what the policy computes for them (`hidden`, `hiddenEventTypes`): what a token
 * says, and what a delivery made later stores to read as — a webhook's batches, a scheduled notification
 * file, a queued extract — never the token itself. The policy in force when it reads is applied to it then.
 */
export type CallerIdentity = Omit<Caller, 'hidden' | 'hiddenEventTypes'>;

/** The identity of `caller`, to store (a copy: nothing of the policy's figures). */
export function identityOf(caller: CallerIdentity): CallerIdentity {
  return { subject: caller.subject, client: caller.client, scopes: [...caller.scopes], role: caller.role, purpose: caller.purpose };
}

/** Who owns subscriptions and deliveries: the token's client, or its subject when it names no client. */
export function ownerOf(caller: Pick<Caller, 'client' | 'subject'>): string {
  return caller.client ?? caller.subject;
}

/**
 * Hides nothing only because it holds no scope at all: tests of subgraphs alone use it. The gateway
 * always computes `hidden` from its policy.
 */
export const ANONYMOUS: Caller = { subject: 'anonymous', client: null, scopes: [], role: null, purpose: null, hidden: {}, hiddenEventTypes: [] };

/**
 * Per protection kind, the categories the caller may not see of a person who carries that kind
 * (`'*'`: none at all). Computed by the gateway's policy for each caller and signed into the gateway
 * token, so subgraphs apply the one policy without knowing it.
 */
export type HiddenCategories = Record<string, readonly string[]>;
