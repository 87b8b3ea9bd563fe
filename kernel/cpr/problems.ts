/**
 * What the CPR reader and writer report when bytes do not fit the layout: one `CprProblem` per fault,
 * naming where (byte offset, line), which record type and field, the value found and a stable reason.
 */

/** Every reason a record or file is not read (or not written), with its meaning. */
export const CPR_PROBLEM_REASONS = {
  UNKNOWN_RECORD_TYPE: 'The record starts with a type the layout does not have.',
  RECORD_TOO_LONG: 'A line holds more than its record type’s length, and the excess is not blanks.',
  TRUNCATED: 'The file ends inside a fixed-length record.',
  NOT_NUMERIC: 'A numeric (N) field holds something other than digits (blank means none).',
  NO_PNR: 'A person record without a PNR at 4/10.',
  NO_START_RECORD: 'The file does not begin with a 000 start record.',
  START_NOT_FIRST: 'A 000 start record after the first record.',
  NO_END_RECORD: 'The file does not end with a 999 end record.',
  END_NOT_LAST: 'Records after the 999 end record.',
  END_COUNT: "The end record's TAELLER is not the number of records in the file (start and end included).",
  EMPTY_FILE: 'The file holds no record at all.',
  BAD_DATE: 'A date field holds something that is not a real date (YYYY-MM-DD or YYYYMMDDHHmm; zeros or blanks mean none).',
  VALUE_TOO_LONG: 'Writer: a value longer than its field.',
  NOT_LATIN1: 'Writer: a character ISO-8859-1 cannot encode.',
  UNKNOWN_FIELD: 'Writer: a field name the record type does not have.',
  CONTROL_CHARACTER: 'Writer: a line break or other control character in a value (it would break the record).',
} as const satisfies Record<string, string>;

export type CprProblemReason = keyof typeof CPR_PROBLEM_REASONS;

/** One fault: where it is and what is wrong. `offset` is the record's 0-based byte offset in the file. */
export interface CprProblem {
  readonly offset: number;
  /** 1-based line number when the file has one record per line; null for fixed-length files. */
  readonly line: number | null;
  readonly recordType: string | null;
  readonly field: string | null;
  /** The offending characters as read (a field's raw value, or the record's first characters). */
  readonly value: string | null;
  readonly reason: CprProblemReason;
}

/** A one-line description of a problem (for logs and report lines; holds `value`, which may be personal data). */
export function describeCprProblem(problem: CprProblem): string {
  const where = problem.line === null ? `offset ${problem.offset}` : `line ${problem.line} (offset ${problem.offset})`;
  const what = [problem.recordType && `record ${problem.recordType}`, problem.field && `field ${problem.field}`].filter(Boolean).join(' ');
  return `${where}${what ? ` ${what}` : ''}: ${problem.reason} — ${CPR_PROBLEM_REASONS[problem.reason]}${problem.value === null ? '' : ` (value ${JSON.stringify(problem.value)})`}`;
}

/** Thrown by the writer (values that do not fit), and by `CprFile.require…` helpers. */
export class CprError extends Error {
  readonly problem: CprProblem;
  constructor(problem: CprProblem) {
    super(describeCprProblem(problem));
    this.name = 'CprError';
    this.problem = problem;
  }
}
