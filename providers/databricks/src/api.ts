// Where and how to call Databricks Model Serving: every operation posts to the serving endpoint's
// invocations URL, `{workspace}/serving-endpoints/{endpoint}/invocations`, with a Bearer token; the
// body (messages, prompt or input) tells the endpoint's task apart. The endpoint is named in the
// URL, so `model` is left out of the body.
// References: https://docs.databricks.com/api/workspace/servingendpoints/query and
// https://docs.databricks.com/en/machine-learning/foundation-model-apis/api-reference.html
import { defineParamMap, type ParamMap } from '@gatehousejs/core';
import { bearer, checkHttpUrl, joinUrl, type OpenAICompatibleSettings, type Operation } from '@gatehousejs/provider-openai-compatible';

export const PROVIDER_LABEL = 'Databricks Model Serving';

// | model          | dropped: the serving endpoint is named in the URL                                   |
// | stream_options | dropped: Databricks' foundation models report usage in their stream chunks anyway,  |
// |                | and some served models refuse the field (a 400 from the Claude endpoints)            |
// | anything else  | passed unchanged: the Foundation Model APIs take OpenAI's parameters (temperature   |
// |                | 0–2, top_p, top_k, max_tokens, stop as a string or list, n, tools, tool_choice,      |
// |                | response_format, logprobs, ...) and answer 400 for what a model does not support    |
const CHAT_PARAMS: ParamMap = defineParamMap({ model: { drop: true }, stream_options: { drop: true } });
const EMBEDDINGS_PARAMS: ParamMap = defineParamMap({ model: { drop: true } });

export const PARAMS: Readonly<Record<Operation, ParamMap>> = Object.freeze({
  chat: CHAT_PARAMS,
  completions: CHAT_PARAMS,
  embeddings: EMBEDDINGS_PARAMS,
});

/** The workspace URL without a trailing slash or `/serving-endpoints` (both are accepted). */
export function workspaceBase(url: string): string {
  return checkHttpUrl(url, 'databricks_workspace_url')
    .replace(/\/+$/, '')
    .replace(/\/serving-endpoints$/, '');
}

export function invocationsUrl(workspaceUrl: string, endpoint: string): string {
  return joinUrl(workspaceBase(workspaceUrl), 'serving-endpoints', encodeURIComponent(endpoint), 'invocations');
}

export function databricksSettings(workspaceUrl: string, token: string, endpoint: string): OpenAICompatibleSettings {
  const url = invocationsUrl(workspaceUrl, endpoint);
  return {
    provider: PROVIDER_LABEL,
    baseUrl: workspaceBase(workspaceUrl),
    headers: bearer(token),
    url: () => url,
    params: PARAMS,
    capabilities: Object.freeze({ streaming: true, tools: true }),
  };
}
