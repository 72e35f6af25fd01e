import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Response } from 'express';
import { appConfig } from '../config/app.config';
import { natsConfig } from '../config/nats.config';
import { EVENT_SOURCING_OPTIONS } from '../event-sourcing/event-sourcing.options';
import type { EventSourcingOptions } from '../event-sourcing/event-sourcing.options';
import { EventStore, RecordedEvent } from '../event-sourcing/event-store';
import { EventTypeRegistry } from '../event-sourcing/event-type-registry';
import { toEventView } from '../event-sourcing/history/event-view';
import { SharedPages } from '../event-sourcing/subscriptions/shared-pages';
import { ClusterCoordinator } from '../event-sourcing/typeorm/cluster-coordinator';
import { toCloudEvent } from '../integration/cloud-event';

/** What each `data:` line holds: an event as GET /events shows it, or a CloudEvent. */
export type LiveFormat = 'events' | 'cloudevents';
import { problem, sendProblem } from '../http/problem-details';
import { GracefulShutdown } from '../lifecycle/graceful-shutdown';

/** Small pages: a stalled stream holds at most one of them, and a synchronous SQLite read stays short. */
const PAGE = 100;

/** Resolved at the next append: every stream waiting at the head awaits the same one. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

/**
 * Every event after a position, then each new one as it is committed, as Server-Sent Events whose `id`
 * is the position: a client that reconnects with Last-Event-ID resumes exactly where it was.
 *
 * A stream reads the log a page at a time and reads the next page only once the socket has taken the
 * last one, so a slow client costs one page of memory, not the backlog. Streams read through shared
 * pages and format each page once: streams catching up together, or woken by the same append, share
 * one read. A client that takes nothing for LIVE_STREAM_STALL_MS is disconnected (it resumes with
 * Last-Event-ID), so it cannot hold a connection and a page forever.
 */
@Injectable()
export class LiveEvents implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveEvents.name);
  private readonly pages: SharedPages;
  private readonly formatted: Record<LiveFormat, WeakMap<readonly RecordedEvent[], string>> = {
    events: new WeakMap(),
    cloudevents: new WeakMap(),
  };
  private readonly streams = new Set<Response>();
  private appended = signal();
  private stopListening: (() => void)[] = [];
  private poller: NodeJS.Timeout | undefined;
  /** The waits in progress, each ended at once when the service shuts down. */
  private readonly waits = new Set<() => void>();
  /** Set as the service shuts down: every stream then ends cleanly. */
  private ended = false;

  constructor(
    private readonly store: EventStore,
    private readonly registry: EventTypeRegistry,
    private readonly coordinator: ClusterCoordinator,
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: EventSourcingOptions,
    @Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>,
    @Inject(natsConfig.KEY) private readonly nats: ConfigType<typeof natsConfig>,
    shutdown: GracefulShutdown,
  ) {
    this.pages = new SharedPages(store, PAGE);
    shutdown.onShutdown(() => {
      this.ended = true;
      for (const stop of this.waits) stop();
    });
  }

  onApplicationBootstrap(): void {
    const wake = () => this.wake();
    this.stopListening = [this.store.onAppended(wake), this.coordinator.onRemoteAppend(wake)];
    // Other processes' appends, should a notification be lost.
    this.poller = setInterval(wake, this.options.pollIntervalMs);
    this.poller.unref();
  }

  beforeApplicationShutdown(): void {
    for (const stop of this.stopListening) stop();
    clearInterval(this.poller);
    // Clients reconnect with Last-Event-ID, to this instance once it is back or to another one.
    for (const response of this.streams) response.destroy();
  }

  /** Streams to `response` until the connection closes; resolves once it has. */
  async stream(after: number | undefined, response: Response, format: LiveFormat = 'events'): Promise<void> {
    if (response.destroyed) return;
    if (this.ended) {
      // A request on a kept-alive connection while the service drains: another instance can serve it.
      const detail = 'The service is shutting down; reconnect (with Last-Event-ID) to resume';
      sendProblem(response, problem(503, 'shutting-down', detail), { 'Retry-After': '1' });
      return;
    }
    const closed = new Promise<void>((resolve) => response.once('close', resolve));
    this.streams.add(response);
    try {
      // The head is read before the headers go out: a client that has them (the explorer says "connected")
      // gets every event committed from then on.
      let position = after ?? (await this.store.headPosition());
      response.socket?.setNoDelay(true);
      response.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        // Proxies such as nginx would otherwise buffer the stream.
        'X-Accel-Buffering': 'no',
      });
      response.flushHeaders();
      while (!response.destroyed && !this.ended) {
        // Taken before the read, so an append committed during the read still wakes this stream.
        const woken = this.appended.promise;
        const page = await this.pageAfter(position, format);
        if (response.destroyed || this.ended) break;
        if (page.last !== undefined) {
          position = page.last;
          if (!(await this.send(response, page.text))) break;
        }
        // A short page ends at the head: read again only once woken, all waiting streams at once. An idle
        // stream writes a comment every SSE_HEARTBEAT_MS, so proxies keep it open and a vanished client is noticed.
        const heartbeatMs = this.config.sseHeartbeatMs;
        if (!page.full && (await this.until(response, { woken, ms: heartbeatMs })) === 'timeout') {
          if (!(await this.send(response, ': heartbeat\n\n'))) break;
        }
      }
    } catch (error) {
      this.logger.error(`A live stream failed: ${String(error)}`, error instanceof Error ? error.stack : undefined);
    } finally {
      this.streams.delete(response);
      // On shutdown the stream ends as a stream should (the client sees its end, not a reset); otherwise
      // it ended because the client left or stalled, and the connection goes with it.
      if (this.ended && !response.destroyed) response.end();
      else response.destroy();
      await closed;
    }
  }

  private wake(): void {
    const woken = this.appended;
    this.appended = signal();
    woken.resolve();
  }

  /**
   * Writes, then waits until the socket has taken it (or yields, if it took it at once). False when the
   * stream is over: the client left, or it took nothing for LIVE_STREAM_STALL_MS.
   */
  private async send(response: Response, text: string): Promise<boolean> {
    if (response.write(text)) {
      // better-sqlite3 reads synchronously: without a pause a fast reader's catch-up would starve others.
      await new Promise((resolve) => setImmediate(resolve));
      return !response.destroyed;
    }
    const stallMs = this.config.liveStreamStallMs;
    const outcome = await this.until(response, { drain: true, ms: stallMs });
    if (outcome === 'timeout') {
      this.logger.warn(
        `Ended a live stream whose client took nothing for ${stallMs} ms; it can resume with Last-Event-ID`,
      );
    }
    return outcome === 'drain';
  }

  /**
   * The first of: the socket drained, the connection closed, `woken`, or `ms` passed. Listeners come off
   * again, so a stream that lives for days does not gather one per wait.
   */
  private until(
    response: Response,
    { drain = false, woken, ms }: { drain?: boolean; woken?: Promise<void>; ms: number },
  ): Promise<'drain' | 'close' | 'woken' | 'timeout'> {
    return new Promise((resolve) => {
      const done = (outcome: 'drain' | 'close' | 'woken' | 'timeout') => {
        clearTimeout(timer);
        response.off('drain', onDrain);
        response.off('close', onClose);
        this.waits.delete(onShutdown);
        resolve(outcome);
      };
      const onShutdown = () => done('close');
      const onDrain = () => done('drain');
      const onClose = () => done('close');
      const timer = setTimeout(() => done('timeout'), ms);
      if (drain) response.once('drain', onDrain);
      response.once('close', onClose);
      void woken?.then(() => done('woken'));
      this.waits.add(onShutdown);
    });
  }

  /**
   * The events after `position` as SSE text, formatted once per shared page. Only the text outlives the
   * call: a stream waiting for its client holds no decoded events.
   */
  private async pageAfter(
    position: number,
    format: LiveFormat,
  ): Promise<{ text: string; last: number | undefined; full: boolean }> {
    const page = await this.pages.after(position);
    let text = this.formatted[format].get(page);
    if (text === undefined) {
      const view = (recorded: RecordedEvent) =>
        format === 'cloudevents'
          ? toCloudEvent(recorded, this.registry, this.nats.source)
          : toEventView(recorded, this.registry);
      text = page.map((recorded) => `id: ${recorded.position}\ndata: ${JSON.stringify(view(recorded))}\n\n`).join('');
      this.formatted[format].set(page, text);
    }
    return { text, last: page.at(-1)?.position, full: page.length === PAGE };
  }
}
