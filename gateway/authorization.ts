import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getOperationAST,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  parse,
  type ConstValueNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from './engine.js';
import { missingScope, withHttpStatus } from '../kernel/errors.js';
import { CountedLru } from '../kernel/cache.js';

/**
 * Authorization declared in the contract. Every root field of the graph states the scopes it needs with
 * Apollo Federation's `@requiresScopes` (federation v2.5+): composed into the supergraph by
 * `@apollo/composition`, and understood as-is by Apollo Router, Cosmo and Hive Gateway, so a partner
 * reads the same declaration the gateway enforces. Types may declare it too (`type Address
 * @requiresScopes(…)`): then every field that returns the type needs those scopes, which is how a
 * domain's data stays behind its own scope when reached from another domain (`person { address }`
 * needs `address:read` besides `person:read`).
 *
 * `scopes` is a list of alternatives, each a list of scopes held together: `[["a"], ["b", "c"]]` is
 * satisfied by `a`, or by `b` and `c`. Several declarations reaching one field must all be satisfied.
 */
export type ScopeRequirement = readonly (readonly string[])[];

/** The declarations read from the supergraph: by field coordinate (`Query.person`) and by type name. */
export interface ScopeDeclarations {
  fields: ReadonlyMap<string, ScopeRequirement>;
  types: ReadonlyMap<string, ScopeRequirement>;
}

/** Read scopes of one domain each; `folkreg:read` grants all of them (see `expandScopes`). */
export const READ_SCOPES = ['person:read', 'family:read', 'address:read', 'events:read', 'reserve-id:read'] as const;

/**
 * Scopes that stand for others, expanded wherever a caller's scopes are read (HTTP and websocket alike).
 * `folkreg:read`, the scope issued before read scopes were split by domain, stays a bundle of the read
 * scopes; `audit:read` is never part of it (the audit log names who read whom).
 */
export const SCOPE_BUNDLES: Readonly<Record<string, readonly string[]>> = { 'folkreg:read': READ_SCOPES };

/** The caller's scopes with every bundle expanded (the bundle's own name kept). */
export function expandScopes(scopes: readonly string[]): string[] {
  const all = new Set(scopes);
  for (const scope of scopes) for (const granted of SCOPE_BUNDLES[scope] ?? []) all.add(granted);
  return [...all];
}

const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];
/** Distinct scope sets whose result is kept per document. @default 32 */
const MAX_SCOPE_SETS = 32;
const SCOPE_FORMAT = /^[a-z][a-z-]*:[a-z][a-z-]*$/;
const REQUIRES_SCOPES_LINK = /(@link\(url: "https:\/\/specs\.apollo\.dev\/requiresScopes\/v0\.\d+"), for: SECURITY\)/;

/**
 * Reads the `@requiresScopes` declarations from the supergraph SDL (@apollo/gateway strips applied
 * directives from its API schema). Fails closed: a root field without a declaration, an empty
 * declaration, or a scope that is not `domain:action` stops the gateway at start.
 */
export function readScopeDeclarations(supergraphSdl: string): ScopeDeclarations {
  const fields = new Map<string, ScopeRequirement>();
  const types = new Map<string, ScopeRequirement>();
  const problems: string[] = [];
  const read = (
    coordinate: string,
    directives: readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: ConstValueNode }[] }[] | undefined,
  ) => {
    const marks = directives?.filter((d) => d.name.value === 'requiresScopes') ?? [];
    if (!marks.length) return null;
    // Several marks on one element (one per subgraph) must all hold: their product, as alternatives.
    let combined: ScopeRequirement = [[]];
    for (const mark of marks) {
      const alternatives = scopesArgument(mark.arguments?.find((a) => a.name.value === 'scopes')?.value);
      if (!alternatives || !alternatives.length || alternatives.some((alt) => !alt.length)) {
        problems.push(`${coordinate} has a @requiresScopes without scopes (every alternative must name at least one scope)`);
        return null;
      }
      const bad = alternatives.flat().filter((s) => !SCOPE_FORMAT.test(s));
      if (bad.length) problems.push(`${coordinate} requires malformed scope(s) ${bad.map((s) => JSON.stringify(s)).join(', ')} (expected domain:action)`);
      combined = both(combined, alternatives);
    }
    return combined;
  };
  for (const definition of parse(supergraphSdl).definitions) {
    const isObject = definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION;
    const isInterface = definition.kind === Kind.INTERFACE_TYPE_DEFINITION || definition.kind === Kind.INTERFACE_TYPE_EXTENSION;
    const isLeaf = definition.kind === Kind.SCALAR_TYPE_DEFINITION || definition.kind === Kind.ENUM_TYPE_DEFINITION;
    if (!isObject && !isInterface && !isLeaf) continue;
    const typeName = definition.name.value;
    const onType = read(typeName, definition.directives);
    if (onType) types.set(typeName, onType);
    if (isLeaf) continue;
    for (const field of definition.fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      const onField = read(coordinate, field.directives);
      if (onField) fields.set(coordinate, onField);
      else if (ROOT_TYPES.includes(typeName))
        problems.push(`${coordinate} declares no scopes: add @requiresScopes(scopes: [["domain:action"]]) to it in its subgraph`);
    }
  }
  if (problems.length) throw new Error(`Refusing to start: the supergraph's scope declarations are incomplete or invalid:\n- ${problems.join('\n- ')}`);
  return { fields, types };
}

/** A requirement met exactly when both are: every pairing of their alternatives, duplicates dropped. */
function both(a: ScopeRequirement, b: ScopeRequirement): ScopeRequirement {
  const pairs = new Map<string, string[]>();
  for (const x of a)
    for (const y of b) {
      const alternative = [...new Set([...x, ...y])].sort();
      pairs.set(alternative.join(' '), alternative);
    }
  return [...pairs.values()];
}

function scopesArgument(value: ConstValueNode | undefined): string[][] | null {
  if (value?.kind !== Kind.LIST) return null;
  const alternatives: string[][] = [];
  for (const alternative of value.values) {
    if (alternative.kind !== Kind.LIST || !alternative.values.every((s) => s.kind === Kind.STRING)) return null;
    alternatives.push(alternative.values.map((s) => (s as { value: string }).value));
  }
  return alternatives;
}

/** What the caller lacks for one field: the field, and the requirement it does not meet. */
export interface MissingScope {
  field: string;
  requiredScopes: ScopeRequirement;
}

/**
 * Checks operations against the declarations, before planning: the whole selected operation is walked
 * (fragments, inline fragments, aliases, and `@skip`/`@include` not evaluated — a field the document
 * names needs its scopes whether or not a variable drops it). Meta fields (`__typename`, `__schema`,
 * `__type`) need no scope: they reveal no register data, and introspection has its own switch.
 */
export class Authorization {
  readonly declarations: ScopeDeclarations;
  /**
   * The supergraph as @apollo/gateway may load it. The engine refuses a supergraph linking a `for:
   * SECURITY` feature it does not implement (fail-closed); this gateway implements `@requiresScopes`
   * here, so the link's purpose is dropped only once the declarations have been read.
   */
  readonly engineSupergraphSdl: string;
  /**
   * Results per parsed document (Apollo Server's document store and the websocket planner hand out the
   * same DocumentNode for the same text) and operation + scope set: a walk of the README's person query
   * costs 60–90 µs of CPU on the shared 2-core machine, a hit about 1 µs (test/bench/authorization-walk.ts).
   * At most `MAX_SCOPE_SETS` scope sets a document.
   */
  private readonly known = new WeakMap<DocumentNode, CountedLru<string, MissingScope[]>>();

  constructor(supergraphSdl: string) {
    this.declarations = readScopeDeclarations(supergraphSdl);
    this.engineSupergraphSdl = supergraphSdl.replace(REQUIRES_SCOPES_LINK, '$1)');
  }

  /** The fields of `operationName` in `document` whose scopes `scopes` (expanded) do not meet; empty: allowed. */
  missing(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, scopes: readonly string[]): MissingScope[] {
    let results = this.known.get(document);
    if (!results) this.known.set(document, (results = new CountedLru(MAX_SCOPE_SETS)));
    const key = `${operationName ?? ''}\n${[...scopes].sort().join(' ')}`;
    let result = results.get(key);
    if (!result) {
      result = this.walk(schema, document, operationName, scopes);
      results.set(key, result);
    }
    return result;
  }

  private walk(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, scopes: readonly string[]): MissingScope[] {
    const operation = getOperationAST(document, operationName);
    const root = operation && schema.getRootType(operation.operation);
    if (!operation || !root) return []; // the engine reports the missing operation itself
    const held = new Set(scopes);
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const missing = new Map<string, MissingScope>();
    const visited = new Set<string>();
    // Keyed by the field coordinate (a type's own declaration counts at each field returning it), or by
    // the type a fragment narrows to.
    const demand = (key: string, requirement: ScopeRequirement | undefined) => {
      if (!requirement || requirement.some((alternative) => alternative.every((s) => held.has(s)))) return;
      const known = missing.get(key);
      missing.set(key, { field: key, requiredScopes: known ? both(known.requiredScopes, requirement) : requirement });
    };
    const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType) => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) this.field(selection, parent, schema, demand, walk);
        else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const narrowed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          if (!narrowed || !isCompositeType(narrowed)) continue;
          demand(narrowed.name, this.declarations.types.get(narrowed.name));
          walk(selection.selectionSet, narrowed);
        } else {
          const fragment = fragments.get(selection.name.value);
          const on = fragment && schema.getType(fragment.typeCondition.name.value);
          // A fragment spread in several places is walked once per type it is spread on.
          const key = `${selection.name.value}@${parent.name}`;
          if (!fragment || !on || !isCompositeType(on) || visited.has(key)) continue;
          visited.add(key);
          demand(on.name, this.declarations.types.get(on.name));
          walk(fragment.selectionSet, on);
        }
      }
    };
    walk(operation.selectionSet, root);
    return [...missing.values()];
  }

  private field(
    node: FieldNode,
    parent: GraphQLCompositeType,
    schema: GraphQLSchema,
    demand: (key: string, requirement: ScopeRequirement | undefined) => void,
    walk: (selectionSet: SelectionSetNode, parent: GraphQLCompositeType) => void,
  ): void {
    const name = node.name.value;
    if (name.startsWith('__')) return;
    if (!isObjectType(parent) && !isInterfaceType(parent)) return; // unions have only __typename
    const definition = parent.getFields()[name];
    if (!definition) return; // validation has refused it already
    demand(`${parent.name}.${name}`, this.declarations.fields.get(`${parent.name}.${name}`));
    // Through an interface, the field may resolve on any implementation: each one's declaration holds.
    if (isAbstractType(parent))
      for (const type of schema.getPossibleTypes(parent)) demand(`${type.name}.${name}`, this.declarations.fields.get(`${type.name}.${name}`));
    const named = getNamedType(definition.type);
    demand(`${parent.name}.${name}`, this.declarations.types.get(named.name));
    if (node.selectionSet && isCompositeType(named)) walk(node.selectionSet, named);
  }
}

/**
 * The refusal for a caller missing scopes: `FORBIDDEN`, reason `MISSING_SCOPE`, and per field the
 * scopes it requires (`extensions.requiredScopes`, field coordinate → alternatives). No data is sent.
 */
export function missingScopeError(missing: readonly MissingScope[]): GraphQLError {
  const describe = (requirement: ScopeRequirement) => requirement.map((alt) => alt.map((s) => `'${s}'`).join(' and ')).join(' or ');
  const parts = missing.map((m) => `${m.field} needs ${describe(m.requiredScopes)}`);
  return missingScope(
    `Missing scope: ${parts.join('; ')}. Ask for a token with these scopes.`,
    Object.fromEntries(missing.map((m) => [m.field, m.requiredScopes])),
  );
}

/**
 * Apollo Server plugin: every HTTP operation (POST, GET, persisted and trusted documents alike: by now
 * the document is resolved and validated) is checked before the engine plans it. The websocket layer
 * checks at subscribe (gateway/websocket) and marks the queries it derives from an authorized
 * subscription, and the gateway's own reads, `preauthorized`.
 */
export function authorizationPlugin(authorization: Authorization): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, contextValue }) {
          if (contextValue.preauthorized) return;
          const missing = authorization.missing(schema, document, operationName, contextValue.caller.scopes);
          if (!missing.length) return;
          throw withHttpStatus(missingScopeError(missing), 403);
        },
      };
    },
  };
}
