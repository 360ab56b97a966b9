import { eventually } from '@boxoffice/testing';

export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/** What EventSource asks for: the live stream. */
export const LIVE = { accept: 'text/event-stream' };

/**
 * A client of a show's live seat map (GET /shows/:id/seat-events), as
 * EventSource is one: it opens the stream and keeps every event it reads, in
 * order, while the test goes on; `until` waits for what the test expects.
 */
export class SeatEventStream {
  readonly events: ServerSentEvent[] = [];
  private readonly controller = new AbortController();
  private ended = false;

  private constructor(readonly response: Response) {}

  static async open(gatewayUrl: string, showId: string): Promise<SeatEventStream> {
    const controller = new AbortController();
    const response = await fetch(`${gatewayUrl}/shows/${showId}/seat-events`, { headers: LIVE, signal: controller.signal });
    const stream = new SeatEventStream(response);
    stream.controller.signal.addEventListener('abort', () => controller.abort());
    if (response.status === 200) void stream.read();
    return stream;
  }

  /** Waits until the events read so far satisfy `enough`, and answers them. */
  async until(enough: (events: ServerSentEvent[]) => boolean, timeoutMs = 30_000): Promise<ServerSentEvent[]> {
    return eventually(
      () => {
        if (enough(this.events)) return [...this.events];
        throw new Error(`the stream${this.ended ? ' ended and' : ''} has not said it yet; it said: ${JSON.stringify(this.events)}`);
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  close(): void {
    this.controller.abort();
  }

  private async read(): Promise<void> {
    const reader = this.response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) this.events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // Aborted by close(), or the server went away: what was read stays.
    } finally {
      this.ended = true;
    }
  }
}

/** The `seats` events of a stream, from the `from`th event on: which seats, in which state. */
export function seatChanges(events: ServerSentEvent[], from = 0): { seatIds: string[]; state: string }[] {
  return events
    .slice(from)
    .filter((e) => e.event === 'seats')
    .map((e) => {
      const { seatIds, state } = e.data as { seatIds: string[]; state: string };
      return { seatIds, state };
    });
}
