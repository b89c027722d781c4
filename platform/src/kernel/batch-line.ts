import { BusyError } from './errors';

export interface BatchLineOptions<I, R> {
  /** Batches served at once. */
  concurrency: number;
  /** Items in one batch at most. */
  maxBatch: number;
  /** Items that may wait for a batch; beyond them `add` answers BusyError with this message. */
  maxWaiting: number;
  busyMessage: string;
  /** Serves one batch, all of one group: an outcome per item, in the items' order. A throw fails them all. */
  serve(group: number, items: I[]): Promise<Array<PromiseSettledResult<R>>>;
}

interface Waiting<I, R> {
  group: number;
  item: I;
  resolve(value: R): void;
  reject(reason: unknown): void;
}

/**
 * A line whose items are served in batches (group commit). While `concurrency` batches are being served,
 * new items wait; the next batch takes the oldest waiting item and the items of its group that came
 * after it, up to `maxBatch`, in arrival order. Under no load an item is served at once and alone; under
 * a rush one batch does the work of many, so the work per item falls as the load rises instead of each
 * item waiting its turn for every round trip. The wait is bounded: past `maxWaiting` an item is refused
 * before anything is done for it.
 */
export class BatchLine<I, R> {
  private readonly waiting: Array<Waiting<I, R>> = [];
  private serving = 0;

  constructor(private readonly options: BatchLineOptions<I, R>) {}

  /** Lines an item up in its group (a tenant); resolves with its outcome once its batch is served. */
  add(group: number, item: I): Promise<R> {
    if (this.waiting.length >= this.options.maxWaiting && this.serving >= this.options.concurrency) {
      return Promise.reject(new BusyError(this.options.busyMessage, 1));
    }
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ group, item, resolve, reject });
      this.pump();
    });
  }

  /** Items waiting and batches being served (what the tests look at). */
  get load(): { waiting: number; serving: number } {
    return { waiting: this.waiting.length, serving: this.serving };
  }

  private pump(): void {
    while (this.serving < this.options.concurrency && this.waiting.length > 0) {
      const batch = this.takeBatch();
      this.serving++;
      void this.serveBatch(batch).finally(() => {
        this.serving--;
        this.pump();
      });
    }
  }

  /** The oldest waiting item and the later ones of its group, up to maxBatch; the rest keep their places. */
  private takeBatch(): Array<Waiting<I, R>> {
    const group = this.waiting[0]!.group;
    const batch: Array<Waiting<I, R>> = [];
    const rest: Array<Waiting<I, R>> = [];
    for (const w of this.waiting) (w.group === group && batch.length < this.options.maxBatch ? batch : rest).push(w);
    this.waiting.splice(0, this.waiting.length, ...rest);
    return batch;
  }

  private async serveBatch(batch: Array<Waiting<I, R>>): Promise<void> {
    try {
      const outcomes = await this.options.serve(
        batch[0]!.group,
        batch.map((w) => w.item),
      );
      batch.forEach((w, i) => {
        const outcome = outcomes[i];
        if (!outcome) w.reject(new Error('the batch gave no outcome for this item'));
        else if (outcome.status === 'fulfilled') w.resolve(outcome.value);
        else w.reject(outcome.reason);
      });
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
