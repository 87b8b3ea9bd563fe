/**
 * The folding that `person_names.search_key` holds: lower case, diacritics removed. Name search must
 * fold its input the same way, so this is the one definition (import it rather than re-implementing).
 */
import { CountedLru } from './cache.js';

/** Letters NFD does not decompose, folded the way a Nordic reader would type them without diacritics. */
const SPECIAL_FOLDS: Readonly<Record<string, string>> = {
  æ: 'ae',
  ø: 'o',
  å: 'a',
  ß: 'ss',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ı: 'i',
  œ: 'oe',
};
const SPECIAL_RE = /[æøåßðþłıœ]/g;

/** "Östlund" → "ostlund", "Sørensen" → "sorensen", "Æbeltoft" → "aebeltoft". */
export function foldForSearch(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(SPECIAL_RE, (ch) => SPECIAL_FOLDS[ch] ?? ch)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The search key of a name: folded "given middle family", absent parts skipped. */
export function nameSearchKey(givenNames: string | null, middleName: string | null, familyName: string | null): string {
  return [givenNames, middleName, familyName]
    .filter((part): part is string => !!part)
    .map(foldCached)
    .filter((part) => part !== '')
    .join(' ');
}

/** Names repeat a lot (in the seed, and in search traffic): fold each distinct part once. */
const foldCache = new CountedLru<string, string>(50_000);

function foldCached(part: string): string {
  let folded = foldCache.get(part);
  if (folded === undefined) {
    folded = foldForSearch(part);
    foldCache.set(part, folded);
  }
  return folded;
}
