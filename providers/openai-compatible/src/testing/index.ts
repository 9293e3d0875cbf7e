// @gatehousejs/provider-openai-compatible/testing: fixtures of OpenAI's wire format for this
// package and the providers built on it, each naming the documentation page it follows, and the
// answers to core's conformance scenarios in that format. The mocked upstream they are served by
// (agents, recording interceptors, bodies in pieces, instances, outcomes) is core's test kit,
// @gatehousejs/core/testing.
export { nStopRequest, nStopResponse, sparseResponse, toolResultRequest, toolsRequest, toolsResponse } from './fixtures/chat.js';
export { batchCompletionsRequest, batchCompletionsResponse, completionsRequest, completionsResponse } from './fixtures/completions.js';
export { base64Response, batchRequest, batchResponse, singleRequest, singleResponse } from './fixtures/embeddings.js';
export { badRequest, proxyHtml, rateLimited, serverError, unauthorized, vllmError } from './fixtures/errors.js';
export { chatStream, chatStreamError, chatStreamTools, chatStreamTruncated, completionsStream, sparseChatStream } from './fixtures/streams.js';
export { CONFORMANCE_OPERATIONS, conformanceAnswer } from './fixtures/conformance.js';
