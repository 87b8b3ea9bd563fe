/**
 * CPR's extract record layout (P12170) as a pure codec: the field table (`layout.ts`), a reader that keys
 * records by PNR and reports faults instead of throwing (`read.ts`), a writer (`write.ts`), value notations
 * (`values.ts`) and the fault vocabulary (`problems.ts`). No SQL, no I/O. README "Keeping the register
 * current" shows how the ingest uses it.
 */
export * from './layout.js';
export * from './problems.js';
export * from './read.js';
export * from './values.js';
export * from './write.js';
