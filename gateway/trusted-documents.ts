import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Caller } from '../kernel/caller.js';
import type { GatewayConfig } from '../kernel/config.js';
import { parse } from 'graphql';

/**
 * Trusted documents (persisted operations): partners register the operations their clients send — a
 * JSON manifest `{ "<sha256 of the document>": "<document>" }` (keys may carry a `sha256:` prefix), the format GraphQL Code Generator's
 * client preset writes as `persisted-documents.json` — and the gateway can be told to accept only
 * registered documents, from every client or from some.
 *
 * A request names a registered document by `documentId` (GraphQL over HTTP's persisted operations,
 * with or without a `sha256:` prefix) or by `extensions.persistedQuery.sha256Hash` (Apollo and Relay
 * clients). A restricted client sending document text gets it run only if that text is registered.
 */
export interface TrustedDocumentsOptions {
  documents: ReadonlyMap<string, string>;
  /** Whose requests must use registered documents: everyone, or these client ids. */
  enforcedFor: 'all' | ReadonlySet<string>;
}

export interface RequestParams {
  query?: unknown;
  documentId?: unknown;
  extensions?: { persistedQuery?: { sha256Hash?: unknown } } & Record<string, unknown>;
  [key: string]: unknown;
}

export class TrustedDocumentError extends Error {
  constructor(
    readonly code: 'PERSISTED_QUERY_NOT_FOUND' | 'DOCUMENT_NOT_REGISTERED',
    message: string,
  ) {
    super(message);
  }
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class TrustedDocuments {
  private readonly documents = new Map<string, string>();

  constructor(private readonly options: TrustedDocumentsOptions) {
    for (const [key, document] of options.documents) {
      const hash = key.replace(/^sha256:/, '');
      if (sha256(document) !== hash) throw new Error(`Trusted documents: the entry ${key} is not the sha256 of its document.`);
      this.documents.set(hash, document);
    }
  }

  /** The request with its document resolved; throws when the caller may not send it. */
  resolve(params: RequestParams, caller: Caller): RequestParams {
    const id = documentIdOf(params);
    if (id !== null) {
      const document = this.documents.get(id);
      if (!document) throw new TrustedDocumentError('PERSISTED_QUERY_NOT_FOUND', `No registered document has the id ${id}.`);
      const { documentId: _, extensions, ...rest } = params;
      const { persistedQuery: __, ...otherExtensions } = extensions ?? {};
      return { ...rest, query: document, ...(Object.keys(otherExtensions).length ? { extensions: otherExtensions } : {}) };
    }
    if (this.enforced(caller) && !(typeof params.query === 'string' && this.documents.has(sha256(params.query)))) {
      throw new TrustedDocumentError(
        'DOCUMENT_NOT_REGISTERED',
        'This client may send registered documents only: register the operation (persisted documents) and send its documentId.',
      );
    }
    return params;
  }

  /** The names of the registered documents' operations (metrics count these by name, always). */
  operationNames(): string[] {
    const names = new Set<string>();
    for (const document of this.documents.values()) {
      try {
        for (const d of parse(document).definitions) if (d.kind === 'OperationDefinition' && d.name) names.add(d.name.value);
      } catch {
        // a registered document that does not parse is answered with its parse error; it names nothing
      }
    }
    return [...names];
  }

  private enforced(caller: Caller): boolean {
    const { enforcedFor } = this.options;
    return enforcedFor === 'all' || (caller.client !== null && enforcedFor.has(caller.client));
  }
}

function documentIdOf(params: RequestParams): string | null {
  const raw = params.documentId ?? params.extensions?.persistedQuery?.sha256Hash;
  if (raw === undefined || raw === null) return null;
  return String(raw).replace(/^sha256:/, '');
}

/** A client's own registered operations, accepted from it alone as registered documents (the administration UI's). */
export interface ClientDocuments {
  client: string;
  documents: ReadonlyMap<string, string>;
}

/**
 * TRUSTED_DOCUMENTS_FILE (the manifest, read here) and TRUSTED_DOCUMENTS_ENFORCE (`all`, or client ids);
 * without a file there are no registered documents, and without enforcement they are accepted but not required.
 * `own` adds a client's documents and restricts that client to registered documents.
 */
export function trustedDocumentsOf(
  config: Pick<GatewayConfig, 'trustedDocumentsFile' | 'trustedDocumentsEnforce'>,
  own?: ClientDocuments,
): TrustedDocuments | null {
  if (!config.trustedDocumentsFile && !own) return null;
  const manifest = config.trustedDocumentsFile ? (JSON.parse(readFileSync(config.trustedDocumentsFile, 'utf8')) as Record<string, string>) : {};
  const enforce = config.trustedDocumentsEnforce;
  return new TrustedDocuments({
    documents: new Map([...Object.entries(manifest), ...(own?.documents ?? [])]),
    enforcedFor: enforce === 'all' ? 'all' : new Set([...enforce, ...(own ? [own.client] : [])]),
  });
}
