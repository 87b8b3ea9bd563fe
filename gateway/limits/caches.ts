import type { DocumentNode } from 'graphql';
import { SizedLru, keyValueCache, parsedDocumentBytes } from '../../kernel/cache.js';

/**
 * Byte budgets of the caches keyed by what clients send, all `SizedLru`s. Together they bound what
 * distinct documents can make the gateway hold: about 250 MB at most, where 2,121 distinct 31 KB
 * documents grew it by 2.1 GB before (issue 13: the guard's cache held 5,000 documents whatever their size).
 */
export const CACHE_BYTES = {
  /** Apollo Server's parsed and validated documents. @default 64_000_000 // 64 MB, about 1 MB of document text */
  documents: 64_000_000,
  /** Apollo's APQ texts (`extensions.persistedQuery`). @default 8_000_000 // 8 MB */
  persistedQueries: 8_000_000,
  /** @apollo/gateway's query plans. @default 64_000_000 // 64 MB */
  queryPlans: 64_000_000,
  /** The protection guard's rewritten operations (gateway/engine.ts). @default 64_000_000 // 64 MB */
  guardedOperations: 64_000_000,
  /** Websocket documents parsed, validated and rewritten into their batch query (websocket/operation-plan.ts). @default 32_000_000 // 32 MB */
  subscriptionDocuments: 32_000_000,
  /** Printed group query texts of subscription feeds (websocket/group-query.ts). @default 8_000_000 // 8 MB */
  groupTexts: 8_000_000,
} as const;

/**
 * Apollo Server's `documentStore` and APQ cache as `SizedLru`s, and a look-up of an APQ text by its hash
 * (so a hash sent alone is checked against the caller's limits before Apollo runs it).
 */
export function apolloCaches() {
  const persisted = new SizedLru<string>({ maxBytes: CACHE_BYTES.persistedQueries, sizeOf: (text, key) => (text.length + key.length) * 2 });
  return {
    options: {
      documentStore: keyValueCache(new SizedLru<DocumentNode>({ maxBytes: CACHE_BYTES.documents, sizeOf: parsedDocumentBytes })),
      persistedQueries: { cache: keyValueCache(persisted) },
    },
    /** Apollo keeps APQ texts under `apq:<sha256>`. */
    persistedQuery: (hash: string) => persisted.get(`apq:${hash}`),
  };
}

/**
 * @apollo/gateway's plan store: a plan is sized as Apollo sizes it (its JSON), times 3 for the objects
 * and UTF-16 strings behind that text.
 */
export function queryPlanCache<Plan extends NonNullable<unknown>>() {
  return keyValueCache(
    new SizedLru<Plan>({ maxBytes: CACHE_BYTES.queryPlans, sizeOf: (plan, key) => Buffer.byteLength(JSON.stringify(plan) ?? '', 'utf8') * 3 + key.length * 2 }),
  );
}

/** The protection guard's operations per query hash (each holds a rewritten document). */
export function guardedOperations<T extends { document: DocumentNode }>(): SizedLru<T> {
  return new SizedLru<T>({ maxBytes: CACHE_BYTES.guardedOperations, sizeOf: (op, key) => parsedDocumentBytes(op.document, key) });
}
