import type { Caller } from './gateway-token.js';

/** Protection kinds (SE Navet termkod 01003 / 01020; CPR record 004 BESKYTTYPE 0001–0004). */
export const PROTECTION_KINDS = [
  'SE_CONFIDENTIALITY_MARKING',
  'SE_PROTECTED_REGISTRATION',
  'DK_NAME_AND_ADDRESS',
  'DK_LOCAL_DIRECTORY',
  'DK_MARKETING',
  'DK_RESEARCH',
] as const;
export type ProtectionKind = (typeof PROTECTION_KINDS)[number];

/**
 * What a `@protected` field reveals about the person it belongs to. The gateway's policy table maps
 * protection kind × category to who may see it; subgraphs use the same names when a search or a write
 * would otherwise reveal a protected value (a name search matching a person whose name is hidden).
 */
export const PROTECTION_CATEGORIES = [
  'IDENTITY',
  'NAME',
  'BIRTH_DATE',
  'SEX',
  'LIFE_STATUS',
  'CIVIL_STATUS',
  'CITIZENSHIP',
  'ADDRESS',
  'CONTACT',
  'FAMILY',
  'RESERVE_IDENTITY',
] as const;
export type ProtectionCategory = (typeof PROTECTION_CATEGORIES)[number];

/** Stands for every category: the person is excluded from this caller altogether. */
export const ALL_CATEGORIES = '*';

/**
 * Per protection kind, the categories the caller may not see of a person who carries that kind
 * (`'*'`: none at all). Computed by the gateway's policy for each caller and signed into the gateway
 * token, so subgraphs apply the one policy without knowing it.
 */
export type HiddenCategories = Record<string, readonly string[]>;

/** Whether `category` of a person with these protection kinds in force is hidden from the caller. */
export function isHidden(caller: Caller, activeKinds: Iterable<string>, category: ProtectionCategory): boolean {
  for (const kind of activeKinds) {
    const hidden = caller.hidden[kind];
    if (hidden && (hidden.includes(category) || hidden.includes(ALL_CATEGORIES))) return true;
  }
  return false;
}

/**
 * The protection kinds that hide `category` from this caller: a search on that attribute leaves out
 * persons with any of these kinds in force (`NOT EXISTS (… kind = ANY(…))`), so a match never reveals
 * a hidden value.
 */
export function kindsHiding(caller: Caller, category: ProtectionCategory): string[] {
  return Object.entries(caller.hidden)
    .filter(([, categories]) => categories.includes(category) || categories.includes(ALL_CATEGORIES))
    .map(([kind]) => kind);
}
