import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

/**
 * Reading deploy/ as an orchestrator would, for the tests of the image and the manifests
 * (test/unit/deploy-*.test.ts): these machines can neither build images nor run a cluster.
 */

/** The repository's root folder. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `deploy/kubernetes`, where the manifests are. */
export const kubernetesDir = join(root, 'deploy/kubernetes');

/** One YAML document of a manifest file, as plain data. */
export interface Manifest {
  /** The file, relative to deploy/kubernetes. */
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  /** The rest, checked against the Kubernetes schemas by the tests. */
  [field: string]: any;
}

/** Every `.yaml` file under `dir`, relative to it, subfolders included. */
export function yamlFiles(dir: string = kubernetesDir): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

/**
 * The documents of one file, read as kubectl reads them: YAML 1.1 (sigs.k8s.io/yaml), where `off` is
 * false and `0440` octal. Throws on a syntax error or a warning (a duplicate key, say).
 */
export function readYaml(file: string, dir: string = kubernetesDir): Record<string, unknown>[] {
  const documents = parseAllDocuments(readFileSync(join(dir, file), 'utf8'), { version: '1.1', uniqueKeys: true });
  if (!Array.isArray(documents)) return [];
  for (const d of documents) {
    const problems = [...d.errors, ...d.warnings];
    if (problems.length) throw new Error(`${file}: ${problems.map((p) => p.message).join('; ')}`);
  }
  return documents.map((d) => d.toJS() as Record<string, unknown>).filter((d) => d !== null);
}

/** Every Kubernetes object under deploy/kubernetes (kustomizations are kustomize's, not the API's: not here). */
export function manifests(): Manifest[] {
  return yamlFiles()
    .filter((f) => !f.endsWith('kustomization.yaml'))
    .flatMap((file) => readYaml(file).map((doc) => ({ ...doc, file }) as Manifest));
}

/** One container of a workload's pod template. */
export interface Container {
  name: string;
  image: string;
  args: string[];
  env?: { name: string; value?: string; valueFrom?: any }[];
  envFrom?: { configMapRef: { name: string } }[];
  [field: string]: any;
}

/** The containers of a Deployment's or Job's pods. */
export function containersOf(workload: Manifest): Container[] {
  return workload.spec.template.spec.containers;
}

/**
 * The environment `container` starts with: its ConfigMaps (found among `objects`), then its own `env`,
 * which wins; a value from a Secret is `secrets[key]`.
 */
export function containerEnvironment(objects: readonly Manifest[], container: Container, secrets: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? [])
    Object.assign(env, objects.find((m) => m.kind === 'ConfigMap' && m.metadata.name === from.configMapRef.name)?.data);
  for (const e of container.env ?? []) env[e.name] = e.value ?? secrets[e.valueFrom.secretKeyRef.key]!;
  return env;
}

/** The variables README's "Configuration" table names: the ones kernel/config.ts reads. */
export function configurationVariables(): Set<string> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const table = readme.split('\n## Configuration\n')[1]?.split('\n## ')[0] ?? '';
  const names = table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
  return new Set(names);
}

/** One Dockerfile instruction: its keyword (upper case) and the rest of its line, continuations joined. */
export interface Instruction {
  keyword: string;
  args: string;
}

/** The instructions of a Dockerfile, comments and blank lines left out. */
export function dockerfileInstructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** What a set of entry modules loads when run: its local files and the packages they import. */
export interface Reachable {
  /** Local files, relative to the root. */
  files: Set<string>;
  /** Package imports (not node builtins), each with a file that makes it. */
  packages: Map<string, string>;
}

/**
 * The modules `entries` (paths relative to the root) load at run time, following relative imports
 * and `export … from` through the TypeScript sources. Type-only imports are left out: tsx erases them.
 */
export function reachableFrom(entries: readonly string[]): Reachable {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    if (!file.endsWith('.ts')) return;
    const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.ES2022, false);
    for (const specifier of runtimeImports(source)) {
      if (specifier.startsWith('.')) visit(localFile(file, specifier));
      else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) packages.set(packageName(specifier), file);
    }
  };
  for (const entry of entries) visit(entry);
  return { files, packages };
}

/** The specifiers of `source`'s imports that survive compilation (static, re-exports, and `import()` of a literal). */
function runtimeImports(source: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !typeOnly(node.importClause)) specifiers.push(node.moduleSpecifier.text);
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly)
      specifiers.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0]))
      specifiers.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/** `import type …`, or `import { type A, type B }` with nothing else: erased. */
function typeOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false; // `import './side-effect.js'`
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return !clause.name && !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

/** The file a relative specifier names: `./x.js` is `./x.ts` in these sources. */
function localFile(from: string, specifier: string): string {
  const path = relative(root, resolve(root, dirname(from), specifier));
  const ts = path.replace(/\.js$/, '.ts');
  return existsSync(join(root, ts)) ? ts : path;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
