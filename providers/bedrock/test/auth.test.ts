// Configuration (MLflow's aws_config: key-based or role-based) and role-based credentials through
// STS AssumeRole (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html):
// the form sent, the XML answer, caching, renewal before expiry, one STS call for concurrent
// requests, and STS failures.
import { expect } from 'chai';
import type { ChatRequest, ProviderInstance } from '@gatehousejs/core';
import { agentPerTest, callContext, createAjv, rejection, type Captured } from '@gatehousejs/core/testing';
import provider from '../src/index.js';
import { optionsSchema, resolveSettings } from '../src/options.js';
import { parseAssumeRoleResponse } from '../src/auth/sts.js';
import { RENEW_BEFORE_MS } from '../src/auth/credentials.js';
import {
  ACCESS_KEY_ID,
  ROLE_ARN,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
  STS_ORIGIN,
  T0,
  fixture,
  instance,
  intercept,
  interceptConverse,
  parseAuthorization,
  testClock,
  type TestClock,
} from './helpers.js';

const chat: ChatRequest = { model: '', messages: [{ role: 'user', content: 'Hi' }] };
const ROLE_OPTIONS = { aws_config: { aws_region: 'us-east-1', aws_role_arn: ROLE_ARN } };
const BASE_ENV = { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY };
const ASSUMED_KEY = 'ASIAIOSFODNN7EXAMPLE';
const ASSUMED_TOKEN_START = 'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW';
const EXPIRES = Date.parse('2024-05-01T12:15:00Z');

describe('bedrock: configuration', () => {
  const validate = createAjv().compile(optionsSchema);

  it('accepts the seed’s key-based and role-based aws_config, and the endpoint overrides', () => {
    expect(validate({ aws_config: { aws_region: 'us-west-2', aws_access_key_id: 'AKIA', aws_secret_access_key: 's', aws_session_token: 't' } }), JSON.stringify(validate.errors)).to.equal(true);
    expect(validate({ aws_config: { aws_role_arn: ROLE_ARN, session_length_seconds: 3600 } })).to.equal(true);
    expect(validate({ aws_config: { aws_region: 'eu-central-1', bedrock_endpoint_url: 'http://localhost:4566', sts_endpoint_url: 'http://localhost:4566' } })).to.equal(true);
    expect(validate({})).to.equal(true);
  });

  it('rejects unknown keys, a key id without its secret, a short session and a bad region', () => {
    expect(validate({ aws_config: { aws_secret: 'x' } })).to.equal(false);
    expect(validate({ aws_config: { aws_access_key_id: 'AKIA' } })).to.equal(false);
    expect(validate({ aws_config: { aws_role_arn: ROLE_ARN, session_length_seconds: 60 } })).to.equal(false);
    expect(validate({ aws_config: { aws_region: 'US East' } })).to.equal(false);
    expect(validate({ bedrock_api_key: 'x' })).to.equal(false);
  });

  it('lists the credential options as secrets and declares its alias', () => {
    expect(provider.id).to.equal('bedrock');
    expect(provider.aliases).to.deep.equal(['amazon-bedrock']);
    expect(provider.secretOptions).to.include.members(['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token']);
  });

  it('takes the region from aws_config, else AWS_REGION, else AWS_DEFAULT_REGION, and builds the default URLs', () => {
    const keys = { aws_access_key_id: 'AKIA', aws_secret_access_key: 's' };
    expect(resolveSettings({ aws_config: { ...keys, aws_region: 'eu-west-1' } }, { AWS_REGION: 'us-east-2' }).region).to.equal('eu-west-1');
    expect(resolveSettings({ aws_config: keys }, { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'ap-south-1' }).region).to.equal('us-east-2');
    const settings = resolveSettings({ aws_config: keys }, { AWS_DEFAULT_REGION: 'ap-south-1' });
    expect(settings.region).to.equal('ap-south-1');
    expect(settings.runtimeUrl).to.equal('https://bedrock-runtime.ap-south-1.amazonaws.com');
    expect(settings.stsUrl).to.equal('https://sts.ap-south-1.amazonaws.com');
    expect(resolveSettings({ aws_config: { ...keys, aws_region: 'cn-north-1' } }, {}).runtimeUrl).to.equal('https://bedrock-runtime.cn-north-1.amazonaws.com.cn');
    const custom = resolveSettings({ aws_config: { ...keys, aws_region: 'us-east-1', bedrock_endpoint_url: 'http://localhost:4566/', sts_endpoint_url: 'http://localhost:4567' } }, {});
    expect([custom.runtimeUrl, custom.stsUrl]).to.deep.equal(['http://localhost:4566', 'http://localhost:4567']);
  });

  it('fails clearly when no region is set, naming both environment variables', () => {
    expect(() => resolveSettings({ aws_config: { aws_access_key_id: 'AKIA', aws_secret_access_key: 's' } }, {}))
      .to.throw(/aws_region.*AWS_REGION.*AWS_DEFAULT_REGION/)
      .with.property('code', 'GW_ERR_CONFIG_INVALID');
  });

  it('resolves key-based, role-based and environment credentials', () => {
    const keyed = resolveSettings({ aws_config: { aws_region: 'us-east-1', aws_access_key_id: 'AKIA', aws_secret_access_key: 's', aws_session_token: 't' } }, BASE_ENV);
    expect(keyed.auth).to.deep.equal({ kind: 'static', credentials: { accessKeyId: 'AKIA', secretAccessKey: 's', sessionToken: 't' } });
    const role = resolveSettings(ROLE_OPTIONS, { ...BASE_ENV, AWS_SESSION_TOKEN: SESSION_TOKEN });
    expect(role.auth).to.deep.equal({
      kind: 'role',
      roleArn: ROLE_ARN,
      durationSeconds: 900,
      base: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY, sessionToken: SESSION_TOKEN },
    });
    const roleWithKeys = resolveSettings({ aws_config: { ...ROLE_OPTIONS.aws_config, aws_access_key_id: 'AKIA', aws_secret_access_key: 's', session_length_seconds: 1800 } }, {});
    expect(roleWithKeys.auth).to.deep.include({ kind: 'role', durationSeconds: 1800, base: { accessKeyId: 'AKIA', secretAccessKey: 's' } });
    const fromEnv = resolveSettings({ aws_config: { aws_region: 'us-east-1' } }, BASE_ENV);
    expect(fromEnv.auth).to.deep.equal({ kind: 'static', credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY } });
  });

  it('fails clearly without credentials, without base credentials for a role, and never shows a secret', () => {
    expect(() => resolveSettings({ aws_config: { aws_region: 'us-east-1' } }, {})).to.throw(/AWS_ACCESS_KEY_ID/);
    expect(() => resolveSettings(ROLE_OPTIONS, {})).to.throw(/AssumeRole.*AWS_ACCESS_KEY_ID.*IMDS/s);
    expect(() => resolveSettings({ aws_config: { aws_region: 'us-east-1', aws_secret_access_key: SECRET_ACCESS_KEY } }, {}))
      .to.throw(/aws_access_key_id/)
      .and.satisfy((e: Error) => !e.message.includes(SECRET_ACCESS_KEY));
  });
});

describe('bedrock: STS AssumeRole', () => {
  const mock = agentPerTest({ beforeEach, afterEach });
  let clock: TestClock;

  beforeEach(() => {
    clock = testClock();
  });

  const stsReply = (xml = fixture('sts-assume-role.xml')): Parameters<typeof intercept>[2] => ({ body: xml, headers: { 'content-type': 'text/xml' } });
  const roleInstance = (opts: { env?: NodeJS.ProcessEnv; options?: object } = {}): ProviderInstance =>
    instance(mock.agent, { options: opts.options ?? ROLE_OPTIONS, env: opts.env ?? BASE_ENV, clock, endpoint: 'chat' });

  it('parses the documented AssumeRole answer (the wrapped session token is joined)', () => {
    const parsed = parseAssumeRoleResponse(fixture('sts-assume-role.xml'), T0, 900);
    expect(parsed.credentials.accessKeyId).to.equal(ASSUMED_KEY);
    expect(parsed.credentials.secretAccessKey).to.equal('wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY');
    expect(parsed.credentials.sessionToken).to.match(new RegExp(`^${ASSUMED_TOKEN_START.replace(/[/+]/g, '\\$&')}LWsKWHG`));
    expect(parsed.credentials.sessionToken).to.not.match(/\s/);
    expect(parsed.expiresAt).to.equal(EXPIRES);
    expect(() => parseAssumeRoleResponse('<AssumeRoleResponse/>', T0, 900)).to.throw(/without credentials/);
  });

  it('assumes the role with a signed form POST, then signs Bedrock calls with the temporary credentials', async () => {
    const sts = intercept(mock.agent, '/', stsReply(), STS_ORIGIN);
    const call = interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    await roleInstance({ env: { ...BASE_ENV, AWS_SESSION_TOKEN: SESSION_TOKEN } }).chat!(chat, callContext());

    expect(sts.method).to.equal('POST');
    expect(Object.fromEntries(new URLSearchParams(sts.text))).to.deep.equal({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: ROLE_ARN,
      RoleSessionName: 'gatehouse-chat',
      DurationSeconds: '900',
    });
    expect(parseAuthorization(sts.headers.authorization).credential).to.equal(`${ACCESS_KEY_ID}/20240501/us-east-1/sts/aws4_request`);
    expect(sts.headers['x-amz-security-token']).to.equal(SESSION_TOKEN);

    expect(parseAuthorization(call.headers.authorization).credential).to.equal(`${ASSUMED_KEY}/20240501/us-east-1/bedrock/aws4_request`);
    expect(call.headers['x-amz-security-token']).to.match(/^AQoDYXdzEPT/);
    expect(call.headers['x-amz-date']).to.equal('20240501T120000Z');
  });

  it('asks for session_length_seconds and uses the configured STS endpoint', async () => {
    const sts = intercept(mock.agent, '/', stsReply(), 'http://localhost:4566');
    interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    const options = { aws_config: { ...ROLE_OPTIONS.aws_config, session_length_seconds: 3600, sts_endpoint_url: 'http://localhost:4566' } };
    await roleInstance({ options }).chat!(chat, callContext());
    expect(new URLSearchParams(sts.text).get('DurationSeconds')).to.equal('3600');
  });

  it('caches the credentials: one STS call for many requests while they are fresh', async () => {
    // Persistent, so that any further STS call would be answered and counted.
    const sts = intercept(mock.agent, '/', { ...stsReply(), persist: true }, STS_ORIGIN);
    const provider = roleInstance();
    for (let i = 0; i < 3; i++) {
      interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
      await provider.chat!(chat, callContext());
      clock.t += 60_000;
    }
    expect(sts.calls).to.equal(1);
  });

  it('renews the credentials shortly before they expire, as the clock moves', async () => {
    const first = intercept(mock.agent, '/', stsReply(), STS_ORIGIN);
    const provider = roleInstance();
    interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    await provider.chat!(chat, callContext());
    expect(first.calls).to.equal(1);

    // Just outside the renewal window: the cached credentials still serve.
    clock.t = EXPIRES - RENEW_BEFORE_MS - 1000;
    interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    await provider.chat!(chat, callContext());

    // Inside the window: one new AssumeRole, whose answer carries the next credentials.
    clock.t = EXPIRES - RENEW_BEFORE_MS + 1000;
    const renewed = fixture('sts-assume-role.xml')
      .replace(ASSUMED_KEY, 'ASIARENEWEDEXAMPLE00')
      .replace('2024-05-01T12:15:00Z', '2024-05-01T12:26:00Z');
    const second = intercept(mock.agent, '/', stsReply(renewed), STS_ORIGIN);
    const call = interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    await provider.chat!(chat, callContext());
    expect(second.calls).to.equal(1);
    expect(parseAuthorization(call.headers.authorization).credential).to.equal('ASIARENEWEDEXAMPLE00/20240501/us-east-1/bedrock/aws4_request');
    expect(call.headers['x-amz-date']).to.equal('20240501T121001Z');
  });

  it('makes one STS call for concurrent requests that need credentials', async () => {
    // Persistent, so that any further STS call would be answered and counted.
    const sts = intercept(mock.agent, '/', { ...stsReply(), persist: true }, STS_ORIGIN);
    const provider = roleInstance();
    const calls: Captured[] = [];
    for (let i = 0; i < 5; i++) calls.push(interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') }));
    const answers = await Promise.all(Array.from({ length: 5 }, () => provider.chat!(chat, callContext())));
    expect(answers).to.have.length(5);
    expect(sts.calls).to.equal(1);
    for (const c of calls) expect(parseAuthorization(c.headers.authorization).credential).to.match(new RegExp(`^${ASSUMED_KEY}/`));
  });

  it('maps an STS AccessDenied answer to a 403 naming STS and the role, and tries again on the next request', async () => {
    intercept(mock.agent, '/', { status: 403, body: fixture('sts-access-denied.xml'), headers: { 'content-type': 'text/xml' } }, STS_ORIGIN);
    const provider = roleInstance();
    const error = await rejection(provider.chat!(chat, callContext()));
    expect(error.status).to.equal(403);
    expect(error.message).to.contain('AWS STS AssumeRole');
    expect(error.message).to.contain('AccessDenied');
    expect(error.message).to.contain('is not authorized to perform: sts:AssumeRole');
    expect(error.message).to.not.contain(SECRET_ACCESS_KEY);

    intercept(mock.agent, '/', stsReply(), STS_ORIGIN);
    interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    expect((await provider.chat!(chat, callContext())).object).to.equal('chat.completion');
  });

  it('maps STS throttling to 429 and an STS 5xx to 502', async () => {
    const throttled = '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>';
    intercept(mock.agent, '/', { status: 400, body: throttled, headers: { 'content-type': 'text/xml' } }, STS_ORIGIN);
    expect((await rejection(roleInstance().chat!(chat, callContext()))).status).to.equal(429);
    intercept(mock.agent, '/', { status: 503, body: '<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>down</Message></Error></ErrorResponse>' }, STS_ORIGIN);
    expect((await rejection(roleInstance().chat!(chat, callContext()))).status).to.equal(502);
  });

  it('keeps using the current credentials when a renewal fails before they expire', async () => {
    intercept(mock.agent, '/', stsReply(), STS_ORIGIN);
    const provider = roleInstance();
    interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    await provider.chat!(chat, callContext());
    clock.t = EXPIRES - 2 * 60_000; // in the renewal window, 2 minutes to live
    intercept(mock.agent, '/', { status: 503, body: '<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>down</Message></Error></ErrorResponse>' }, STS_ORIGIN);
    const call = interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    await provider.chat!(chat, callContext());
    expect(parseAuthorization(call.headers.authorization).credential).to.match(new RegExp(`^${ASSUMED_KEY}/`));
    // Once expired, a failed renewal is an error.
    clock.t = EXPIRES + 1000;
    intercept(mock.agent, '/', { status: 503, body: '<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>down</Message></Error></ErrorResponse>' }, STS_ORIGIN);
    expect((await rejection(provider.chat!(chat, callContext()))).status).to.equal(502);
  });

  it('lets a request waiting for STS be cancelled without cancelling the shared renewal', async () => {
    const sts = intercept(mock.agent, '/', { ...stsReply(), delay: 100 }, STS_ORIGIN);
    const provider = roleInstance();
    const controller = new AbortController();
    const cancelled = provider.chat!(chat, callContext({ signal: controller.signal }));
    interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    const waiting = provider.chat!(chat, callContext());
    setTimeout(() => controller.abort(), 10);
    const error = await rejection(cancelled);
    expect(error.code).to.equal('GW_ERR_CLIENT_CLOSED');
    expect((await waiting).object).to.equal('chat.completion');
    expect(sts.calls).to.equal(1);
  });
});
