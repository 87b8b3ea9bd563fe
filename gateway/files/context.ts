import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import type { Db } from '../../db/client.js';
import type { Caller, CallerIdentity } from '../../kernel/caller.js';

/** One query through the gateway's own pipeline (plan, scopes, masking, audit) as `caller`. */
export type RunAs = (query: string, variables: Record<string, unknown>, caller: Caller, operationName: string) => Promise<FormattedExecutionResult>;

/** What the delivery jobs of one gateway work with. */
export interface DeliveryContext {
  db: Db;
  run: RunAs;
  /** The caller a stored identity reads as now: the policy of today applied to it, as to a token. */
  callerOf(identity: CallerIdentity): Caller;
  /** This gateway's name in leases (unique per process). */
  instance: string;
  /** Days a file or an extract's output is kept. */
  retentionDays: number;
  /** How long a lease holds without renewal: another gateway takes the work over after it. */
  leaseMs: number;
  /** Persons per `searchPersons` page of an extract (one stored chunk each). */
  extractPage: number;
}

/** Errors of a pipeline answer other than masking (which only blanks fields): a subgraph down, a refusal. */
export function failures(result: FormattedExecutionResult): GraphQLFormattedError[] {
  return (result.errors ?? []).filter((e) => e.extensions?.code !== 'PROTECTED_IDENTITY');
}

/** A failure as a job or a file keeps it: code, reason and message (never values of persons). */
export function failureOf(error: GraphQLFormattedError | undefined): { code: string; reason?: string; message: string } {
  const code = String(error?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  const reason = error?.extensions?.reason;
  return { code, ...(typeof reason === 'string' ? { reason } : {}), message: error?.message ?? 'The read failed.' };
}

export const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms).unref());
