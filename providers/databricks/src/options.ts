// `model.config` of the databricks provider: the option names of MLflow's AI Gateway for
// Databricks Model Serving (the MLflow 2.5 announcement, provider "databricks-model-serving":
// `databricks_workspace_url`, `databricks_api_token`).
import type { JSONSchema } from '@gatehousejs/core';
import { URL_OPTION_SCHEMA } from '@gatehousejs/provider-openai-compatible';

// A type alias, not an interface: ProviderDefinition<Options> must fit core's Record<string, unknown>.
export type DatabricksOptions = {
  /** The workspace URL, e.g. https://dbc-1234abcd-5678.cloud.databricks.com: the base URL of every call. */
  databricks_workspace_url: string;
  /** A Databricks personal access token (or an OAuth access token), sent as `Authorization: Bearer`. */
  databricks_api_token: string;
};

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['databricks_workspace_url', 'databricks_api_token'],
  properties: {
    databricks_workspace_url: {
      ...URL_OPTION_SCHEMA,
      description: 'Workspace URL; /serving-endpoints/{model.name}/invocations is appended.',
    },
    databricks_api_token: { type: 'string', minLength: 1, description: 'Databricks token, sent as a Bearer token.' },
  },
});
