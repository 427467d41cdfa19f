export interface GroupCommitOptions {
  /** Flush when this many items wait. */
  maxBatch: number;
  /** Flush at the latest this long after the first waiting item arrived. */
  maxDelayMs: number;
  /** Batches committed at once (each holds one database connection). */
  concurrency: number;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects items from many callers and commits them in groups: one transaction and one statement
 * per batch instead of a round trip per item. Each caller's promise settles only after its batch
 * committed (or failed), so an acknowledgement can wait for durability.
 */
export class GroupCommitQueue<T, R> {
  private waiting: Array<Waiting<T, R>> = [];
  private timer: NodeJS.Timeout | null = null;
  private running = 0;

  constructor(
    private readonly commit: (items: T[]) => Promise<R[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  push(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxDelayMs);
    });
  }

  get pending(): number {
    return this.waiting.length;
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    // While every slot is busy, items keep gathering: batches grow with load.
    if (this.running >= this.options.concurrency || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, this.options.maxBatch);
    this.running++;
    this.commit(batch.map((w) => w.item))
      .then(
        (results) => batch.forEach((w, i) => w.resolve(results[i])),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        this.running--;
        if (this.waiting.length > 0) this.flush();
      });
  }
}
