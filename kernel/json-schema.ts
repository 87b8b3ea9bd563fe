/**
 * A validator for the part of JSON Schema (draft 2020-12) that folkreg's published file schemas use
 * (schema/files/*.schema.json): type, const, enum, oneOf, allOf, $ref (to a schema of the same set by its
 * $id, with a JSON-pointer fragment), required, properties, additionalProperties: false, items, pattern,
 * maxLength, and the formats date (a real calendar date), date-time and uuid. Every fault names where it is
 * as a JSON pointer (RFC 6901). No validator package is a dependency of folkreg (ajv in node_modules is
 * another package's, of an older draft); a keyword outside this subset is refused when a schema is loaded,
 * so a schema cannot say more than is checked.
 */
import { isIsoDate, isUuid } from './validate.js';

export interface SchemaFault {
  /** Where, as a JSON pointer into the value ('' for the whole value). */
  readonly pointer: string;
  /** The keyword that failed (`type`, `required`, `enum`, `format` …). */
  readonly keyword: string;
  readonly message: string;
}

type Schema = Record<string, unknown>;

const KNOWN = new Set([
  '$schema',
  '$id',
  '$ref',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'oneOf',
  'allOf',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'pattern',
  'maxLength',
  'format',
]);

const pointerPart = (key: string | number) => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A set of schemas that may refer to each other by $id; `validator(id)` checks values against one. */
export class SchemaSet {
  private readonly byId = new Map<string, Schema>();

  constructor(schemas: readonly Schema[]) {
    for (const schema of schemas) {
      if (typeof schema.$id !== 'string') throw new Error('A schema of the set needs an $id.');
      this.check(schema, schema.$id);
      this.byId.set(schema.$id, schema);
    }
  }

  /** The faults of `value` against the schema `id` (empty: valid). */
  faults(id: string, value: unknown): SchemaFault[] {
    const schema = this.byId.get(id);
    if (!schema) throw new Error(`No schema ${id} in the set.`);
    const out: SchemaFault[] = [];
    this.walk(schema, id, value, '', out);
    return out;
  }

  private check(schema: unknown, where: string): void {
    if (typeof schema !== 'object' || schema === null) return;
    for (const [key, sub] of Object.entries(schema)) {
      if (!KNOWN.has(key)) throw new Error(`${where}: the keyword ${key} is not checked by kernel/json-schema.ts.`);
      if (key === 'properties') for (const [name, s] of Object.entries(sub as Schema)) this.check(s, `${where}/properties/${name}`);
      else if (key === 'items') this.check(sub, `${where}/items`);
      else if (key === 'oneOf' || key === 'allOf') (sub as unknown[]).forEach((s, i) => this.check(s, `${where}/${key}/${i}`));
    }
  }

  private resolve(ref: string, base: string): { schema: Schema; base: string } {
    const [file = '', fragment = ''] = ref.split('#');
    const id = file === '' ? base : new URL(file, base).toString();
    let schema: unknown = this.byId.get(id);
    for (const part of fragment.split('/').filter(Boolean)) schema = (schema as Schema | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (typeof schema !== 'object' || schema === null) throw new Error(`Cannot resolve $ref ${ref} from ${base}.`);
    return { schema: schema as Schema, base: id };
  }

  private walk(schema: Schema, base: string, value: unknown, at: string, out: SchemaFault[]): void {
    const fault = (keyword: string, message: string) => out.push({ pointer: at, keyword, message });
    if (typeof schema.$ref === 'string') {
      const target = this.resolve(schema.$ref, base);
      this.walk(target.schema, target.base, value, at, out);
    }
    for (const sub of (schema.allOf as Schema[] | undefined) ?? []) this.walk(sub, base, value, at, out);
    if (schema.oneOf) {
      const matching = (schema.oneOf as Schema[]).filter((s) => {
        const inner: SchemaFault[] = [];
        this.walk(s, base, value, at, inner);
        return inner.length === 0;
      }).length;
      if (matching !== 1) fault('oneOf', matching === 0 ? 'Matches none of the allowed shapes.' : 'Matches more than one allowed shape.');
      return;
    }
    if ('const' in schema && value !== schema.const) return void fault('const', `Must be ${JSON.stringify(schema.const)}.`);
    if (schema.enum && !(schema.enum as unknown[]).includes(value))
      return void fault('enum', `Must be one of ${(schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`);
    const kind = kindOf(value);
    const types = schema.type === undefined ? [] : [schema.type as string | string[]].flat();
    if (types.length > 0 && !types.includes(kind) && !(kind === 'integer' && types.includes('number')))
      return void fault('type', `Must be ${types.join(' or ')}, not ${kind}.`);
    if (typeof value === 'string') {
      if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) fault('maxLength', `At most ${schema.maxLength} characters.`);
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) fault('pattern', `Must match ${schema.pattern}.`);
      if (schema.format === 'date' && !isIsoDate(value)) fault('format', 'Must be a calendar date YYYY-MM-DD.');
      if (schema.format === 'date-time' && (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value)) || !isIsoDate(value.slice(0, 10))))
        fault('format', 'Must be an instant (ISO 8601 with a time zone).');
      if (schema.format === 'uuid' && !isUuid(value)) fault('format', 'Must be a UUID.');
    }
    if (Array.isArray(value) && schema.items) value.forEach((v, i) => this.walk(schema.items as Schema, base, v, at + pointerPart(i), out));
    if (kind === 'object') {
      const object = value as Record<string, unknown>;
      for (const key of (schema.required as string[] | undefined) ?? [])
        if (!Object.hasOwn(object, key)) out.push({ pointer: at + pointerPart(key), keyword: 'required', message: 'Missing.' });
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      for (const [key, v] of Object.entries(object)) {
        const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
        if (property) this.walk(property, base, v, at + pointerPart(key), out);
        else if (schema.additionalProperties === false)
          out.push({ pointer: at + pointerPart(key), keyword: 'additionalProperties', message: 'Not a field of the schema.' });
      }
    }
  }
}
