/**
 * Checks values against folkreg's published file schemas (schema/files/*.schema.json, JSON Schema draft
 * 2020-12) with Ajv (its 2020-12 build, strict mode, every fault) and ajv-formats (`date` is a real
 * calendar date, `date-time` an instant with a time zone, `uuid`). Every fault names where it is as a
 * JSON pointer (RFC 6901); a missing or unexpected property is named by its own pointer, not its
 * parent's, so a report line says which field.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS (exports.default): under Node's ESM the default import is the module object.
const addFormats: FormatsPlugin = (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

export interface SchemaFault {
  /** Where, as a JSON pointer into the value ('' for the whole value). */
  readonly pointer: string;
  /** The keyword that failed (`type`, `required`, `enum`, `format` …). */
  readonly keyword: string;
  readonly message: string;
}

type Schema = Record<string, unknown>;

const pointerPart = (key: string) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

function faultOf(error: ErrorObject): SchemaFault {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required' && params.missingProperty !== undefined)
    return { pointer: error.instancePath + pointerPart(params.missingProperty), keyword: 'required', message: 'Missing.' };
  if (error.keyword === 'additionalProperties' && params.additionalProperty !== undefined)
    return { pointer: error.instancePath + pointerPart(params.additionalProperty), keyword: 'additionalProperties', message: 'Not a field of the schema.' };
  return { pointer: error.instancePath, keyword: error.keyword, message: `Must ${error.message ?? 'match the schema'}.`.replace(/^Must must/, 'Must') };
}

/** A set of schemas that may refer to each other by $id; `faults(id, value)` checks a value against one. */
export class SchemaSet {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(schemas: readonly Schema[]) {
    // strict: a keyword Ajv does not know is an error when the schema is loaded, not silently unchecked.
    this.ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(this.ajv, ['date', 'date-time', 'uuid']);
    for (const schema of schemas) {
      if (typeof schema.$id !== 'string') throw new Error('A schema of the set needs an $id.');
      this.ajv.addSchema(schema);
    }
    for (const schema of schemas) this.validator(schema.$id as string);
  }

  /** The faults of `value` against the schema `id` (empty: valid). */
  faults(id: string, value: unknown): SchemaFault[] {
    const validate = this.validator(id);
    return validate(value) ? [] : (validate.errors ?? []).map(faultOf);
  }

  private validator(id: string): ValidateFunction {
    let validate = this.compiled.get(id);
    if (!validate) {
      validate = this.ajv.getSchema(id);
      if (!validate) throw new Error(`No schema ${id} in the set.`);
      this.compiled.set(id, validate);
    }
    return validate;
  }
}
