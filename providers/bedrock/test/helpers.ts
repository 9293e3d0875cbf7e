// Bedrock's side of the tests: fixtures of its wire format (event-stream recordings encoded as
// frames), its addresses and example credentials, AWS error answers, a movable clock, an instance
// on a test's agent, and a reader of SigV4 Authorization headers. The mocked upstream itself
// (agents, recording interceptors, bodies replayed in pieces) is core's test kit.
import type { Dispatcher, MockAgent } from 'undici';
import { expect } from 'chai';
import { answer, fixtureFiles, silentLogger, type Captured, type Reply } from '@gatehousejs/core/testing';
import type { ProviderInstance } from '@gatehousejs/core';
import { createBedrockInstance, type BedrockOptions } from '../src/index.js';
import { encodeEvents, type RecordedEvent } from './eventstream-encoder.js';

export const REGION = 'us-east-1';
export const ORIGIN = `https://bedrock-runtime.${REGION}.amazonaws.com`;
export const STS_ORIGIN = `https://sts.${REGION}.amazonaws.com`;
export const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
/** The model id as one encoded path segment. */
export const MODEL_PATH = '/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0';
export const TITAN = 'amazon.titan-embed-text-v2:0';
export const COHERE = 'cohere.embed-english-v3';

// AWS's documented example credentials (not real).
export const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLE-session-token-0123456789';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/bedrock-gateway';

export const KEY_OPTIONS: BedrockOptions = Object.freeze({
  aws_config: { aws_region: REGION, aws_access_key_id: ACCESS_KEY_ID, aws_secret_access_key: SECRET_ACCESS_KEY },
});

/** 2024-05-01T12:00:00Z: the fixed start of every test clock. */
export const T0 = Date.parse('2024-05-01T12:00:00Z');

export interface TestClock {
  t: number;
  now(): number;
}

export function testClock(start = T0): TestClock {
  return {
    t: start,
    now() {
      return this.t;
    },
  };
}

/** `.jsonc` fixtures open with `//` lines naming the doc page they follow (`.xml` ones with a comment). */
export const { fixture, fixtureJson } = fixtureFiles(new URL('../../test/fixtures/', import.meta.url));

/** A recorded ConverseStream (a `.jsonc` list of events) as event-stream bytes. */
export function streamFixture(name: string): Buffer {
  return encodeEvents(fixtureJson<RecordedEvent[]>(name));
}

export const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json' });
export const STREAM_HEADERS = Object.freeze({ 'content-type': 'application/vnd.amazon.eventstream' });

/** Answer one POST (every one with `persist`) and record what the provider sent. */
export const intercept = (agent: MockAgent, path: string | ((path: string) => boolean), reply: Reply, origin = ORIGIN): Captured =>
  answer(agent, origin, path, reply);

export const interceptConverse = (agent: MockAgent, reply: Reply, modelPath = MODEL_PATH): Captured => intercept(agent, `${modelPath}/converse`, reply);

export const interceptStream = (agent: MockAgent, body: Buffer, modelPath = MODEL_PATH): Captured =>
  intercept(agent, `${modelPath}/converse-stream`, { body, headers: { ...STREAM_HEADERS } });

/** An AWS rest-json error answer: `{"message"}` with the exception in x-amzn-errortype. */
export function awsError(status: number, type: string, message: string): Reply & { status: number; body: string; headers: Record<string, string> } {
  return {
    status,
    body: JSON.stringify({ message }),
    headers: { ...JSON_HEADERS, 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'b1e0f3c4-0000-4a5b-9c8d-0123456789ab' },
  };
}

export interface InstanceOptions {
  options?: BedrockOptions;
  env?: NodeJS.ProcessEnv;
  clock?: TestClock;
  providerName?: string;
  model?: string;
  endpoint?: string;
}

/** An instance as core builds it, with a fixed environment and a test clock. */
export function instance(dispatcher: Dispatcher, opts: InstanceOptions = {}): ProviderInstance {
  return createBedrockInstance(structuredClone(opts.options ?? KEY_OPTIONS), {
    dispatcher,
    logger: silentLogger(),
    clock: opts.clock ?? testClock(),
    providerName: opts.providerName ?? 'bedrock',
    endpoint: opts.endpoint ?? 'chat',
    model: opts.model ?? MODEL,
  }, opts.env ?? {});
}

/** The parts of an Authorization header: credential scope, signed headers, signature. */
export function parseAuthorization(header: string | undefined): { credential: string; signedHeaders: string[]; signature: string } {
  const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(header ?? '');
  expect(match, `authorization header: ${header}`).to.not.equal(null);
  return { credential: match![1]!, signedHeaders: match![2]!.split(';'), signature: match![3]! };
}
