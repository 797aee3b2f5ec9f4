/**
 * Group commit: requests that arrive while a commit runs wait, and are then committed together
 * in one transaction (one WAL flush, one journal fsync, one duplicate scan for the group instead
 * of one per request). Each request still gets its own all-or-nothing result: when the group's
 * transaction fails, its batches are committed again one by one, so a bad batch fails alone.
 *
 * Engine-free: the engine supplies how a group is committed and made durable.
 */

export interface GroupCommitOptions<B, R> {
  /**
   * Commits the batches in one transaction and returns one result per batch, in order.
   * Throws (having rolled back) when the transaction fails.
   */
  commitGroup(batches: B[]): Promise<R[]>;
  /** After the transaction, before any request hears of it: make the group durable (fsync). */
  afterCommit?(batches: B[]): Promise<void>;
  /** With no commit running, after each group: housekeeping such as a checkpoint. */
  betweenGroups?(): Promise<void>;
  /** Records in a batch, to bound a group's size. */
  sizeOf(batch: B): number;
  /** A group takes batches until it holds this many records (at least one batch). */
  maxGroupRecords: number;
}

interface Pending<B, R> {
  batch: B;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class GroupCommitter<B, R> {
  private queue: Array<Pending<B, R>> = [];
  private draining: Promise<void> | null = null;
  /** Groups committed so far and the batches in them (for tests and the benchmark). */
  readonly stats = { groups: 0, batches: 0, largestGroup: 0 };

  constructor(private readonly options: GroupCommitOptions<B, R>) {}

  /** Resolves when the batch is committed and durable; rejects when it was not stored at all. */
  submit(batch: B): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ batch, resolve, reject });
      this.draining ??= this.drain().finally(() => {
        this.draining = null;
      });
    });
  }

  /** Waits until every batch submitted so far has its result. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private takeGroup(): Array<Pending<B, R>> {
    let records = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || records + this.options.sizeOf(this.queue[n]!.batch) <= this.options.maxGroupRecords)) {
      records += this.options.sizeOf(this.queue[n]!.batch);
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async drain(): Promise<void> {
    // let the requests of the same tick join the first group
    await Promise.resolve();
    while (this.queue.length) {
      const group = this.takeGroup();
      try {
        await this.commitTogether(group);
      } catch (error) {
        if (group.length === 1) group[0]!.reject(error);
        // one bad batch must not take the others down: each is tried again on its own
        else for (const one of group) await this.commitTogether([one]).catch((e: unknown) => one.reject(e));
      }
      if (this.options.betweenGroups) await this.options.betweenGroups().catch(() => undefined);
    }
  }

  private async commitTogether(group: Array<Pending<B, R>>): Promise<void> {
    const batches = group.map((p) => p.batch);
    const results = await this.options.commitGroup(batches);
    if (results.length !== batches.length) throw new Error(`group commit returned ${results.length} results for ${batches.length} batches`);
    try {
      await this.options.afterCommit?.(batches);
    } catch (error) {
      // committed but not made durable: the requests hear of the failure, not of a success
      for (const p of group) p.reject(error);
      return;
    }
    this.stats.groups++;
    this.stats.batches += group.length;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, group.length);
    group.forEach((p, i) => p.resolve(results[i]!));
  }
}
