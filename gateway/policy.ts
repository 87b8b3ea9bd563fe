import { readFileSync } from 'node:fs';
import { CHANGE_EVENT_TYPES } from '../kernel/events.js';
import type { CallerIdentity } from '../kernel/caller.js';
import { ALL_CATEGORIES, PROTECTION_CATEGORIES, PROTECTION_KINDS, type ProtectionCategory, type ProtectionKind } from '../kernel/protection.js';
import { type HiddenCategories } from '../kernel/caller.js';

/**
 * The protected-identity policy: for each protection kind, rules saying which categories of a
 * person's data are hidden from which callers. One table decides for every path of the graph: the
 * gateway masks `@protected` fields by it, and signs each caller's hidden categories into the gateway
 * token so subgraph searches and writes follow the same table.
 *
 * A rule hides `categories` (or `'*'`: the whole person) from every caller, except:
 * - `unlessScope` / `unlessRole`: callers holding that scope or role are *entitled*. They see the data
 *   only when they state a purpose (JWT claim or `folkreg-purpose` header), and every release to them
 *   is audited;
 * - `onlyForPurposes`: the rule applies only to callers whose declared purpose is one of these
 *   (marketing, directory and research protection exclude the person from such uses only).
 */
export interface ProtectionRule {
  categories: readonly ProtectionCategory[] | typeof ALL_CATEGORIES;
  unlessScope?: string;
  unlessRole?: string;
  onlyForPurposes?: readonly string[];
}

export type ProtectionPolicy = Record<ProtectionKind, readonly ProtectionRule[]> & {
  /**
   * Change-event types only some callers may read or subscribe to: type → the scope or role that
   * may. Others get FORBIDDEN when they ask for the type (at subscribe time for a subscription), and
   * never see its events in an unfiltered pull or stream.
   */
  eventTypes?: Readonly<Record<string, { scope?: string; role?: string }>>;
};

export { PROTECTION_KINDS, type ProtectionKind };

/** Scope that entitles a caller to a Swedish protected person's full record (PU's "Unrestricted" contracts). */
export const UNRESTRICTED_SCOPE = 'person:unrestricted';
/** Role of Danish public authorities, who see name-and-address protected persons in full (CPR-lov §28). */
export const PUBLIC_AUTHORITY_ROLE = 'public-authority';

/**
 * Swedish reduced profile (Inera PU "Profile 1"): identity, sex, protection flags, name, birth date,
 * life status and linked identities stay; address, contact, family, civil status and citizenship go.
 */
const SE_REDUCED_PROFILE: ProtectionRule = {
  categories: ['ADDRESS', 'CONTACT', 'FAMILY', 'CIVIL_STATUS', 'CITIZENSHIP'],
  unlessScope: UNRESTRICTED_SCOPE,
};

/**
 * By default every event type is open to every caller: what an event reveals about a person is
 * masked per person like any other read, and integrators need protection changes (A33) most of all,
 * to hide what they hold. A deployment restricts types with `eventTypes` (e.g. CPR's rule that
 * private companies do not receive events: `{"MOVE": {"role": "public-authority"}, …}`).
 */
export const DEFAULT_POLICY: ProtectionPolicy = {
  eventTypes: {},
  SE_CONFIDENTIALITY_MARKING: [SE_REDUCED_PROFILE],
  SE_PROTECTED_REGISTRATION: [SE_REDUCED_PROFILE],
  // CPR-lov §28: name and address never to private parties; §30: also local-directory and research protection.
  DK_NAME_AND_ADDRESS: [
    { categories: ['NAME', 'ADDRESS', 'CONTACT'], unlessRole: PUBLIC_AUTHORITY_ROLE },
    { categories: ALL_CATEGORIES, onlyForPurposes: ['local-directory', 'research'] },
  ],
  DK_LOCAL_DIRECTORY: [{ categories: ALL_CATEGORIES, onlyForPurposes: ['local-directory'] }],
  DK_MARKETING: [{ categories: ALL_CATEGORIES, onlyForPurposes: ['marketing'] }],
  DK_RESEARCH: [{ categories: ALL_CATEGORIES, onlyForPurposes: ['research'] }],
};

/** The caller as authenticated, before the policy has been applied. */
export type { CallerIdentity } from '../kernel/caller.js';

/** How one category of one kind is decided for one caller. */
export type Decision = 'visible' | 'hidden' | 'entitled';

export class Policy {
  constructor(readonly rules: ProtectionPolicy = DEFAULT_POLICY) {
    validatePolicy(rules);
  }

  /**
   * For one caller: per kind, the categories hidden from them. Entitled callers without a stated
   * purpose see nothing more than anyone else.
   */
  hiddenFor(caller: CallerIdentity): HiddenCategories {
    const hidden: Record<string, string[]> = {};
    for (const kind of PROTECTION_KINDS) {
      const categories = new Set<string>();
      for (const rule of this.rules[kind]) {
        if (this.appliesTo(rule, caller) === 'entitled' && caller.purpose) continue;
        if (this.appliesTo(rule, caller) === 'visible') continue;
        for (const c of rule.categories === ALL_CATEGORIES ? [ALL_CATEGORIES] : rule.categories) categories.add(c);
      }
      if (categories.size) hidden[kind] = [...categories];
    }
    return hidden;
  }

  /** The change-event types this caller may not read. */
  hiddenEventTypesFor(caller: CallerIdentity): string[] {
    return Object.entries(this.rules.eventTypes ?? {})
      .filter(([, rule]) => !((rule.scope && caller.scopes.includes(rule.scope)) || (rule.role && caller.role === rule.role)))
      .map(([type]) => type);
  }

  /**
   * Per kind, the categories this caller sees only because of an entitlement (and a stated purpose):
   * releasing one of them must be audited.
   */
  entitledFor(caller: CallerIdentity): HiddenCategories {
    const entitled: Record<string, string[]> = {};
    if (!caller.purpose) return entitled;
    for (const kind of PROTECTION_KINDS) {
      const categories = new Set<string>();
      for (const rule of this.rules[kind]) {
        if (this.appliesTo(rule, caller) !== 'entitled') continue;
        for (const c of rule.categories === ALL_CATEGORIES ? [ALL_CATEGORIES] : rule.categories) categories.add(c);
      }
      if (categories.size) entitled[kind] = [...categories];
    }
    return entitled;
  }

  private appliesTo(rule: ProtectionRule, caller: CallerIdentity): Decision {
    if (rule.onlyForPurposes && !(caller.purpose && rule.onlyForPurposes.includes(caller.purpose))) return 'visible';
    if (rule.unlessScope && caller.scopes.includes(rule.unlessScope)) return 'entitled';
    if (rule.unlessRole && caller.role === rule.unlessRole) return 'entitled';
    return 'hidden';
  }
}

/** Refuses a policy that names an unknown kind or category, or leaves a kind out: fail closed at start. */
export function validatePolicy(rules: unknown): asserts rules is ProtectionPolicy {
  if (typeof rules !== 'object' || rules === null) throw new Error('Protection policy must be an object keyed by protection kind.');
  const record = rules as Record<string, unknown>;
  for (const kind of Object.keys(record)) {
    if (kind === 'eventTypes') continue;
    if (!(PROTECTION_KINDS as readonly string[]).includes(kind)) throw new Error(`Protection policy: unknown protection kind '${kind}'.`);
  }
  const eventTypes = record.eventTypes;
  if (eventTypes !== undefined) {
    if (typeof eventTypes !== 'object' || eventTypes === null) throw new Error('Protection policy: eventTypes must be an object.');
    for (const [type, rule] of Object.entries(eventTypes)) {
      if (!(type in CHANGE_EVENT_TYPES)) throw new Error(`Protection policy: unknown change event type '${type}'.`);
      const { scope, role, ...rest } = (rule ?? {}) as Record<string, unknown>;
      if (Object.keys(rest).length || (typeof scope !== 'string' && typeof role !== 'string')) {
        throw new Error(`Protection policy: eventTypes.${type} needs a "scope" or a "role" (and nothing else).`);
      }
    }
  }
  for (const kind of PROTECTION_KINDS) {
    const list = record[kind];
    if (!Array.isArray(list)) throw new Error(`Protection policy: no rules for protection kind '${kind}' (use [] to hide nothing).`);
    for (const rule of list as ProtectionRule[]) {
      const categories = rule?.categories;
      if (categories !== ALL_CATEGORIES) {
        if (!Array.isArray(categories) || categories.length === 0) throw new Error(`Protection policy: ${kind} has a rule without categories.`);
        for (const c of categories) {
          if (!(PROTECTION_CATEGORIES as readonly string[]).includes(c)) throw new Error(`Protection policy: ${kind} names unknown category '${c}'.`);
        }
      }
      for (const key of Object.keys(rule)) {
        if (!['categories', 'unlessScope', 'unlessRole', 'onlyForPurposes'].includes(key)) {
          throw new Error(`Protection policy: ${kind} has a rule with unknown key '${key}'.`);
        }
      }
    }
  }
}

/** `PROTECTION_POLICY_FILE` (JSON, the shape of `DEFAULT_POLICY`) replaces the default table; none keeps it. */
export function policyFromFile(file: string | undefined): Policy {
  if (!file) return new Policy();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`PROTECTION_POLICY_FILE ${file}: ${(err as Error).message}`, { cause: err });
  }
  validatePolicy(parsed);
  return new Policy(parsed);
}
