import { BatchLine } from './batch-line';
import { BusyError } from './errors';

/** A line whose batches are held open until the test lets them finish; each item is answered with itself. */
function heldLine(options: { concurrency: number; maxBatch: number; maxWaiting: number }) {
  const batches: Array<{ group: number; items: string[]; finish(): void; fail(err: Error): void }> = [];
  const line = new BatchLine<string, string>({
    ...options,
    busyMessage: 'busy',
    serve: (group, items) =>
      new Promise((resolve, reject) => {
        batches.push({
          group,
          items,
          finish: () =>
            resolve(
              items.map((value) =>
                value.startsWith('bad')
                  ? { status: 'rejected', reason: new Error(value) }
                  : { status: 'fulfilled', value },
              ),
            ),
          fail: reject,
        });
      }),
  });
  return { line, batches };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('BatchLine', () => {
  it('serves an item at once and alone when nothing else is being served', async () => {
    const { line, batches } = heldLine({ concurrency: 1, maxBatch: 10, maxWaiting: 10 });
    const a = line.add(1, 'a');
    expect(batches.map((b) => b.items)).toEqual([['a']]);
    batches[0]!.finish();
    await expect(a).resolves.toBe('a');
  });

  it('lets items wait while batches are served, then takes the oldest one with the later ones of its group, in arrival order', async () => {
    const { line, batches } = heldLine({ concurrency: 1, maxBatch: 3, maxWaiting: 10 });
    const answers = [
      line.add(1, 'a1'),
      line.add(1, 'b1'),
      line.add(2, 'c2'),
      line.add(1, 'd1'),
      line.add(1, 'e1'),
      line.add(1, 'f1'),
    ];
    expect(line.load).toEqual({ waiting: 5, serving: 1 });
    batches[0]!.finish();
    await tick();
    // The oldest waiting item is of group 1: its batch takes b1, d1, e1 (maxBatch 3); c2 keeps its place ahead of f1.
    expect(batches.map((b) => [b.group, b.items])).toEqual([
      [1, ['a1']],
      [1, ['b1', 'd1', 'e1']],
    ]);
    batches[1]!.finish();
    await tick();
    expect(batches[2]).toMatchObject({ group: 2, items: ['c2'] });
    batches[2]!.finish();
    await tick();
    expect(batches[3]).toMatchObject({ group: 1, items: ['f1'] });
    batches[3]!.finish();
    await expect(Promise.all(answers)).resolves.toEqual(['a1', 'b1', 'c2', 'd1', 'e1', 'f1']);
  });

  it('answers each item with its own outcome, and a batch that throws fails its items only', async () => {
    const { line, batches } = heldLine({ concurrency: 1, maxBatch: 10, maxWaiting: 10 });
    const first = line.add(1, 'first');
    const good = line.add(1, 'good');
    const bad = line.add(1, 'bad one');
    batches[0]!.fail(new Error('database away'));
    await expect(first).rejects.toThrow('database away');
    await tick();
    batches[1]!.finish();
    await expect(good).resolves.toBe('good');
    await expect(bad).rejects.toThrow('bad one');
    const after = line.add(1, 'after');
    batches[2]!.finish();
    await expect(after).resolves.toBe('after');
  });

  it('refuses an item past maxWaiting with BusyError, before anything is done for it', async () => {
    const { line, batches } = heldLine({ concurrency: 2, maxBatch: 10, maxWaiting: 2 });
    const served = [line.add(1, 'a'), line.add(1, 'b'), line.add(1, 'c'), line.add(1, 'd')];
    await expect(line.add(1, 'e')).rejects.toBeInstanceOf(BusyError);
    expect(line.load).toEqual({ waiting: 2, serving: 2 });
    batches[0]!.finish();
    batches[1]!.finish();
    await tick();
    batches[2]!.finish();
    await expect(Promise.all(served)).resolves.toEqual(['a', 'b', 'c', 'd']);
  });

  it('with no room to wait, still serves an item when a batch is free', async () => {
    const { line, batches } = heldLine({ concurrency: 1, maxBatch: 10, maxWaiting: 0 });
    const a = line.add(1, 'a');
    await expect(line.add(1, 'b')).rejects.toBeInstanceOf(BusyError);
    batches[0]!.finish();
    await expect(a).resolves.toBe('a');
  });
});
