import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

/** One GraphQL error as the gateway sends it: `extensions.code` and `reason` from the contract's enums. */
export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; reason?: string; category?: string; currentVersion?: number; [key: string]: unknown };
}

export interface Result<T> {
  data: T | null;
  errors: GqlError[];
  status: number;
}

/** What every request carries besides its document: the user's token and, for entitled users, their purpose. */
export interface Credentials {
  token: string;
  purpose: string;
  /** Called on HTTP 401: the token expired or was refused. */
  onUnauthenticated: () => void;
}

/**
 * Sends a registered operation by its id only (`documentId`, the hash GraphQL Code Generator embedded):
 * the gateway accepts nothing else from this app's client id. Keeps data and errors together, so a masked
 * field (`PROTECTED_IDENTITY` at its path) leaves the rest of the answer intact.
 */
export async function run<T, V>(credentials: Credentials, document: TypedDocumentNode<T, V>, variables: V): Promise<Result<T>> {
  const id = (document as unknown as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!id) throw new Error('The operation has no registered id: run npm run codegen:admin.');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    authorization: `Bearer ${credentials.token}`,
  };
  if (credentials.purpose.trim()) headers['folkreg-purpose'] = credentials.purpose.trim();
  let response: Response;
  try {
    response = await fetch('../graphql', { method: 'POST', headers, body: JSON.stringify({ documentId: id, variables }) });
  } catch (err) {
    return { data: null, errors: [{ message: (err as Error).message, extensions: { code: 'NETWORK' } }], status: 0 };
  }
  if (response.status === 401) credentials.onUnauthenticated();
  const body = (await response.json().catch(() => ({}))) as { data?: T | null; errors?: GqlError[] };
  return { data: body.data ?? null, errors: body.errors ?? [], status: response.status };
}

/** The PROTECTED_IDENTITY error covering `path` (at it or at a parent of it), if any. */
export function maskAt(errors: readonly GqlError[], path: readonly (string | number)[]): GqlError | undefined {
  return errors.find(
    (e) => e.extensions?.code === 'PROTECTED_IDENTITY' && e.path !== undefined && e.path.length <= path.length && e.path.every((p, i) => p === path[i]),
  );
}

/** Errors that are not masks: what went wrong with the request itself. */
export const failures = (errors: readonly GqlError[]): GqlError[] => errors.filter((e) => e.extensions?.code !== 'PROTECTED_IDENTITY');
