import { Inject, Injectable, MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import { EVENT_SOURCING_OPTIONS } from '../event-sourcing/event-sourcing.options';
import type { EventSourcingOptions } from '../event-sourcing/event-sourcing.options';
import { EventStore } from '../event-sourcing/event-store';
import { EventTypeRegistry } from '../event-sourcing/event-type-registry';
import { toEventView } from '../event-sourcing/history/event-view';
import { ClusterCoordinator } from '../event-sourcing/typeorm/cluster-coordinator';

const PAGE = 500;

/**
 * Every event after a position, then each new one as it is committed, as Server-Sent Events whose
 * `id` is the position: a client that reconnects with Last-Event-ID resumes exactly where it was.
 * Reads come from the store (not from in-memory notifications), so a slow client misses nothing.
 */
@Injectable()
export class LiveEvents {
  constructor(
    private readonly store: EventStore,
    private readonly registry: EventTypeRegistry,
    private readonly coordinator: ClusterCoordinator,
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: EventSourcingOptions,
  ) {}

  after(position: number | undefined): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let closed = false;
      let wake: () => void = () => undefined;
      const nudge = () => wake();
      const stopListening = [this.store.onAppended(nudge), this.coordinator.onRemoteAppend(nudge)];
      const poller = setInterval(nudge, this.options.pollIntervalMs);
      const pump = async () => {
        let after = position ?? (await this.store.headPosition());
        while (!closed) {
          const page = await this.store.readAll(after, PAGE);
          for (const recorded of page) {
            subscriber.next({ id: String(recorded.position), data: toEventView(recorded, this.registry) });
            after = recorded.position;
          }
          if (page.length < PAGE) await new Promise<void>((resolve) => (wake = resolve));
        }
      };
      pump().catch((error: unknown) => subscriber.error(error));
      return () => {
        closed = true;
        for (const stop of stopListening) stop();
        clearInterval(poller);
        wake();
      };
    });
  }
}
