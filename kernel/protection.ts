import type { Caller } from './caller.js';
import { registerDate } from './register-date.js';

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

/** A protection marker's validity: `validFrom` inclusive, `validTo` exclusive, `null` open (as every validity column). */
export interface MarkerValidity {
  validFrom: string | null;
  validTo: string | null;
}

/**
 * The one rule for "a protection marker in force", which reads, searches, writes and masking all
 * follow: in force on the register's date (`registerDate()`, Europe/Stockholm) from its `validFrom`
 * day on, up to but not on its `validTo` day. A marker starting tomorrow does not protect yet; one
 * ending today no longer does.
 */
export function markerInForce(marker: MarkerValidity, date: string = registerDate()): boolean {
  return (marker.validFrom === null || marker.validFrom <= date) && (marker.validTo === null || marker.validTo > date);
}

/** The markers of `markers` in force on `date`. */
export function markersInForce<M extends MarkerValidity>(markers: readonly M[], date: string = registerDate()): M[] {
  return markers.filter((m) => markerInForce(m, date));
}
