import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { buildSchema, Kind, validate, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/** armor's visitors read fragments, not types: `validate` gets a schema of one field, never the API's. */
const UNTYPED = buildSchema('type Query { _: Int }');

/** What one operation of a document measures (fragments expanded). */
export interface OperationMeasure {
  name: string | null;
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
}

/** What a document text measures, before any client's limits are applied to it. */
export interface DocumentMeasure {
  bytes: number;
  /** Tokens, or `tokenCap + 1` when parsing stopped at the cap (`overTokens`). */
  tokens: number;
  overTokens: boolean;
  /** The document does not parse: Apollo answers with its own syntax error. */
  syntaxError: boolean;
  operations: OperationMeasure[];
}

/**
 * Measures a document with graphql-armor's counters, run as measurers rather than as rules: its
 * token-counting parser (stopping at `tokenCap`, the largest token limit any client has, so a token
 * flood costs at most that much lexing) and its depth, alias and directive visitors with no limit,
 * reading each operation's figures from their `onAccept` callbacks — so one measurement, cached per
 * document, serves clients with different limits, and each refusal can say the measured value.
 * Root fields are counted here (armor has no rule for them).
 */
export function measureDocument(source: string, tokenCap: number): DocumentMeasure {
  const bytes = Buffer.byteLength(source, 'utf8');
  const parser = new MaxTokensParserWLexer(source, { n: tokenCap });
  let document: DocumentNode;
  try {
    document = parser.parseDocument();
  } catch {
    const over = parser.tokenCount > tokenCap;
    return { bytes, tokens: parser.tokenCount, overTokens: over, syntaxError: !over, operations: [] };
  }
  const operations: OperationMeasure[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION)
      operations.push({ name: definition.name?.value ?? null, depth: 0, aliases: 0, rootFields: 0, directives: 0 });
  }
  const capture = (key: 'depth' | 'aliases' | 'directives') => {
    let i = 0;
    return [(_: unknown, { n }: { n: number }) => void (operations[i++]![key] = n)];
  };
  // Unlimited (n: Infinity): the visitors only count; `validate` with these rules alone is one walk.
  validate(UNTYPED, document, [
    maxDepthRule({ n: Infinity, flattenFragments: true, onAccept: capture('depth') }),
    maxAliasesRule({ n: Infinity, onAccept: capture('aliases') }),
    maxDirectivesRule({ n: Infinity, onAccept: capture('directives') }),
  ]);
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  let i = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) operations[i++]!.rootFields = rootFields(definition.selectionSet, fragments, new Set());
  }
  return { bytes, tokens: parser.tokenCount, overTokens: false, syntaxError: false, operations };
}

function rootFields(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  let n = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) n++;
    else if (selection.kind === Kind.INLINE_FRAGMENT) n += rootFields(selection.selectionSet, fragments, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) n += rootFields(fragment.selectionSet, fragments, seen);
    }
  }
  return n;
}

/** The operation a request runs: by `operationName`, or the only one. */
export function operationOf(measure: DocumentMeasure, operationName: string | null | undefined): OperationMeasure | 'not found' | 'ambiguous' {
  if (operationName) return measure.operations.find((o) => o.name === operationName) ?? 'not found';
  if (measure.operations.length === 1) return measure.operations[0]!;
  return measure.operations.length === 0 ? 'not found' : 'ambiguous';
}

/** Estimated heap bytes of a cached measure (it holds no AST). */
export function measureBytes(measure: DocumentMeasure, key: string): number {
  return 200 + key.length * 2 + measure.operations.reduce((n, o) => n + 80 + (o.name?.length ?? 0) * 2, 0);
}
