import { Writable } from 'node:stream';
import pino from 'pino';
import { LazyLog } from './logger';

/** A pino logger writing its lines into an array. */
function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { root: pino({ level: 'debug' }, stream), lines };
}

describe('LazyLog', () => {
  it('makes its child logger on first use, once', () => {
    const { root } = capture();
    const child = jest.spyOn(root, 'child');
    const log = new LazyLog(root, { reqId: 'r-1' });
    expect(child).not.toHaveBeenCalled();
    log.info('one');
    log.warn({ n: 2 }, 'two');
    expect(child).toHaveBeenCalledTimes(1);
  });

  it('writes each level with its bindings, its own and its parents', async () => {
    const { root, lines } = capture();
    const request = new LazyLog(root, { reqId: 'r-2' });
    const context = new LazyLog(request, { tenantId: 7 });
    context.debug({ step: 1 }, 'read %s', 'skus');
    context.error({ err: new Error('boom') }, 'failed');
    request.info('plain text');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      expect.objectContaining({ level: 20, reqId: 'r-2', tenantId: 7, step: 1, msg: 'read skus' }),
      expect.objectContaining({
        level: 50,
        reqId: 'r-2',
        tenantId: 7,
        msg: 'failed',
        err: expect.objectContaining({ message: 'boom' }),
      }),
      expect.objectContaining({ level: 30, reqId: 'r-2', msg: 'plain text' }),
    ]);
    expect(lines[2]).not.toHaveProperty('tenantId');
  });
});
