/** A JSON schema as ajv takes it. Kept loose on purpose: ajv validates the schemas themselves. */
export type JSONSchema = Record<string, unknown>;
