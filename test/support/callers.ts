import { Policy, PUBLIC_AUTHORITY_ROLE, UNRESTRICTED_SCOPE, type CallerIdentity } from '../../gateway/policy.js';
import { applyPolicy } from '../../gateway/server.js';
import type { Caller } from '../../kernel/caller.js';

/**
 * A caller as the gateway signs it into a subgraph's token: the identity's scope bundles expanded, and
 * its hidden categories and event types computed by `policy` (the gateway's own applyPolicy), so a test
 * of a subgraph sees what a change of the policy table changes, never a copy of the table.
 */
export function callerFor(identity: Partial<CallerIdentity> & { subject: string }, policy: Policy = new Policy()): Caller {
  return applyPolicy(policy, { client: null, scopes: [], role: null, purpose: null, ...identity });
}

/** The extra claims of a Danish public authority stating a purpose, entitled by the default policy to every protected person's data. */
export const AUTHORITY: Pick<CallerIdentity, 'role' | 'purpose'> & { scopes: string[] } = {
  role: PUBLIC_AUTHORITY_ROLE,
  purpose: 'case handling',
  scopes: [UNRESTRICTED_SCOPE],
};

/** The claims that decide what the protection policy hides from a caller. */
export interface ProbeCaller {
  scope?: string;
  role?: string;
  purpose?: string;
}

/** One caller of each kind the default policy tells apart: entitled or not, with or without a stated purpose. */
export const PROBE_CALLERS: Record<string, ProbeCaller> = {
  'no entitlement': {},
  'unrestricted scope, no purpose': { scope: UNRESTRICTED_SCOPE },
  'unrestricted scope with a purpose': { scope: UNRESTRICTED_SCOPE, purpose: 'case-handling' },
  'public authority with a purpose': { role: PUBLIC_AUTHORITY_ROLE, purpose: 'case-handling' },
  'public authority, no purpose': { role: PUBLIC_AUTHORITY_ROLE },
  'marketing purpose': { purpose: 'marketing' },
  'research purpose': { purpose: 'research' },
  'local-directory purpose': { purpose: 'local-directory' },
};

/** The identity the gateway authenticates from a token with these claims. */
export function identityOf(caller: ProbeCaller): CallerIdentity {
  return { subject: 's', client: null, scopes: caller.scope ? [caller.scope] : [], role: caller.role ?? null, purpose: caller.purpose ?? null };
}

/** Whether `policy` hides a category of a person with `kind` from this caller (`*` hides every category). */
export function hiddenBy(policy: Policy, caller: ProbeCaller, kind: string): (category: string) => boolean {
  const hidden = new Set(callerFor(identityOf(caller), policy).hidden[kind] ?? []);
  return (category) => hidden.has(category) || hidden.has('*');
}
