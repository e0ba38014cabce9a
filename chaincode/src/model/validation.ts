import { Ajv, type ErrorObject, type JSONSchemaType, type ValidateFunction } from 'ajv';
import { ChaincodeError, ErrorCode } from './errors.js';

/** One Ajv for every schema of the model: records and transaction requests. */
export const ajv = new Ajv({ allErrors: true });
// ajv-formats would pull in more than this one format needs; an ISO instant in UTC is all we accept.
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/);

/** Names each failing field and the rule it broke: `/lots/0/quantity must be >= 1`. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const field =
        e.keyword === 'required' || e.keyword === 'additionalProperties'
          ? e.instancePath || '/'
          : e.instancePath;
      const extra =
        e.keyword === 'additionalProperties'
          ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
          : '';
      return `${field || '/'} ${e.message ?? 'is invalid'}${extra}`;
    })
    .join('; ');
}

export interface Parser<T> {
  schema: JSONSchemaType<T>;
  /** Parses JSON text; a failure is `code: <field> <rule>`. */
  fromJson(json: string): T;
  /** Checks an already parsed value. */
  check(value: unknown): T;
}

/** Builds the one funnel through which a record or request enters the code: parse, validate, never cast. */
export function parserFor<T>(schema: JSONSchemaType<T>, code: ErrorCode, what: string): Parser<T> {
  const validate: ValidateFunction<T> = ajv.compile(schema);
  const check = (value: unknown): T => {
    if (!validate(value)) throw new ChaincodeError(code, `${what}: ${describeErrors(validate.errors)}`);
    return value;
  };
  return {
    schema,
    check,
    fromJson: (json: string): T => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch {
        throw new ChaincodeError(code, `${what} is not JSON`);
      }
      return check(parsed);
    },
  };
}
