// AWS Signature Version 4 for every upstream call (Bedrock Runtime: service `bedrock`; STS:
// service `sts`), with the `aws4` library (no dependencies, the AWS test suite's vectors).
// Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
//
// The signing time comes from the injected clock, so tests sign deterministically. Paths are
// given already percent-encoded (a model id's `:` as %3A); aws4 encodes each segment once more
// for the canonical request, as SigV4 requires for every service but S3.
import aws4 from 'aws4';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignInput {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact bytes that will be sent (the payload hash is part of the signature). */
  readonly body: string;
  readonly service: string;
  readonly region: string;
  /** Signing time, in milliseconds since the epoch. */
  readonly now: number;
}

/** ISO 8601 basic format, as X-Amz-Date wants it: 20150830T123600Z. */
export function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, '');
}

/**
 * Sign a request: returns the headers to send, in lower case, with `authorization`,
 * `x-amz-date` and (with a session token) `x-amz-security-token` added. `host` is left out:
 * the HTTP client sends the same value, taken from the same URL.
 */
export function signRequest(input: SignInput, credentials: AwsCredentials): Record<string, string> {
  const signed = aws4.sign(
    {
      method: input.method,
      host: input.url.host,
      path: `${input.url.pathname}${input.url.search}`,
      headers: Object.assign({}, input.headers, { 'x-amz-date': amzDate(input.now) }),
      body: input.body,
      service: input.service,
      region: input.region,
    },
    {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers ?? {})) {
    const key = name.toLowerCase();
    if (key !== 'host' && value !== undefined) out[key] = String(value);
  }
  return out;
}
