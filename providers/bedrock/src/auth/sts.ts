// STS AssumeRole through the Query API: a SigV4-signed form POST, answered in XML.
// Reference: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
// (errors: https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html)
import type { Dispatcher } from 'undici';
import { createError, sendUpstream, transportError, type CallContext, type GatewayError } from '@gatehousejs/core';
import { signRequest, type AwsCredentials } from './sigv4.js';

export const STS_LABEL = 'AWS STS';
export const STS_API_VERSION = '2011-06-15';
const ERROR_BODY_LIMIT = 64 * 1024;

export interface AssumeRoleInput {
  readonly dispatcher: Dispatcher;
  /** STS base URL (the form is posted to `{url}/`). */
  readonly stsUrl: string;
  readonly region: string;
  readonly roleArn: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly base: AwsCredentials;
  /** Now, in milliseconds (signing time, and the fallback for a missing Expiration). */
  readonly now: number;
}

export interface TemporaryCredentials {
  readonly credentials: AwsCredentials;
  /** Expiry, in milliseconds since the epoch. */
  readonly expiresAt: number;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!);
}

/** The text of the first `<tag>` element (STS answers are flat enough for this; no attributes are read). */
export function xmlText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml);
  return match ? unescapeXml(match[1]!.trim()) : undefined;
}

/** Parse an AssumeRoleResponse into credentials; throws a 502 when a field is missing. */
export function parseAssumeRoleResponse(xml: string, now: number, durationSeconds: number): TemporaryCredentials {
  const block = xmlText(xml, 'Credentials') ?? '';
  const accessKeyId = xmlText(block, 'AccessKeyId');
  const secretAccessKey = xmlText(block, 'SecretAccessKey');
  // Tokens carry no whitespace; the documentation's example wraps one over several lines.
  const sessionToken = xmlText(block, 'SessionToken')?.replace(/\s+/g, '');
  if (!accessKeyId || !secretAccessKey || !sessionToken) {
    throw createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${STS_LABEL} answered AssumeRole without credentials.`);
  }
  const expiration = Date.parse(xmlText(block, 'Expiration') ?? '');
  return {
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    expiresAt: Number.isFinite(expiration) ? expiration : now + durationSeconds * 1000,
  };
}

async function readText(body: AsyncIterable<Uint8Array>, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < limit) parts.push(Buffer.from(chunk));
    size += chunk.length;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** An STS error answer (`<ErrorResponse><Error><Code/><Message/>`) as a coded error. */
function stsError(status: number, xml: string, roleArn: string): GatewayError {
  const code = xmlText(xml, 'Code') ?? 'UnknownError';
  const message = xmlText(xml, 'Message') ?? (xml.trim().slice(0, 300) || 'no details');
  const text = `${STS_LABEL} AssumeRole for ${roleArn} failed (${status} ${code}): ${message}`;
  if (status === 429 || code === 'Throttling' || code === 'ThrottlingException') return createError('GW_ERR_RATE_LIMITED', text);
  if (status >= 400 && status < 500) {
    return createError('GW_ERR_UPSTREAM_ERROR', text, { status, type: status === 403 ? 'permission_error' : 'invalid_request_error' });
  }
  return createError('GW_ERR_UPSTREAM_ERROR', text);
}

/** Call AssumeRole once. */
export async function assumeRole(input: AssumeRoleInput, call: CallContext): Promise<TemporaryCredentials> {
  const url = new URL(`${input.stsUrl}/`);
  const body = new URLSearchParams({
    Action: 'AssumeRole',
    Version: STS_API_VERSION,
    RoleArn: input.roleArn,
    RoleSessionName: input.sessionName,
    DurationSeconds: String(input.durationSeconds),
  }).toString();
  const headers = signRequest(
    {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'text/xml' },
      body,
      service: 'sts',
      region: input.region,
      now: input.now,
    },
    input.base,
  );
  const res = await sendUpstream(input.dispatcher, { provider: STS_LABEL, url: url.href, method: 'POST', headers, body }, call);
  let xml: string;
  try {
    xml = await readText(res.body, ERROR_BODY_LIMIT);
  } catch (error) {
    throw transportError(error, call, STS_LABEL);
  }
  if (res.status < 200 || res.status >= 300) throw stsError(res.status, xml, input.roleArn);
  return parseAssumeRoleResponse(xml, input.now, input.durationSeconds);
}
