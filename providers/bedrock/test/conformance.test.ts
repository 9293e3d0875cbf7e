// The shared provider conformance suite from core, fed with Bedrock's wire format: Converse
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html), ConverseStream
// event-stream frames (.../API_runtime_ConverseStream.html), Titan embeddings through InvokeModel
// (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html) and error
// answers (.../CommonErrors.html). Run twice: key-based auth, and role-based auth through STS AssumeRole.
import { CONFORMANCE_ERROR, runProviderConformance, type Reply, type Scenario } from '@gatehousejs/core/testing';
import type { MockAgent } from 'undici';
import provider from '../src/index.js';
import { ACCESS_KEY_ID, MODEL, MODEL_PATH, REGION, ROLE_ARN, SECRET_ACCESS_KEY, STREAM_HEADERS, STS_ORIGIN, TITAN, awsError, fixture, intercept, streamFixture } from './helpers.js';

const TITAN_PATH = '/model/amazon.titan-embed-text-v2%3A0/invoke';
const CONVERSE = `${MODEL_PATH}/converse`;
const CONVERSE_STREAM = `${MODEL_PATH}/converse-stream`;

/** The path asked and its answers, per scenario (`hang`: an answer that comes too late). */
const ANSWERS: Record<Scenario, [string | ((path: string) => boolean), ...Reply[]]> = {
  chat: [CONVERSE, { body: fixture('converse-conformance.jsonc') }],
  completions: [CONVERSE, { body: fixture('converse-conformance.jsonc') }],
  chatStream: [CONVERSE_STREAM, { body: streamFixture('stream-conformance.jsonc'), headers: { ...STREAM_HEADERS } }],
  completionsStream: [CONVERSE_STREAM, { body: streamFixture('stream-conformance.jsonc'), headers: { ...STREAM_HEADERS } }],
  // The endpoint's model answers chat; embeddings need an embedding model, which the request names.
  embeddings: [TITAN_PATH, { body: fixture('titan-embedding.jsonc'), times: 2 }],
  // The suite sends the bad request to chat or to chatStream.
  badRequest: [(path) => path === CONVERSE || path === CONVERSE_STREAM, awsError(400, 'ValidationException', CONFORMANCE_ERROR)],
  serverError: [CONVERSE, awsError(500, 'InternalServerException', 'The server encountered an internal error.')],
  hang: [CONVERSE, { body: fixture('converse-conformance.jsonc'), delay: 10_000 }],
};

function arrange(scenario: Scenario, agent: MockAgent): void | Record<string, unknown> {
  const [path, ...replies] = ANSWERS[scenario];
  for (const reply of replies) intercept(agent, path, reply);
  if (scenario === 'embeddings') return { model: TITAN };
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
    intercept(agent, '/', { body: fixture('sts-assume-role.xml'), headers: { 'content-type': 'text/xml' } }, STS_ORIGIN);
    return arrange(scenario, agent);
  },
});
