import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { appConfig } from '../config/app.config';
import { SubscriptionRunner } from '../event-sourcing/subscriptions/subscription-runner';
import { ClusterCoordinator } from '../event-sourcing/typeorm/cluster-coordinator';

/**
 * The first steps of a shutdown (SIGTERM, SIGINT or `app.close()`), before Nest's own hooks close the
 * pools: run by AppModule's onModuleDestroy, which Nest calls before any other module's shutdown hook.
 *
 * 1. Stop accepting connections, and close idle keep-alive connections: a client never has a request
 *    it already sent cut off, and new connections are refused, so a load balancer retries elsewhere.
 * 2. End what never ends by itself (live streams, see `onShutdown`) cleanly; their clients reconnect,
 *    with Last-Event-ID, to another instance.
 * 3. Meanwhile, let every request in flight finish, each answered with `Connection: close`, for at most
 *    SHUTDOWN_TIMEOUT_MS; then close what is left.
 * 4. Then stop the subscriptions at a batch boundary and release their PostgreSQL leadership, telling
 *    the other instances, which take over at once rather than at their next poll.
 */
@Injectable()
export class GracefulShutdown implements OnApplicationBootstrap {
  private readonly logger = new Logger(GracefulShutdown.name);
  private readonly inFlight = new Set<ServerResponse>();
  private readonly listeners: (() => void)[] = [];
  private settled: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private started = false;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly runner: SubscriptionRunner,
    private readonly coordinator: ClusterCoordinator,
    @Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>,
  ) {}

  /** True from the moment a shutdown begins: the readiness probe says so. */
  get shuttingDown(): boolean {
    return this.started;
  }

  /** Calls back once, as the shutdown begins: for responses that only end when told to. */
  onShutdown(listener: () => void): void {
    this.listeners.push(listener);
  }

  onApplicationBootstrap(): void {
    this.server()?.on('request', (_request: IncomingMessage, response: ServerResponse) => this.track(response));
  }

  /** Runs the steps above once; later calls wait for the same run. */
  shutDown(): Promise<void> {
    this.running ??= this.run();
    return this.running;
  }

  private async run(): Promise<void> {
    this.started = true;
    // Subscriptions run until the requests are answered: a `consistentWith` read in flight waits on them.
    await this.drain();
    await this.runner.stop();
    await this.coordinator.release();
  }

  private async drain(): Promise<void> {
    const server = this.server();
    if (server === undefined || !server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const response of this.inFlight) if (!response.headersSent) response.shouldKeepAlive = false;
    for (const listener of this.listeners) listener();
    if (this.inFlight.size > 0) {
      this.logger.log(`Shutting down: waiting for ${this.inFlight.size} request(s) in flight`);
      const finished = new Promise<void>((resolve) => (this.settled = resolve));
      const timer = setTimeout(() => this.settled?.(), this.config.shutdownTimeoutMs);
      await finished;
      clearTimeout(timer);
    }
    if (this.inFlight.size > 0) {
      this.logger.warn(
        `Closed ${this.inFlight.size} request(s) still running after SHUTDOWN_TIMEOUT_MS (${this.config.shutdownTimeoutMs} ms)`,
      );
      server.closeAllConnections();
    }
    // Keep-alive connections whose last response just ended.
    server.closeIdleConnections();
    await closed;
  }

  private track(response: ServerResponse): void {
    // A request on a kept-alive connection during the drain is answered, and its connection then closed.
    if (this.started) response.shouldKeepAlive = false;
    this.inFlight.add(response);
    response.once('close', () => {
      this.inFlight.delete(response);
      if (!this.started) return;
      this.server()?.closeIdleConnections();
      if (this.inFlight.size === 0) this.settled?.();
    });
  }

  private server(): Server | undefined {
    return this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
  }
}
