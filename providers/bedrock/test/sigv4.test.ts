// SigV4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html) against
// vectors of AWS's Signature Version 4 test suite (get-vanilla, post-vanilla,
// get-vanilla-query-order-key-case: credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1,
// service "service"), then the headers of real Bedrock and STS requests.
import { createHash, createHmac } from 'node:crypto';
import { expect } from 'chai';
import { agentPerTest, callContext } from '@gatehousejs/core/testing';
import { amzDate, signRequest } from '../src/auth/sigv4.js';
import {
  ACCESS_KEY_ID,
  MODEL_PATH,
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
} from './helpers.js';

const SUITE = {
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  now: Date.parse('2015-08-30T12:36:00Z'),
  region: 'us-east-1',
  service: 'service',
};
const SCOPE = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

function suiteSign(method: 'GET' | 'POST', url: string): Record<string, string> {
  return signRequest({ method, url: new URL(url), headers: {}, body: '', service: SUITE.service, region: SUITE.region, now: SUITE.now }, SUITE.credentials);
}

describe('bedrock: SigV4 signing', () => {
  it('matches the AWS test suite: get-vanilla, post-vanilla, get-vanilla-query-order-key-case', () => {
    expect(suiteSign('GET', 'https://example.amazonaws.com/')).to.deep.equal({
      'x-amz-date': '20150830T123600Z',
      authorization: `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`,
    });
    expect(suiteSign('POST', 'https://example.amazonaws.com/').authorization).to.equal(
      `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b`,
    );
    expect(suiteSign('GET', 'https://example.amazonaws.com/?Param2=value2&Param1=value1').authorization).to.match(
      /Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/,
    );
  });

  it('formats X-Amz-Date in ISO 8601 basic form', () => {
    expect(amzDate(Date.parse('2024-05-01T09:08:07.654Z'))).to.equal('20240501T090807Z');
  });

  it('adds x-amz-security-token with a session token and signs it', () => {
    const headers = signRequest(
      { method: 'POST', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '', service: 'bedrock', region: 'eu-west-3', now: T0 },
      { ...SUITE.credentials, sessionToken: 'TOKEN123' },
    );
    expect(headers['x-amz-security-token']).to.equal('TOKEN123');
    expect(parseAuthorization(headers.authorization).signedHeaders).to.deep.equal(['host', 'x-amz-date', 'x-amz-security-token']);
    expect(parseAuthorization(headers.authorization).credential).to.equal('AKIDEXAMPLE/20240501/eu-west-3/bedrock/aws4_request');
  });

  it('signs the model id encoded twice in the canonical path (":" is %3A on the wire, %253A when signed)', () => {
    const sign = (path: string): string =>
      signRequest(
        { method: 'POST', url: new URL(`https://bedrock-runtime.us-east-1.amazonaws.com${path}`), headers: { 'content-type': 'application/json' }, body: '{}', service: 'bedrock', region: 'us-east-1', now: T0 },
        SUITE.credentials,
      ).authorization!;
    // Signing the raw ":" would give the same result as %3A only if the path were not re-encoded.
    expect(sign('/model/a.b-v1%3A0/converse')).to.not.equal(sign('/model/a.b-v1:0/converse'));
    expect(sign('/model/a.b-v1%3A0/converse')).to.equal(sign('/model/a.b-v1%3A0/converse'));
  });
});

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest();

/** SigV4 by hand for the Converse call of the test below (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html). */
function referenceSignature(body: string, contentLength: string): string {
  const canonical = [
    'POST',
    '/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse',
    '',
    'accept:application/json',
    `content-length:${contentLength}`,
    'content-type:application/json',
    'host:bedrock-runtime.us-east-1.amazonaws.com',
    'x-amz-date:20240501T120000Z',
    '',
    'accept;content-length;content-type;host;x-amz-date',
    sha256(body),
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', '20240501T120000Z', '20240501/us-east-1/bedrock/aws4_request', sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET_ACCESS_KEY}`, '20240501'), 'us-east-1'), 'bedrock'), 'aws4_request');
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
}

describe('bedrock: signed requests', () => {
  const mock = agentPerTest({ beforeEach, afterEach });

  it('signs every Bedrock call: authorization with the bedrock scope, x-amz-date from the clock, the body hash', async () => {
    const sent = interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    await instance(mock.agent).chat!({ model: '', messages: [{ role: 'user', content: 'Hi' }] }, callContext());
    expect(sent.path).to.equal(`${MODEL_PATH}/converse`);
    const auth = parseAuthorization(sent.headers.authorization);
    expect(auth.credential).to.equal(`${ACCESS_KEY_ID}/20240501/us-east-1/bedrock/aws4_request`);
    expect(auth.signedHeaders).to.deep.equal(['accept', 'content-length', 'content-type', 'host', 'x-amz-date']);
    expect(sent.headers['x-amz-date']).to.equal('20240501T120000Z');
    expect(sent.headers).to.not.have.property('x-amz-security-token');
    expect(sent.headers['content-type']).to.equal('application/json');
    // The exact signature, recomputed by hand from the SigV4 steps (canonical request with the
    // path segment encoded twice, string to sign, derived key), independently of aws4.
    expect(auth.signature).to.equal(referenceSignature(sent.text, sent.headers['content-length']!));
  });

  it('sends x-amz-security-token when the configured keys carry a session token', async () => {
    const sent = interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    const options = { aws_config: { aws_region: 'us-east-1', aws_access_key_id: ACCESS_KEY_ID, aws_secret_access_key: SECRET_ACCESS_KEY, aws_session_token: SESSION_TOKEN } };
    await instance(mock.agent, { options }).chat!({ model: '', messages: [{ role: 'user', content: 'Hi' }] }, callContext());
    expect(sent.headers['x-amz-security-token']).to.equal(SESSION_TOKEN);
    expect(parseAuthorization(sent.headers.authorization).signedHeaders).to.include('x-amz-security-token');
  });

  it('signs STS calls for service sts in the configured region', async () => {
    const sts = intercept(mock.agent, '/', { body: fixture('sts-assume-role.xml'), headers: { 'content-type': 'text/xml' } }, STS_ORIGIN);
    interceptConverse(mock.agent, { body: fixture('converse-text.jsonc') });
    const options = { aws_config: { aws_region: 'us-east-1', aws_role_arn: ROLE_ARN } };
    const env = { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY };
    await instance(mock.agent, { options, env }).chat!({ model: '', messages: [{ role: 'user', content: 'Hi' }] }, callContext());
    expect(parseAuthorization(sts.headers.authorization).credential).to.equal(`${ACCESS_KEY_ID}/20240501/us-east-1/sts/aws4_request`);
    expect(sts.headers['content-type']).to.equal('application/x-www-form-urlencoded; charset=utf-8');
  });
});
