import type { ChangeEventRow } from '../../db/outbox.js';
import { userInputError } from '../shared/errors.js';

/** The `ChangeEventFilter` input (shared contract with durable subscriptions and the pull query). */
export interface ChangeEventFilter {
  types?: string[] | null;
  municipalityCodes?: string[] | null;
  personIdentifiers?: string[] | null;
  minAge?: number | null;
  maxAge?: number | null;
}

/**
 * Interim matcher for push delivery: event types only.
 * TODO(issue-durable): replace `matchesDeliveryFilter` with `matchesFilter` from `./filter.ts` (the
 * full positive-filter semantics: municipalities, persons, age range) and drop this file. Until then a
 * filter naming any other group is refused rather than silently widened.
 */
export function matchesDeliveryFilter(event: ChangeEventRow, filter: ChangeEventFilter | null | undefined): boolean {
  if (!filter) return true;
  const unsupported = (['municipalityCodes', 'personIdentifiers', 'minAge', 'maxAge'] as const).filter((k) => filter[k] != null);
  if (unsupported.length) {
    throw userInputError(`Filter groups ${unsupported.join(', ')} are not available for push delivery yet; filter by 'types'.`, 'FILTER_NOT_SUPPORTED');
  }
  return !filter.types || filter.types.includes(event.type);
}
