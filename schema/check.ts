import { readFileSync } from 'node:fs';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { apiSchemaPath, composeSupergraph, supergraphPath } from './compose.js';
import { staleResolverTypes } from './codegen.js';

/**
 * `npm run schema:check`: the difference between the released contract (`schema/released/api.graphql`,
 * replaced on each release) and the current `schema/api.graphql`, classified by @graphql-inspector as
 * breaking, dangerous or safe. A breaking change fails the check unless `schema/CHANGELOG.md`
 * acknowledges it under "## Unreleased" by naming its schema coordinate in backticks, e.g.
 * "- Breaking: `Person.sex` is nullable now: masked for excluded callers."
 *
 * It first composes the subgraph SDLs in memory: a `schema/` that `npm run compose` has not rebuilt
 * since an SDL edit fails the check (the gateway would execute, and partners generate from, the old
 * contract). And a coordinate "Unreleased" names that did not change since the release fails it too:
 * the changelog would tell partners about a change they already have.
 */
export const releasedSchemaPath = new URL('./released/api.graphql', import.meta.url);
export const changelogPath = new URL('./CHANGELOG.md', import.meta.url);

export interface SchemaCheck {
  breaking: Change[];
  dangerous: Change[];
  safe: Change[];
  /** Breaking changes the changelog does not acknowledge: these fail the check. */
  unacknowledged: Change[];
  /**
   * Schema coordinates named in backticks under "Unreleased" (a type, `Type.field`, `Type.field(args)`)
   * that are the same in the released contract: listed as news, but partners have them already. These
   * fail the check.
   */
  unchangedMentions: string[];
}

export async function checkSchema(releasedSdl: string, currentSdl: string, changelog: string): Promise<SchemaCheck> {
  const released = buildSchema(releasedSdl);
  const current = buildSchema(currentSdl);
  const changes = await diff(released, current);
  const by = (level: CriticalityLevel) => changes.filter((c) => c.criticality.level === level);
  const unreleased = changelog.split(/^## /m).find((section) => section.startsWith('Unreleased')) ?? '';
  const mentioned = [...unreleased.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  const acknowledged = new Set(mentioned);
  const breaking = by(CriticalityLevel.Breaking);
  const changed = changes.map((c) => c.path).filter((path): path is string => !!path);
  // A mention is news when a change lies at, under or above its coordinate (`ChangeEvent` for a new field of it).
  const isNews = (coordinate: string) => changed.some((path) => path === coordinate || path.startsWith(`${coordinate}.`) || coordinate.startsWith(`${path}.`));
  return {
    breaking,
    dangerous: by(CriticalityLevel.Dangerous),
    safe: by(CriticalityLevel.NonBreaking),
    unacknowledged: breaking.filter((c) => !c.path || !acknowledged.has(c.path)),
    unchangedMentions: [...new Set(mentioned)].filter((text) => {
      const coordinate = schemaCoordinate(text, [released, current]);
      return coordinate !== null && !isNews(coordinate);
    }),
  };
}

/**
 * `Type`, `Type.field` or `Type.field(arg, …)` as the dotted path @graphql-inspector reports, when the
 * text names a type of either schema; null for anything else in backticks (a scope, a code, a query).
 */
function schemaCoordinate(text: string, schemas: GraphQLSchema[]): string | null {
  const match = /^([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?(?:\([^)]*\))?$/.exec(text.trim());
  if (!match || !schemas.some((s) => s.getType(match[1]!))) return null;
  return match[2] ? `${match[1]}.${match[2]}` : match[1]!;
}

/** The files of `schema/` that differ from what `npm run compose` would write now. */
export function staleGeneratedFiles(
  composed: { supergraphSdl: string; apiSdl: string } = composeSupergraph(),
  onDisk: { supergraphSdl: string; apiSdl: string } = { supergraphSdl: readFileSync(supergraphPath, 'utf8'), apiSdl: readFileSync(apiSchemaPath, 'utf8') },
): string[] {
  return [
    ...(composed.supergraphSdl === onDisk.supergraphSdl ? [] : ['schema/supergraph.graphql']),
    ...(composed.apiSdl === onDisk.apiSdl ? [] : ['schema/api.graphql']),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const stale = staleGeneratedFiles();
  if (stale.length) {
    console.error(`${stale.join(' and ')} ${stale.length > 1 ? 'are' : 'is'} out of date with the subgraph SDLs (subgraphs/*/schema.graphql).`);
    console.error('Run `npm run compose`, then commit schema/ with your SDL change.');
    process.exit(1);
  }
  const staleTypes = await staleResolverTypes();
  if (staleTypes.length) {
    console.error(`${staleTypes.join(', ')} ${staleTypes.length > 1 ? 'are' : 'is'} out of date with the subgraph SDLs.`);
    console.error('Run `npm run codegen`, then commit the generated resolver types with your SDL change.');
    process.exit(1);
  }
  const result = await checkSchema(readFileSync(releasedSchemaPath, 'utf8'), readFileSync(apiSchemaPath, 'utf8'), readFileSync(changelogPath, 'utf8'));
  for (const [label, list] of [
    ['Breaking', result.breaking],
    ['Dangerous', result.dangerous],
    ['Safe', result.safe],
  ] as const) {
    console.log(`${label}: ${list.length}`);
    for (const change of list) console.log(`  ${change.path ?? ''}  ${change.message}`);
  }
  if (result.unacknowledged.length) {
    console.error(`\nUnacknowledged breaking changes — partners' generated clients would break. Either undo them, or`);
    console.error(`name each coordinate in backticks under "## Unreleased" in schema/CHANGELOG.md:`);
    for (const change of result.unacknowledged) console.error(`  \`${change.path}\`  ${change.message}`);
    process.exit(1);
  }
  if (result.unchangedMentions.length) {
    console.error(`\n"## Unreleased" in schema/CHANGELOG.md names what the released contract already has; move those lines`);
    console.error(`under the release that shipped them (or name what changed):`);
    for (const mention of result.unchangedMentions) console.error(`  \`${mention}\``);
    process.exit(1);
  }
  console.log('\nschema:check passed.');
}
