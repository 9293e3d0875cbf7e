// Request validators, compiled once at module load, and their errors worded for callers.
import type { ValidateFunction } from 'ajv';
import type { EndpointType } from '../api/openai-types.js';
import { createError, type GatewayError } from '../errors.js';
import { createAjv, formatAjvErrors, pointerToField } from './ajv.js';
import { chatRequestSchema, completionsRequestSchema, embeddingsRequestSchema } from './request-schemas.js';

const ajv = createAjv({ strict: false });

const validators: Readonly<Record<EndpointType, ValidateFunction>> = Object.freeze({
  'llm/v1/chat': ajv.compile(chatRequestSchema),
  'llm/v1/completions': ajv.compile(completionsRequestSchema),
  'llm/v1/embeddings': ajv.compile(embeddingsRequestSchema),
});

/** Undefined when valid; otherwise a 400 that names the first bad field and what was expected. */
export function validateRequest(type: EndpointType, body: unknown): GatewayError | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return createError('GW_ERR_BAD_REQUEST', 'The request body must be a JSON object.');
  }
  const validate = validators[type];
  if (validate(body)) return undefined;
  const problems = formatAjvErrors(validate.errors, body);
  const described = problems.map((p) => {
    // A missing key is reported at the key itself: 'messages[0].content' is required.
    const missing = /^missing required key "(.*)"$/.exec(p.message);
    const pointer = missing ? `${p.pointer}/${missing[1]}` : p.pointer;
    return { field: pointerToField(pointer), message: missing ? 'is required' : p.message };
  });
  const lines = described.slice(0, 5).map((d) => (d.field ? `'${d.field}' ${d.message}` : d.message));
  const firstField = described[0]!.field || undefined;
  return createError('GW_ERR_BAD_REQUEST', `Invalid request body: ${lines.join('; ')}.`, { param: firstField });
}

export { validators as requestValidators };
