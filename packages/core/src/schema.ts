/**
 * The Standard Schema v1 interface (standardschema.dev), declared here so core keeps
 * zero dependencies: zod, valibot and arktype schemas all satisfy it.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** A Standard Schema `validate` result: the (possibly transformed) value, or the issues. */
export type StandardSchemaResult<Output> =
  { readonly value: Output; readonly issues?: undefined } | { readonly issues: readonly StandardSchemaIssue[] };

/** One validation problem, as a Standard Schema reports it; carried by `invalid_payload` errors in `details`. */
export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
}

/** One schema for every event, or one per event type (types without one are not checked). */
export type PayloadSchema = StandardSchemaV1 | { readonly [type: string]: StandardSchemaV1 | undefined };

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return typeof value === 'object' && value !== null && '~standard' in value;
}

export function schemaFor(schema: PayloadSchema | undefined, type: string): StandardSchemaV1 | undefined {
  if (schema === undefined) return undefined;
  if (isStandardSchema(schema)) return schema;
  return Object.prototype.hasOwnProperty.call(schema, type) ? schema[type] : undefined;
}
