/**
 * A small Server-Sent Events reader over fetch (Node 20 has no EventSource): what a browser's
 * EventSource receives, with the connection under the test's control (drop it, reconnect).
 */
export interface SseEvent {
  /** `message` unless the stream named it (`connected`, `ping`...). */
  event: string;
  id?: string;
  data: string;
}

export interface SseStream {
  readonly events: SseEvent[];
  /** Resolves with the first event (from `from` on) matching `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (e: SseEvent) => boolean, timeoutMs: number, from?: number): Promise<SseEvent>;
  /** Drops the connection. */
  close(): void;
  /** Resolves when the server ended the stream or the connection dropped. */
  readonly ended: Promise<void>;
}

/** `onEvent` is called as each event arrives (the bench times deliveries with it). */
export async function openSse(url: string, headers: Record<string, string> = {}, onEvent?: (e: SseEvent) => void): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  if (!res.ok || !res.body) throw new Error(`SSE ${url}: HTTP ${res.status} ${await res.text()}`);
  if (!/^text\/event-stream/.test(res.headers.get('content-type') ?? '')) {
    throw new Error(`SSE ${url}: content-type ${res.headers.get('content-type')}`);
  }
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
          const event: SseEvent = { event: 'message', data: '' };
          const data: string[] = [];
          for (const line of block.split(/\r?\n/)) {
            if (!line || line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') event.event = value;
            else if (field === 'id') event.id = value;
            else if (field === 'data') data.push(value);
          }
          event.data = data.join('\n');
          onEvent?.(event);
          events.push(event);
          for (const w of waiters) w();
        }
      }
    } catch {
      // dropped (closed by the test or the server)
    } finally {
      for (const w of waiters) w();
    }
  })();
  let done = false;
  void ended.then(() => (done = true));
  return {
    events,
    ended,
    close: () => abort.abort(),
    waitFor(predicate, timeoutMs, from = 0) {
      return new Promise<SseEvent>((resolve, reject) => {
        const check = () => {
          const found = events.slice(from).find(predicate);
          if (found) {
            finish();
            resolve(found);
          } else if (done) {
            finish();
            reject(new Error('SSE stream ended before the awaited event'));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no matching SSE event within ${timeoutMs} ms; got ${JSON.stringify(events.slice(from))}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
