// The shared provider conformance suite from core, fed with an MLflow scoring server's wire
// format (POST /invocations, {"predictions": ...}; mlflow/pyfunc/scoring_server and
// mlflow/gateway/providers/mlflow.py). The scoring protocol has no streaming: the instance
// offers no stream methods (core answers 501).
import { runProviderConformance, type Reply, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { INVOCATIONS, MODEL, ORIGIN, fixture, intercept } from './helpers.js';

/** The scoring server's answer per scenario (`hang`: an answer that comes too late). */
const ANSWERS: Record<Exclude<Scenario, 'chatStream' | 'completionsStream'>, Reply> = {
  chat: { body: fixture('predictions-conformance.jsonc') },
  completions: { body: fixture('predictions-conformance.jsonc') },
  embeddings: { body: fixture('predictions-embeddings.jsonc') },
  badRequest: { status: 400, body: fixture('error-conformance.jsonc') },
  serverError: { status: 500, body: fixture('error-internal.jsonc') },
  hang: { body: fixture('predictions-conformance.jsonc'), delay: 10_000 },
};

function arrange(scenario: Scenario, agent: MockAgent): void {
  if (scenario === 'chatStream' || scenario === 'completionsStream') throw new Error('The MLflow scoring protocol has no streaming');
  intercept(agent, INVOCATIONS, ANSWERS[scenario]);
}

runProviderConformance({
  name: 'mlflow-model-serving',
  provider,
  options: { model_server_url: ORIGIN },
  model: MODEL,
  supports: { chat: true, completions: true, embeddings: true },
  arrange,
});
