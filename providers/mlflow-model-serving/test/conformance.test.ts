// The shared provider conformance suite from core, fed with an MLflow scoring server's wire
// format (POST /invocations, {"predictions": ...}; mlflow/pyfunc/scoring_server and
// mlflow/gateway/providers/mlflow.py). The scoring protocol has no streaming: the instance
// offers no stream methods (core answers 501).
import { runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { INVOCATIONS, MODEL, ORIGIN, fixture } from './helpers.js';

const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };

function arrange(scenario: Scenario, agent: MockAgent): void {
  const pool = agent.get(ORIGIN);
  const invocations = { path: INVOCATIONS, method: 'POST' } as const;
  switch (scenario) {
    case 'chat':
    case 'completions':
      pool.intercept(invocations).reply(200, fixture('predictions-conformance.jsonc'), JSON_HEADERS);
      break;
    case 'embeddings':
      pool.intercept(invocations).reply(200, fixture('predictions-embeddings.jsonc'), JSON_HEADERS);
      break;
    case 'badRequest':
      pool.intercept(invocations).reply(400, fixture('error-conformance.jsonc'), JSON_HEADERS);
      break;
    case 'serverError':
      pool.intercept(invocations).reply(500, fixture('error-internal.jsonc'), JSON_HEADERS);
      break;
    case 'hang':
      pool.intercept(invocations).reply(200, fixture('predictions-conformance.jsonc'), JSON_HEADERS).delay(10_000);
      break;
    case 'chatStream':
    case 'completionsStream':
      throw new Error('The MLflow scoring protocol has no streaming');
  }
}

runProviderConformance({
  name: 'mlflow-model-serving',
  provider,
  options: { model_server_url: ORIGIN },
  model: MODEL,
  supports: { chat: true, completions: true, embeddings: true },
  arrange,
});
