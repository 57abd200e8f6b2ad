/**
 * A small text/event-stream reader for tests and benchmarks (the browser has
 * EventSource; Node's fetch gives the bytes): splits the stream into events
 * (id, event, data, retry; comments counted) and lets a caller wait for one that
 * matches, with a time limit instead of a sleep.
 */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
  retry: number | null;
  receivedAt: number;
}

export class SseReader {
  readonly messages: SseMessage[] = [];
  comments = 0;
  ended = false;
  private waiters: { match: (m: SseMessage) => boolean; done: (m: SseMessage) => void }[] = [];
  private endWaiters: (() => void)[] = [];
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly pump: Promise<void>;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
    this.pump = this.run();
  }

  private async run(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let current: Partial<SseMessage> & { dataLines: string[] } = { dataLines: [] };
    try {
      for (;;) {
        const { done, value } = await this.reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let nl = buffer.indexOf('\n');
        while (nl >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, '');
          buffer = buffer.slice(nl + 1);
          nl = buffer.indexOf('\n');
          if (line === '') {
            if (current.dataLines.length > 0 || current.retry !== undefined)
              this.emit({ id: current.id ?? null, event: current.event ?? 'message', data: current.dataLines.join('\n'), retry: current.retry ?? null, receivedAt: performance.now() });
            current = { dataLines: [] };
            continue;
          }
          if (line.startsWith(':')) {
            this.comments++;
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') current.dataLines.push(value);
          else if (field === 'id') current.id = value;
          else if (field === 'event') current.event = value;
          else if (field === 'retry') current.retry = Number(value);
        }
      }
    } catch {
      // cancelled or the connection dropped
    }
    this.ended = true;
    for (const done of this.endWaiters.splice(0)) done();
  }

  private emit(message: SseMessage): void {
    this.messages.push(message);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(message)) return true;
      w.done(message);
      return false;
    });
  }

  /** The events named `event` with their data parsed as JSON. */
  data<T>(event: string): T[] {
    return this.messages.filter((m) => m.event === event).map((m) => JSON.parse(m.data) as T);
  }

  /** The first message (already received or still to come) that matches, or a rejection after `timeoutMs`. */
  waitFor(match: (m: SseMessage) => boolean, timeoutMs = 5_000): Promise<SseMessage> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        done: (m: SseMessage) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching server-sent event within ${timeoutMs} ms (received ${this.messages.length})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Resolves when the stream has ended (server closed or cancelled). */
  untilEnded(): Promise<void> {
    return this.ended ? Promise.resolve() : new Promise((done) => this.endWaiters.push(done));
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => {});
    await this.pump;
  }
}
