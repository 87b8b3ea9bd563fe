/** The report every ingest prints and returns (README "Keeping the register current", "Ingest"). */
import type { CprProblemReason } from '../kernel/cpr/index.js';

/** Why a person (or the file) was refused: the reader's reasons and the ingest's own. */
export type IngestReason =
  | CprProblemReason
  | 'BAD_PNR'
  | 'NO_PERSON_RECORD'
  | 'UNKNOWN_MUNICIPALITY'
  | 'UNKNOWN_STATUS'
  | 'UNKNOWN_PROTECTION_KIND'
  | 'UNKNOWN_CIVIL_STATUS'
  | 'EMPTY_RANGE'
  | 'IDENTIFIER_TAKEN'
  | 'OVERLAPPING_MARKER'
  | 'CONSTRAINT'
  | 'CHAIN_BROKEN'
  | 'OUT_OF_ORDER'
  // The NDJSON import's own.
  | 'NOT_JSON'
  | 'SCHEMA'
  | 'WITHHELD'
  | 'DUPLICATE_PERSON';

/** One report line: a refused person (or a refused file), or a notice about something not applied. */
export interface IngestLine {
  /** refused: the person (or, without a pnr, the file) was not applied; notice: applied, this part not. */
  readonly severity: 'refused' | 'notice';
  /** The person's number as the file gives it; null for a fault of the file. */
  readonly pnr: string | null;
  /** 0-based byte offset of the record (NDJSON: of the line). */
  readonly offset: number;
  /** 1-based line number, null in fixed-length CPR files. */
  readonly line: number | null;
  /** The CPR record type; PERSON for an NDJSON line. */
  readonly recordType: string | null;
  /** The CPR field name; a JSON pointer (RFC 6901) into an NDJSON line. */
  readonly field: string | null;
  readonly value: string | null;
  readonly reason: IngestReason | 'EVENT_CODE_UNKNOWN' | 'COUNTRY_CODE_UNKNOWN' | 'ADDRESS_KIND';
  readonly message: string;
}

export interface IngestSummary {
  readonly personsCreated: number;
  readonly personsUpdated: number;
  readonly personsUnchanged: number;
  readonly personsRefused: number;
  readonly eventsWritten: number;
}

export interface IngestReport {
  readonly format: 'cpr' | 'ndjson';
  /** The file's task (CPR OPGAVENR) and production dates. */
  readonly task: string | null;
  readonly productionDate: string | null;
  readonly previousProductionDate: string | null;
  /** false: the whole file was refused (see `lines`); nothing was written. */
  readonly accepted: boolean;
  /** The file had been ingested before (same task and production date). */
  readonly repeated: boolean;
  readonly forced: boolean;
  readonly summary: IngestSummary;
  readonly lines: readonly IngestLine[];
}

/** The report as the CLI prints it: the summary line first, then one line per refusal or notice. */
export function formatReport(report: IngestReport, file?: string): string {
  const s = report.summary;
  const head = `${file ? `${file}: ` : ''}${report.accepted ? '' : 'REFUSED — '}persons created ${s.personsCreated}, updated ${s.personsUpdated}, unchanged ${s.personsUnchanged}, refused ${s.personsRefused}; events written ${s.eventsWritten}`;
  const lines = report.lines.map((l) => {
    const where = l.line === null ? `offset ${l.offset}` : `line ${l.line}`;
    return `  ${l.severity} ${where} record ${l.recordType ?? '-'} field ${l.field ?? '-'} value ${l.value === null ? '-' : JSON.stringify(l.value)}: ${l.reason} ${l.message}`;
  });
  return [head, ...lines].join('\n');
}
