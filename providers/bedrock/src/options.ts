// The endpoint's `model.config` (MLflow's Amazon Bedrock section: `aws_config`, key-based or
// role-based), its JSON schema, and how it resolves into settings once, in create().
import { createError, type JSONSchema } from '@gatehousejs/core';
import type { AwsCredentials } from './auth/sigv4.js';

export const DEFAULT_SESSION_LENGTH_SECONDS = 900;

export interface AwsConfig {
  aws_region?: string;
  aws_access_key_id?: string;
  aws_secret_access_key?: string;
  aws_session_token?: string;
  aws_role_arn?: string;
  session_length_seconds?: number;
  bedrock_endpoint_url?: string;
  sts_endpoint_url?: string;
}

/** A type alias, so it is a plain record. */
export type BedrockOptions = {
  aws_config?: AwsConfig;
};

const URL_PATTERN = '^https?://';
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export const optionsSchema: JSONSchema = Object.freeze({
  type: 'object',
  properties: {
    aws_config: {
      type: 'object',
      description: 'Key-based ({aws_access_key_id, aws_secret_access_key, aws_session_token?}) or role-based ({aws_role_arn, session_length_seconds?}) authentication.',
      properties: {
        aws_region: { type: 'string', pattern: REGION_PATTERN.source, description: 'AWS region; default AWS_REGION, then AWS_DEFAULT_REGION.' },
        aws_access_key_id: { type: 'string', minLength: 1, description: 'Access key id of the IAM user or role.' },
        aws_secret_access_key: { type: 'string', minLength: 1, description: 'Secret access key of the IAM user or role.' },
        aws_session_token: { type: 'string', minLength: 1, description: 'Session token of temporary credentials.' },
        aws_role_arn: { type: 'string', pattern: '^arn:aws[a-z-]*:iam::', description: 'IAM role to assume with STS AssumeRole.' },
        session_length_seconds: {
          type: 'integer',
          minimum: 900,
          maximum: 43200,
          default: DEFAULT_SESSION_LENGTH_SECONDS,
          description: 'DurationSeconds of the assumed-role session.',
        },
        bedrock_endpoint_url: { type: 'string', pattern: URL_PATTERN, description: 'Bedrock Runtime base URL (default https://bedrock-runtime.{region}.amazonaws.com).' },
        sts_endpoint_url: { type: 'string', pattern: URL_PATTERN, description: 'STS base URL for role-based auth (default https://sts.{region}.amazonaws.com).' },
      },
      dependencies: {
        aws_access_key_id: ['aws_secret_access_key'],
        aws_secret_access_key: ['aws_access_key_id'],
        aws_session_token: ['aws_access_key_id'],
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
});

export type AuthSettings =
  | { readonly kind: 'static'; readonly credentials: AwsCredentials }
  | {
      readonly kind: 'role';
      readonly roleArn: string;
      readonly durationSeconds: number;
      /** The credentials that call STS AssumeRole. */
      readonly base: AwsCredentials;
    };

export interface Settings {
  readonly region: string;
  /** Bedrock Runtime base URL, without a trailing slash. */
  readonly runtimeUrl: string;
  /** STS base URL, without a trailing slash. */
  readonly stsUrl: string;
  readonly auth: AuthSettings;
}

function configError(message: string): Error {
  return createError('GW_ERR_CONFIG_INVALID', `The bedrock provider: ${message}`);
}

/** amazonaws.com, or amazonaws.com.cn in the China regions. */
function awsDomain(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');
const nonEmpty = (value: string | undefined): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function credentialsFromEnv(env: NodeJS.ProcessEnv): AwsCredentials | undefined {
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

function credentialsFromConfig(config: AwsConfig): AwsCredentials | undefined {
  const accessKeyId = nonEmpty(config.aws_access_key_id);
  const secretAccessKey = nonEmpty(config.aws_secret_access_key);
  if (!accessKeyId && !secretAccessKey) {
    if (nonEmpty(config.aws_session_token)) throw configError('aws_config.aws_session_token needs aws_access_key_id and aws_secret_access_key.');
    return undefined;
  }
  if (!accessKeyId || !secretAccessKey) {
    throw configError('aws_config needs both aws_access_key_id and aws_secret_access_key (key-based authentication).');
  }
  const sessionToken = nonEmpty(config.aws_session_token);
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

function resolveAuth(config: AwsConfig, env: NodeJS.ProcessEnv): AuthSettings {
  const configured = credentialsFromConfig(config);
  const roleArn = nonEmpty(config.aws_role_arn);
  if (roleArn) {
    // The credentials that may call AssumeRole: keys given beside the role, else the environment.
    const base = configured ?? credentialsFromEnv(env);
    if (!base) {
      throw configError(
        'aws_config.aws_role_arn needs base credentials to call STS AssumeRole: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ' +
          '(and AWS_SESSION_TOKEN for temporary credentials) in the environment. Shared profiles, SSO and instance metadata (IMDS) are not read.',
      );
    }
    return { kind: 'role', roleArn, durationSeconds: config.session_length_seconds ?? DEFAULT_SESSION_LENGTH_SECONDS, base };
  }
  const credentials = configured ?? credentialsFromEnv(env);
  if (!credentials) {
    throw configError(
      'no AWS credentials: set aws_config.aws_access_key_id and aws_config.aws_secret_access_key, or aws_config.aws_role_arn, ' +
        'or the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables.',
    );
  }
  return { kind: 'static', credentials };
}

/** Resolve the options once: region, URLs and credentials. `env` is read here and nowhere else. */
export function resolveSettings(options: BedrockOptions, env: NodeJS.ProcessEnv): Settings {
  const config: AwsConfig = options.aws_config ?? {};
  const region = nonEmpty(config.aws_region) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  if (!region) {
    throw configError('no AWS region: set model.config.aws_config.aws_region, or the AWS_REGION or AWS_DEFAULT_REGION environment variable.');
  }
  if (!REGION_PATTERN.test(region)) throw configError(`"${region}" is not an AWS region name (such as us-east-1).`);
  return Object.freeze({
    region,
    runtimeUrl: trimSlash(config.bedrock_endpoint_url ?? `https://bedrock-runtime.${region}.${awsDomain(region)}`),
    stsUrl: trimSlash(config.sts_endpoint_url ?? `https://sts.${region}.${awsDomain(region)}`),
    auth: Object.freeze(resolveAuth(config, env)),
  });
}
