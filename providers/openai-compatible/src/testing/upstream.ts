// A mocked upstream: one undici MockAgent per test with net connect disabled, and interceptors
// that answer one request each and record what the provider sent.
import { MockAgent } from 'undici';

export interface SentRequest {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  headers: Record<string, string>;
  /** The JSON body, parsed. */
  body: Record<string, unknown>;
}

export interface Answer {
  status?: number;
  /** A string is sent as it is (SSE, HTML, broken JSON); anything else as JSON. */
  body: unknown;
  headers?: Record<string, string>;
  /** Milliseconds before the answer starts (abort and timeout tests). */
  delay?: number;
}

export function newAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

/** After a test: fail if an interceptor was never used, and close the agent either way. */
export async function releaseAgent(agent: MockAgent): Promise<void> {
  try {
    agent.assertNoPendingInterceptors();
  } finally {
    await agent.close();
  }
}

/** The hook registration of a test runner; mocha's `beforeEach` and `afterEach` fit. */
export interface TestHooks {
  beforeEach: (fn: () => void | Promise<void>) => void;
  afterEach: (fn: () => void | Promise<void>) => void;
}

export interface AgentPerTest {
  /** The current test's agent. */
  readonly agent: MockAgent;
}

/**
 * A fresh agent for every test of the enclosing block, released (see `releaseAgent`) after it.
 * Call it where hooks are registered: `const mock = agentPerTest({ beforeEach, afterEach });`,
 * then use `mock.agent` in the tests.
 */
export function agentPerTest(hooks: TestHooks): AgentPerTest {
  const { beforeEach, afterEach } = hooks;
  let current: MockAgent | undefined;
  beforeEach(() => {
    current = newAgent();
  });
  afterEach(async () => {
    const agent = current;
    current = undefined;
    if (agent) await releaseAgent(agent);
  });
  return {
    get agent(): MockAgent {
      if (!current) throw new Error('agentPerTest: the agent exists only while a test runs.');
      return current;
    },
  };
}

/**
 * Answer one request to `origin` + `path` (path includes the query) and record what was sent.
 * The returned array holds the request once it arrived.
 */
export function answer(agent: MockAgent, origin: string, path: string, reply: Answer, method = 'POST'): SentRequest[] {
  const sent: SentRequest[] = [];
  const scope = agent
    .get(origin)
    .intercept({ path, method })
    .reply((opts) => {
      sent.push({
        method: opts.method,
        path: opts.path,
        headers: { ...(opts.headers as Record<string, string>) },
        body: typeof opts.body === 'string' ? (JSON.parse(opts.body) as Record<string, unknown>) : {},
      });
      const isText = typeof reply.body === 'string';
      return {
        statusCode: reply.status ?? 200,
        data: isText ? (reply.body as string) : JSON.stringify(reply.body),
        responseOptions: {
          headers: { 'content-type': isText && (reply.status ?? 200) < 300 ? 'text/event-stream' : 'application/json', ...reply.headers },
        },
      };
    });
  if (reply.delay) scope.delay(reply.delay);
  return sent;
}
