// Decoder for the AWS event-stream binary format (ConverseStream and
// InvokeModelWithResponseStream answers, content type application/vnd.amazon.eventstream).
// Reference: https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html
//
// A message: prelude (total length u32, headers length u32, prelude CRC-32 u32), headers,
// payload, message CRC-32 (over everything before it); all integers big-endian. A header:
// name length u8, name (UTF-8), value type u8, value. Messages arrive split across network
// reads, or several in one read: the decoder buffers bytes and yields each message as soon as
// its last byte is in.
import { createError, type GatewayError } from '@gatehousejs/core';
import { crc32 } from './crc32.js';

export type HeaderValue = boolean | number | bigint | string | Uint8Array | Date;

export interface EventStreamMessage {
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly payload: Uint8Array;
}

const PRELUDE_LENGTH = 12;
const CHECKSUM_LENGTH = 4;
const MIN_MESSAGE_LENGTH = PRELUDE_LENGTH + CHECKSUM_LENGTH;
/** 16 MiB of payload and 128 KiB of headers, the format's limits. */
const MAX_MESSAGE_LENGTH = 16 * 1024 * 1024 + 128 * 1024 + MIN_MESSAGE_LENGTH;

function malformed(provider: string, what: string): GatewayError {
  return createError('GW_ERR_UPSTREAM_BAD_RESPONSE', `${provider} sent a malformed event-stream message: ${what}.`);
}

/** Header value types of the format. */
const HeaderType = Object.freeze({
  True: 0,
  False: 1,
  Byte: 2,
  Short: 3,
  Integer: 4,
  Long: 5,
  Bytes: 6,
  String: 7,
  Timestamp: 8,
  Uuid: 9,
} as const);

function decodeHeaders(bytes: Buffer, provider: string): Record<string, HeaderValue> {
  const headers: Record<string, HeaderValue> = {};
  let at = 0;
  const need = (n: number): void => {
    if (at + n > bytes.length) throw malformed(provider, 'a header runs past the header block');
  };
  while (at < bytes.length) {
    need(1);
    const nameLength = bytes.readUInt8(at);
    at += 1;
    need(nameLength + 1);
    const name = bytes.toString('utf8', at, at + nameLength);
    at += nameLength;
    const type = bytes.readUInt8(at);
    at += 1;
    switch (type) {
      case HeaderType.True:
        headers[name] = true;
        break;
      case HeaderType.False:
        headers[name] = false;
        break;
      case HeaderType.Byte:
        need(1);
        headers[name] = bytes.readInt8(at);
        at += 1;
        break;
      case HeaderType.Short:
        need(2);
        headers[name] = bytes.readInt16BE(at);
        at += 2;
        break;
      case HeaderType.Integer:
        need(4);
        headers[name] = bytes.readInt32BE(at);
        at += 4;
        break;
      case HeaderType.Long:
        need(8);
        headers[name] = bytes.readBigInt64BE(at);
        at += 8;
        break;
      case HeaderType.Bytes:
      case HeaderType.String: {
        need(2);
        const length = bytes.readUInt16BE(at);
        at += 2;
        need(length);
        headers[name] = type === HeaderType.String ? bytes.toString('utf8', at, at + length) : new Uint8Array(bytes.subarray(at, at + length));
        at += length;
        break;
      }
      case HeaderType.Timestamp:
        need(8);
        headers[name] = new Date(Number(bytes.readBigInt64BE(at)));
        at += 8;
        break;
      case HeaderType.Uuid: {
        need(16);
        const hex = bytes.toString('hex', at, at + 16);
        headers[name] = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
        at += 16;
        break;
      }
      default:
        throw malformed(provider, `unknown header value type ${String(type)}`);
    }
  }
  return headers;
}

/** Check the prelude of a message whose first 12 bytes are in; returns its total length. */
function checkPrelude(bytes: Buffer, provider: string): number {
  const total = bytes.readUInt32BE(0);
  const headersLength = bytes.readUInt32BE(4);
  if (crc32(bytes.subarray(0, 8)) !== bytes.readUInt32BE(8)) throw malformed(provider, 'prelude checksum mismatch');
  if (total < MIN_MESSAGE_LENGTH || total > MAX_MESSAGE_LENGTH) throw malformed(provider, `impossible message length ${total}`);
  if (headersLength > total - MIN_MESSAGE_LENGTH) throw malformed(provider, 'headers longer than the message');
  return total;
}

/** Decode one complete message (exactly its bytes), checking both checksums. */
export function decodeMessage(frame: Uint8Array, provider = 'The upstream'): EventStreamMessage {
  const bytes = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (bytes.length < MIN_MESSAGE_LENGTH) throw malformed(provider, 'message shorter than its prelude');
  const total = checkPrelude(bytes, provider);
  if (total !== bytes.length) throw malformed(provider, 'length does not match the prelude');
  const end = total - CHECKSUM_LENGTH;
  if (crc32(bytes.subarray(0, end)) !== bytes.readUInt32BE(end)) throw malformed(provider, 'message checksum mismatch');
  const headersEnd = PRELUDE_LENGTH + bytes.readUInt32BE(4);
  return {
    headers: decodeHeaders(bytes.subarray(PRELUDE_LENGTH, headersEnd), provider),
    payload: new Uint8Array(bytes.subarray(headersEnd, end)),
  };
}

/** Read messages from a byte stream as they complete; a stream cut inside a message is a 502. */
export async function* decodeEventStream(source: AsyncIterable<Uint8Array>, provider: string): AsyncGenerator<EventStreamMessage> {
  let buffer: Buffer = Buffer.alloc(0);
  let expected = 0; // total length of the message being assembled, once its prelude is in
  for await (const chunk of source) {
    buffer = buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffer, chunk]);
    for (;;) {
      if (expected === 0) {
        if (buffer.length < PRELUDE_LENGTH) break;
        expected = checkPrelude(buffer, provider);
      }
      if (buffer.length < expected) break;
      const message = decodeMessage(buffer.subarray(0, expected), provider);
      buffer = buffer.subarray(expected);
      expected = 0;
      yield message;
    }
  }
  if (buffer.length > 0) throw malformed(provider, 'the stream ended inside a message');
}

/** A string header's value, or undefined. */
export function stringHeader(message: EventStreamMessage, name: string): string | undefined {
  const value = message.headers[name];
  return typeof value === 'string' ? value : undefined;
}
