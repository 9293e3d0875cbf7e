// A small encoder of the AWS event-stream format, for building ConverseStream recordings in
// tests. It is checked against AWS's own encoded vectors (eventstream.test.ts) before any
// test relies on it. Format: https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html
import { crc32 } from '../src/eventstream/crc32.js';

export type HeaderSpec =
  | { type: 'bool'; value: boolean }
  | { type: 'byte'; value: number }
  | { type: 'short'; value: number }
  | { type: 'int'; value: number }
  | { type: 'long'; value: bigint }
  | { type: 'bytes'; value: Uint8Array }
  | { type: 'string'; value: string }
  | { type: 'timestamp'; value: Date }
  | { type: 'uuid'; value: string };

function encodeHeader(name: string, spec: HeaderSpec): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const head = Buffer.concat([Buffer.from([nameBytes.length]), nameBytes]);
  let value: Buffer;
  switch (spec.type) {
    case 'bool':
      value = Buffer.from([spec.value ? 0 : 1]);
      break;
    case 'byte':
      value = Buffer.alloc(2);
      value.writeUInt8(2, 0);
      value.writeInt8(spec.value, 1);
      break;
    case 'short':
      value = Buffer.alloc(3);
      value.writeUInt8(3, 0);
      value.writeInt16BE(spec.value, 1);
      break;
    case 'int':
      value = Buffer.alloc(5);
      value.writeUInt8(4, 0);
      value.writeInt32BE(spec.value, 1);
      break;
    case 'long':
      value = Buffer.alloc(9);
      value.writeUInt8(5, 0);
      value.writeBigInt64BE(spec.value, 1);
      break;
    case 'bytes':
    case 'string': {
      const data = spec.type === 'string' ? Buffer.from(spec.value, 'utf8') : Buffer.from(spec.value);
      value = Buffer.alloc(3 + data.length);
      value.writeUInt8(spec.type === 'string' ? 7 : 6, 0);
      value.writeUInt16BE(data.length, 1);
      data.copy(value, 3);
      break;
    }
    case 'timestamp':
      value = Buffer.alloc(9);
      value.writeUInt8(8, 0);
      value.writeBigInt64BE(BigInt(spec.value.getTime()), 1);
      break;
    case 'uuid':
      value = Buffer.concat([Buffer.from([9]), Buffer.from(spec.value.replace(/-/g, ''), 'hex')]);
      break;
  }
  return Buffer.concat([head, value]);
}

/** One complete message: prelude, headers, payload, checksums. */
export function encodeMessage(headers: ReadonlyArray<readonly [string, HeaderSpec]>, payload: Uint8Array | string = ''): Buffer {
  const headerBytes = Buffer.concat(headers.map(([name, spec]) => encodeHeader(name, spec)));
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  const total = 12 + headerBytes.length + body.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headerBytes.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const withoutCrc = Buffer.concat([prelude, headerBytes, body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(withoutCrc), 0);
  return Buffer.concat([withoutCrc, crc]);
}

const str = (value: string): HeaderSpec => ({ type: 'string', value });

/** A ConverseStream event as Bedrock frames it: `:event-type`, `:content-type`, `:message-type`. */
export function eventFrame(eventType: string, payload: unknown): Buffer {
  return encodeMessage(
    [
      [':event-type', str(eventType)],
      [':content-type', str('application/json')],
      [':message-type', str('event')],
    ],
    JSON.stringify(payload),
  );
}

/** An exception inside the stream: `:exception-type` names it, the payload carries the message. */
export function exceptionFrame(exceptionType: string, message: string): Buffer {
  return encodeMessage(
    [
      [':exception-type', str(exceptionType)],
      [':content-type', str('application/json')],
      [':message-type', str('exception')],
    ],
    JSON.stringify({ message }),
  );
}

export interface RecordedEvent {
  event: string;
  payload: unknown;
}

/** A whole recording (a list of events) as the bytes of one response body. */
export function encodeEvents(events: readonly RecordedEvent[]): Buffer {
  return Buffer.concat(events.map((e) => (e.event.endsWith('Exception') ? exceptionFrame(e.event, String((e.payload as { message?: unknown }).message)) : eventFrame(e.event, e.payload))));
}
