export * from './person.js';
export * from './address.js';
export * from './family.js';
export * from './reserve-id.js';
export * from './subscription.js';
export * from './audit.js';
export * from './files.js';
export * from './ingest.js';
