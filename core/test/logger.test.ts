import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import winston from 'winston';
import { createLogger } from '../src/logger.js';
import { Redactor } from '../src/redact.js';

const SECRET = 'sk-test-secret-value-1234567890';

function capture(level = 'info') {
  const stream = new PassThrough();
  const lines: string[] = [];
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop()!;
    lines.push(...parts);
  });
  const redactor = new Redactor();
  redactor.add(SECRET);
  const logger = createLogger({ redactor, stream, config: { level } as never });
  const parsed = async () => {
    await new Promise((r) => setImmediate(r));
    return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  };
  return { logger, lines, parsed, redactor };
}

describe('logger: JSON lines', () => {
  it('writes level, message, default and given fields, and a timestamp, in that order', async () => {
    const { logger, lines, parsed } = capture();
    logger.info('request', { endpoint: 'chat', status: 200, latency_ms: 1.5 });
    const [line] = await parsed();
    expect(line).to.include({ level: 'info', message: 'request', service: 'gatehouse', endpoint: 'chat', status: 200, latency_ms: 1.5 });
    expect(Object.keys(line!)).to.deep.equal(['service', 'endpoint', 'status', 'latency_ms', 'level', 'message', 'timestamp']);
    expect(Date.parse(line!.timestamp as string)).to.be.closeTo(Date.now(), 5000);
    expect(lines).to.have.length(1);
  });

  it('prints numbers and booleans as JSON does (non-finite numbers as null, -0 as 0)', async () => {
    const { logger, lines } = capture();
    const fields = { a: 3, b: -0.125, c: 1e21, d: -0, e: Number.NaN, f: Number.POSITIVE_INFINITY, g: true, h: false, i: 2 ** 53 + 2 };
    logger.info('numbers', fields);
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).to.contain(JSON.stringify(fields).slice(1, -1));
  });

  it('masks a registered secret in the message, in strings and in nested values', async () => {
    const { logger, lines, parsed } = capture();
    logger.warn(`upstream said ${SECRET}`, { detail: { header: `Bearer ${SECRET}` }, list: [SECRET] });
    await parsed();
    expect(lines.join('\n')).not.to.include(SECRET);
    expect(lines[0]).to.include('upstream said');
  });

  it('masks a secret in one field of a line printed whole, and leaves the caller’s fields as they were', async () => {
    const { logger, lines, parsed } = capture();
    const fields = { endpoint: 'chat', upstream: `Bearer ${SECRET}`, status: 401, skipped: undefined, ok: false };
    logger.info('request', fields);
    const [line] = await parsed();
    expect(lines[0]).not.to.include(SECRET);
    expect(line).to.include({ endpoint: 'chat', upstream: 'Bearer [REDACTED]', status: 401, ok: false });
    expect(Object.keys(line!)).to.deep.equal(['service', 'endpoint', 'upstream', 'status', 'ok', 'level', 'message', 'timestamp']);
    expect(fields.upstream).to.equal(`Bearer ${SECRET}`);
  });

  it('masks a secret learnt after a child logger was made, in the child’s own fields too', async () => {
    const { logger, lines, parsed, redactor } = capture();
    const late = 'late-secret-value-0987654321';
    const child = logger.child({ upstream: `https://user:${late}@example.test` });
    child.info('before');
    redactor.add(late);
    child.info('after', { also: late });
    await parsed();
    expect(lines[1]).to.not.contain(late);
  });

  it('drops lines below the level, follows a level change, and writes nothing when silent', async () => {
    const { logger, parsed } = capture('warn');
    logger.info('hidden');
    logger.warn('shown');
    logger.level = 'debug';
    logger.debug('now shown');
    logger.silent = true;
    logger.error('silenced');
    expect((await parsed()).map((l) => l.message)).to.deep.equal(['shown', 'now shown']);
  });

  it('keeps child loggers’ fields and log(level, …) calls', async () => {
    const { logger, parsed } = capture();
    logger.child({ requestId: 'r-1' }).info('from a child', { step: 2 });
    logger.log('info', 'through log()', { n: 1 });
    const [child, viaLog] = await parsed();
    expect(child).to.include({ requestId: 'r-1', step: 2, message: 'from a child' });
    expect(viaLog).to.include({ n: 1, message: 'through log()' });
  });

  it('lets the call’s fields win over a child’s, skips undefined values, and keeps format strings winston’s', async () => {
    const { logger, parsed } = capture();
    const child = logger.child({ plugin: 'one', requestId: 'r-2' });
    child.info('override', { plugin: 'two', missing: undefined, nested: { deep: [1, 'two'] } });
    child.child({ step: 'inner' }).warn('grandchild');
    logger.info('literal %s kept', { a: 1 });
    const [override, grandchild, literal] = await parsed();
    expect(override).to.deep.include({ plugin: 'two', requestId: 'r-2', nested: { deep: [1, 'two'] } });
    expect(override).not.to.have.property('missing');
    expect(grandchild).to.include({ plugin: 'one', requestId: 'r-2', step: 'inner', level: 'warn' });
    expect(String(literal!.message)).to.match(/^literal %s kept/);
  });

  it('hands errors, circular and BigInt values to winston’s own formats, which cope with them', async () => {
    const { logger, parsed } = capture();
    logger.error(new Error(`boom ${SECRET}`));
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    logger.info('circular', { circular });
    logger.info('big', { count: 10n });
    const [error, loop, big] = await parsed();
    expect(error!.message).to.match(/^boom /);
    expect(String(error!.message)).not.to.include(SECRET);
    expect(loop!.circular).to.deep.equal({ name: 'loop', self: '[Circular]' });
    expect(big!.count).to.equal('10');
  });

  it('is still a winston logger for everything else (transports, close)', () => {
    const { logger } = capture();
    expect(logger.transports).to.have.length(1);
    expect(logger.transports[0]).to.be.instanceOf(winston.transports.Stream);
    expect(() => logger.close()).not.to.throw();
  });
});
