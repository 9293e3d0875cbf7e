// The AWS event-stream decoder (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html),
// checked against known-good encoded messages from AWS's reference implementation
// (awslabs/aws-c-event-stream, tests/message_serializer_test.c), then against the test encoder
// for every header type, split reads, several messages per read and damaged input.
import { expect } from 'chai';
import { isGatewayError } from '@gatehousejs/core';
import { crc32 } from '../src/eventstream/crc32.js';
import { decodeEventStream, decodeMessage, type EventStreamMessage } from '../src/eventstream/decoder.js';
import { encodeMessage } from './eventstream-encoder.js';

const FOO_BAR = "{'foo':'bar'}";

// Verbatim byte sequences from awslabs/aws-c-event-stream's serializer tests.
const AWS_VECTORS = {
  empty: [0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98, 0xc8, 0xff],
  noHeaders: [
    0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x52, 0x8c, 0x5a, 0x7b, 0x27, 0x66, 0x6f, 0x6f, 0x27, 0x3a, 0x27, 0x62, 0x61, 0x72,
    0x27, 0x7d, 0xc3, 0x65, 0x39, 0x36,
  ],
  stringHeader: [
    0x00, 0x00, 0x00, 0x3d, 0x00, 0x00, 0x00, 0x20, 0x07, 0xfd, 0x83, 0x96, 0x0c, ...Buffer.from('content-type'), 0x07, 0x00, 0x10,
    ...Buffer.from('application/json'), ...Buffer.from(FOO_BAR), 0x8d, 0x9c, 0x08, 0xb1,
  ],
  int32Header: [
    0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x0e, 0x34, 0x8b, 0xec, 0x7b, 0x08, ...Buffer.from('event-id'), 0x04, 0x00, 0x00, 0xa0, 0x0c,
    ...Buffer.from(FOO_BAR), 0xd3, 0x89, 0x02, 0x85,
  ],
};

const bytes = (list: number[]): Buffer => Buffer.from(list);
const text = (m: EventStreamMessage): string => Buffer.from(m.payload).toString('utf8');

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

async function decodeAll(source: AsyncIterable<Uint8Array>): Promise<EventStreamMessage[]> {
  const out: EventStreamMessage[] = [];
  for await (const m of decodeEventStream(source, 'Bedrock')) out.push(m);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isGatewayError(error), String(error)).to.equal(true);
  return error as { status: number; code: string; message: string };
}

describe('bedrock: event-stream decoding', () => {
  it('computes CRC-32 as the format does (the check value of "123456789" is 0xCBF43926)', () => {
    expect(crc32(Buffer.from('123456789'))).to.equal(0xcbf43926);
    expect(crc32(new Uint8Array(0))).to.equal(0);
  });

  it("decodes AWS's known-good messages: empty, payload only, a string header, an int32 header", () => {
    const empty = decodeMessage(bytes(AWS_VECTORS.empty));
    expect(empty.headers).to.deep.equal({});
    expect(empty.payload.length).to.equal(0);

    const plain = decodeMessage(bytes(AWS_VECTORS.noHeaders));
    expect(plain.headers).to.deep.equal({});
    expect(text(plain)).to.equal(FOO_BAR);

    const withString = decodeMessage(bytes(AWS_VECTORS.stringHeader));
    expect(withString.headers).to.deep.equal({ 'content-type': 'application/json' });
    expect(text(withString)).to.equal(FOO_BAR);

    const withInt = decodeMessage(bytes(AWS_VECTORS.int32Header));
    expect(withInt.headers).to.deep.equal({ 'event-id': 0x0000a00c });
    expect(text(withInt)).to.equal(FOO_BAR);
  });

  it("the test encoder reproduces AWS's vectors byte for byte", () => {
    expect(encodeMessage([])).to.deep.equal(bytes(AWS_VECTORS.empty));
    expect(encodeMessage([], FOO_BAR)).to.deep.equal(bytes(AWS_VECTORS.noHeaders));
    expect(encodeMessage([['content-type', { type: 'string', value: 'application/json' }]], FOO_BAR)).to.deep.equal(bytes(AWS_VECTORS.stringHeader));
    expect(encodeMessage([['event-id', { type: 'int', value: 0xa00c }]], FOO_BAR)).to.deep.equal(bytes(AWS_VECTORS.int32Header));
  });

  it('decodes every header value type', () => {
    const when = new Date('2024-05-01T12:00:00.123Z');
    const frame = encodeMessage(
      [
        ['yes', { type: 'bool', value: true }],
        ['no', { type: 'bool', value: false }],
        ['byte', { type: 'byte', value: -7 }],
        ['short', { type: 'short', value: -300 }],
        ['int', { type: 'int', value: 2_000_000_000 }],
        ['long', { type: 'long', value: 9_007_199_254_740_993n }],
        ['bytes', { type: 'bytes', value: Uint8Array.from([1, 2, 255]) }],
        ['string', { type: 'string', value: 'héllo ✓' }],
        ['time', { type: 'timestamp', value: when }],
        ['id', { type: 'uuid', value: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' }],
      ],
      'x',
    );
    const { headers } = decodeMessage(frame);
    expect(headers).to.deep.equal({
      yes: true,
      no: false,
      byte: -7,
      short: -300,
      int: 2_000_000_000,
      long: 9_007_199_254_740_993n,
      bytes: Uint8Array.from([1, 2, 255]),
      string: 'héllo ✓',
      time: when,
      id: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    });
  });

  it('assembles messages split across reads, down to one byte per read', async () => {
    const stream = Buffer.concat([bytes(AWS_VECTORS.stringHeader), bytes(AWS_VECTORS.int32Header), bytes(AWS_VECTORS.empty)]);
    const oneByOne = [...stream].map((b) => Uint8Array.of(b));
    const messages = await decodeAll(chunks(...oneByOne));
    expect(messages.map((m) => m.headers)).to.deep.equal([{ 'content-type': 'application/json' }, { 'event-id': 0xa00c }, {}]);
  });

  it('yields several messages that arrive in one read, and a read that ends mid-prelude', async () => {
    const a = encodeMessage([[':event-type', { type: 'string', value: 'one' }]], '{"n":1}');
    const b = encodeMessage([[':event-type', { type: 'string', value: 'two' }]], '{"n":2}');
    const c = encodeMessage([[':event-type', { type: 'string', value: 'three' }]], '{"n":3}');
    const all = Buffer.concat([a, b, c]);
    const cut = a.length + b.length + 5; // inside c's prelude
    const messages = await decodeAll(chunks(all.subarray(0, cut), all.subarray(cut)));
    expect(messages.map(text)).to.deep.equal(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('yields each message as soon as its last byte is in (nothing is held back)', async () => {
    const a = encodeMessage([], 'first');
    const b = encodeMessage([], 'second');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* source(): AsyncGenerator<Uint8Array> {
      yield a;
      await gate;
      yield b;
    }
    const iterator = decodeEventStream(source(), 'Bedrock')[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(text(first.value as EventStreamMessage)).to.equal('first');
    release();
    expect(text((await iterator.next()).value as EventStreamMessage)).to.equal('second');
    expect((await iterator.next()).done).to.equal(true);
  });

  it('rejects a damaged prelude, a damaged message and a stream cut inside a message with a 502', async () => {
    const good = encodeMessage([], FOO_BAR);

    const badPrelude = Buffer.from(good);
    badPrelude[9] = badPrelude[9]! ^ 0xff;
    const e1 = await failure(decodeAll(chunks(badPrelude)));
    expect(e1.code).to.equal('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(e1.status).to.equal(502);
    expect(e1.message).to.contain('prelude checksum');

    // A damaged length is caught from the prelude alone, without waiting for 2 GB that never come.
    const badLength = Buffer.from(good);
    badLength.writeUInt32BE(0x7fff0000, 0);
    let more!: () => void;
    const never = new Promise<void>((resolve) => (more = resolve));
    async function* stalled(): AsyncGenerator<Uint8Array> {
      yield badLength.subarray(0, 12);
      await never;
    }
    const e4 = await failure(decodeAll(stalled()));
    more();
    expect(e4.message).to.contain('prelude checksum');

    const badPayload = Buffer.from(good);
    badPayload[14] = badPayload[14]! ^ 0x01;
    const e2 = await failure(decodeAll(chunks(badPayload)));
    expect(e2.message).to.contain('message checksum');

    const e3 = await failure(decodeAll(chunks(good, good.subarray(0, good.length - 3))));
    expect(e3.message).to.contain('ended inside a message');
    expect(e3.message).to.contain('Bedrock');
  });
});
