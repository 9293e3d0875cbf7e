// @gatehousejs/provider-openai-compatible/testing: OpenAI wire-format fixtures and test helpers
// for this package and the providers built on it. Nothing here calls chai or registers mocha
// hooks by itself (checks use node:assert; agentPerTest is given the runner's hooks), though it
// builds on @gatehousejs/core/testing, which loads chai; assertions that need chai stay in each
// package's tests. Every fixture names the documentation page it follows.
export { agentPerTest, answer, newAgent, releaseAgent, type AgentPerTest, type Answer, type SentRequest, type TestHooks } from './upstream.js';
export { instanceOf, recordingLogger, rejection, services, type LogLine, type ServicesOptions } from './harness.js';
export { nStopRequest, nStopResponse, sparseResponse, toolResultRequest, toolsRequest, toolsResponse } from './fixtures/chat.js';
export { batchCompletionsRequest, batchCompletionsResponse, completionsRequest, completionsResponse } from './fixtures/completions.js';
export { base64Response, batchRequest, batchResponse, singleRequest, singleResponse } from './fixtures/embeddings.js';
export { badRequest, proxyHtml, rateLimited, serverError, unauthorized, vllmError } from './fixtures/errors.js';
export { chatStream, chatStreamError, chatStreamTools, chatStreamTruncated, completionsStream, sparseChatStream } from './fixtures/streams.js';
export { conformanceAnswer } from './fixtures/conformance.js';
