// `model.config` of the openai provider: MLflow AI Gateway's options, unchanged
// (https://mlflow.org/docs/latest/llms/deployments/index.html, sections OpenAI and Azure OpenAI).
import type { JSONSchema } from '@gatehousejs/core';
import { URL_OPTION_SCHEMA } from '@gatehousejs/provider-openai-compatible';

// A type alias, not an interface: ProviderDefinition<Options> must fit core's Record<string, unknown>.
export type OpenAIOptions = {
  openai_api_key: string;
  /** 'openai', 'azure' or 'azuread', in any case (MLflow matches case-insensitively). */
  openai_api_type?: string;
  openai_api_base?: string;
  openai_api_version?: string;
  openai_organization?: string;
  openai_deployment_name?: string;
};

/** The Azure fields MLflow requires for both Azure API types. */
export const AZURE_REQUIRED = Object.freeze(['openai_api_base', 'openai_api_version', 'openai_deployment_name'] as const);

const text = { type: 'string', minLength: 1 };

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['openai_api_key'],
  properties: {
    openai_api_key: text,
    // The enum gives the readable message; the pattern accepts 'Azure', 'AZUREAD', ... as MLflow does.
    openai_api_type: {
      type: 'string',
      anyOf: [{ enum: ['openai', 'azure', 'azuread'] }, { pattern: '^(?:[Oo][Pp][Ee][Nn][Aa][Ii]|[Aa][Zz][Uu][Rr][Ee](?:[Aa][Dd])?)$' }],
    },
    openai_api_base: URL_OPTION_SCHEMA,
    openai_api_version: text,
    openai_organization: text,
    openai_deployment_name: text,
  },
  // An explicit Azure type needs its URL parts. Provider `azure`/`azuread` without a type is
  // checked in create(), where the provider name is known.
  if: { required: ['openai_api_type'], properties: { openai_api_type: { pattern: '^[Aa][Zz][Uu][Rr][Ee]' } } },
  // ajv's strictRequired wants each required key declared beside `required`.
  then: { properties: Object.fromEntries(AZURE_REQUIRED.map((key) => [key, true])), required: [...AZURE_REQUIRED] },
});
