// @gatehousejs/core/testing: helpers for provider and plugin packages' tests.
// mocha and chai are peer dependencies of this entry point only.
export { runProviderConformance, CONFORMANCE_TEXT, CONFORMANCE_ERROR, type ConformanceOptions, type Scenario } from './conformance.js';
export { createProviderInstance, callContext, collect, silentLogger, type HarnessOptions } from './provider-harness.js';
export {
  agentPerTest,
  answer,
  bytesThrough,
  chatStreamRequest,
  chunkBodies,
  Captured,
  drain,
  fixtureFiles,
  instanceOf,
  newAgent,
  providerPerTest,
  readThenAbort,
  recordingLogger,
  rejection,
  releaseAgent,
  replaying,
  services,
  sseBody,
  type AbortedRead,
  type AgentPerTest,
  type FixtureFiles,
  type LogLine,
  type ProviderPerTest,
  type ReplayingDispatcher,
  type ReplayOptions,
  type Reply,
  type SentRequest,
  type ServicesOptions,
  type TestHooks,
} from './upstream-kit.js';
export { startTestGateway, type TestGateway } from './test-gateway.js';
export { runCliCommand, type CliRun } from './cli-command.js';
export { callGateway, type CallOptions, type CallReply } from './http-call.js';
export { startRecordingServer, type RecordedRequest, type RecordingServer, type RecordingHandler } from './recording-server.js';
export { createAjv } from '../validation/ajv.js';
