// The shared provider conformance suite from core, fed with Bedrock's wire format: Converse
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html), ConverseStream
// event-stream frames (.../API_runtime_ConverseStream.html), Titan embeddings through InvokeModel
// (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html) and error
// answers (.../CommonErrors.html). Run twice: key-based auth, and role-based auth through STS AssumeRole.
import { CONFORMANCE_ERROR, runProviderConformance, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { ACCESS_KEY_ID, JSON_HEADERS, MODEL, MODEL_PATH, ORIGIN, REGION, ROLE_ARN, SECRET_ACCESS_KEY, STREAM_HEADERS, STS_ORIGIN, TITAN, awsError, fixture, streamFixture } from './helpers.js';

const TITAN_PATH = '/model/amazon.titan-embed-text-v2%3A0/invoke';

function arrange(scenario: Scenario, agent: MockAgent): void | Record<string, unknown> {
  const pool = agent.get(ORIGIN);
  const converse = { path: `${MODEL_PATH}/converse`, method: 'POST' } as const;
  const converseStream = { path: `${MODEL_PATH}/converse-stream`, method: 'POST' } as const;
  const error = (reply: ReturnType<typeof awsError>): [number, string, { headers: Record<string, string> }] => [reply.status!, String(reply.body), { headers: reply.headers! }];
  switch (scenario) {
    case 'chat':
    case 'completions':
      pool.intercept(converse).reply(200, fixture('converse-conformance.jsonc'), { headers: { ...JSON_HEADERS } });
      return;
    case 'chatStream':
    case 'completionsStream':
      pool.intercept(converseStream).reply(200, streamFixture('stream-conformance.jsonc'), { headers: { ...STREAM_HEADERS } });
      return;
    case 'badRequest': {
      const reply = error(awsError(400, 'ValidationException', CONFORMANCE_ERROR));
      // The suite sends the bad request to chat or to chatStream.
      pool.intercept({ path: (p) => p === converse.path || p === converseStream.path, method: 'POST' }).reply(...reply);
      return;
    }
    case 'serverError':
      pool.intercept(converse).reply(...error(awsError(500, 'InternalServerException', 'The server encountered an internal error.')));
      return;
    case 'hang':
      pool.intercept(converse).reply(200, fixture('converse-conformance.jsonc'), { headers: { ...JSON_HEADERS } }).delay(10_000);
      return;
    case 'embeddings':
      // The endpoint's model answers chat; embeddings need an embedding model, which the request names.
      for (let i = 0; i < 2; i++) pool.intercept({ path: TITAN_PATH, method: 'POST' }).reply(200, fixture('titan-embedding.jsonc'), { headers: { ...JSON_HEADERS } });
      return { model: TITAN };
  }
}

const SUPPORTS = { chat: true, chatStream: true, completions: true, completionsStream: true, embeddings: true } as const;

runProviderConformance({
  name: 'bedrock (key-based)',
  provider,
  options: { aws_config: { aws_region: REGION, aws_access_key_id: ACCESS_KEY_ID, aws_secret_access_key: SECRET_ACCESS_KEY } },
  model: MODEL,
  supports: SUPPORTS,
  arrange,
});

runProviderConformance({
  name: 'bedrock (role-based, amazon-bedrock alias)',
  provider,
  providerName: 'amazon-bedrock',
  // The keys beside the role are the base credentials that call AssumeRole.
  options: { aws_config: { aws_region: REGION, aws_role_arn: ROLE_ARN, aws_access_key_id: ACCESS_KEY_ID, aws_secret_access_key: SECRET_ACCESS_KEY } },
  model: MODEL,
  supports: SUPPORTS,
  arrange(scenario, agent) {
    agent.get(STS_ORIGIN).intercept({ path: '/', method: 'POST' }).reply(200, fixture('sts-assume-role.xml'), { headers: { 'content-type': 'text/xml' } });
    return arrange(scenario, agent);
  },
});
