/**
 * The live part of `npm run bench:load` (issue 14): holds open `live.changes` subscriptions
 * (SSE, as the app's screens do) while the load runs, each a store screen (filtered to one
 * store, round robin), and times every delivery of an ingested record from the moment its
 * batch was sent.
 */
import { openSse } from '../support/sse-client.js';
import type { SseStream } from '../support/sse-client.js';

export interface LiveSubscribers {
  /** Records of an ingest batch sent now (first sends only: a re-sent batch creates nothing). */
  sent(externalIds: readonly string[]): void;
  /** The ingest API acknowledged these records now (its response arrived: committed). */
  acknowledged(externalIds: readonly string[]): void;
  /** Ends the streams; the delivery latencies (ms) and what was received. */
  stop(): Promise<LiveStats>;
}

export interface LiveStats {
  subscriptions: number;
  /** Streams still open at the end (the server never dropped them). */
  stillOpen: number;
  /** Deliveries of records this run ingested, with their latency from the batch's send. */
  latencies: number[];
  /** The same deliveries from the ingest response's arrival (negative: delivered before it). */
  fromAck: number[];
  /** Stream errors sent by the server. */
  errors: number;
}

export async function holdSubscriptions(baseUrl: string, cookie: string, count: number, storeIds: readonly number[]): Promise<LiveSubscribers> {
  const sentAt = new Map<string, number>();
  const ackedAt = new Map<string, number>();
  const delivered: Array<[externalId: string, atMs: number]> = [];
  let errors = 0;
  let ended = 0;
  const streams: SseStream[] = [];
  for (let k = 0; k < count; k++) {
    const filters = storeIds.length ? { storeIds: [storeIds[k % storeIds.length]!] } : {};
    const url = `${baseUrl}/trpc/live.changes?input=${encodeURIComponent(JSON.stringify({ filters }))}`;
    const stream = await openSse(url, { cookie }, (e) => {
      if (e.event === 'serialized-error') errors++;
      if (e.event !== 'message' || !e.data.includes('"incident.created"')) return;
      const { externalId } = JSON.parse(e.data) as { externalId: string };
      if (sentAt.has(externalId)) delivered.push([externalId, performance.now()]);
    });
    // keep only what the latencies need: the events themselves are not kept
    stream.events.length = 0;
    void stream.ended.then(() => ended++);
    streams.push(stream);
  }
  // the streams' event arrays would grow for the whole run: empty them now and then
  const sweep = setInterval(() => {
    for (const s of streams) s.events.length = 0;
  }, 1000);
  return {
    sent(externalIds) {
      const now = performance.now();
      for (const id of externalIds) if (!sentAt.has(id)) sentAt.set(id, now);
    },
    acknowledged(externalIds) {
      const now = performance.now();
      for (const id of externalIds) if (!ackedAt.has(id)) ackedAt.set(id, now);
    },
    async stop() {
      // deliveries of the last batches: a moment to arrive
      await new Promise((r) => setTimeout(r, 2000));
      clearInterval(sweep);
      const stillOpen = count - ended;
      for (const s of streams) s.close();
      const latencies = delivered.map(([id, at]) => at - sentAt.get(id)!);
      const fromAck = delivered.filter(([id]) => ackedAt.has(id)).map(([id, at]) => at - ackedAt.get(id)!);
      return { subscriptions: count, stillOpen, latencies, fromAck, errors };
    },
  };
}
