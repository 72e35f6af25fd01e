import { Inject, Injectable } from '@nestjs/common';
import { context, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { LOGGER } from '../logging/root-logger';
import { Metrics } from '../metrics/metrics';
import { contextOf, traceIdOf, tracer, tracingActive } from '../tracing/spans';

/** Requests refused before any route matched them, or for a path no route has (a 404). */
const UNMATCHED = 'unmatched';

/** The parts of express's router this reads: each route's template, to name requests refused before routing. */
interface RouteLayer {
  route?: { path: string; _handlesMethod(method: string): boolean };
  match(path: string): unknown;
}
export interface RouteTable {
  stack: RouteLayer[];
}

type RequestWithContext = Request & { principal?: { sub: string }; correlationId?: string };

/**
 * One express middleware, mounted first, for everything an operator sees of a request: its duration in
 * `http_request_duration_seconds`, its server span (continuing a W3C `traceparent` header) and its one log
 * line, all labelled by the route template, never the raw path. It logs chosen fields only: no header
 * (Authorization included) and no body is ever written. Per request it allocates a finish callback and,
 * when the line is logged, the line's fields; the histogram's labelled children are cached.
 */
@Injectable()
export class RequestTelemetry {
  private readonly log: Logger;
  private readonly logRequests: boolean;
  private readonly durations = new Map<string, { observe(seconds: number): void }>();
  private routes: RouteTable | undefined;

  constructor(
    @Inject(LOGGER) root: Logger,
    private readonly metrics: Metrics,
  ) {
    this.log = root.child({ context: 'HTTP' });
    this.logRequests = this.log.isLevelEnabled('info');
  }

  /** The express middleware; `routes` is the app's router, to name a request refused before routing. */
  middleware(routes: RouteTable): (request: Request, response: Response, next: NextFunction) => void {
    this.routes = routes;
    return (request, response, next) => {
      const started = performance.now();
      if (!tracingActive()) {
        response.once('close', () => this.finish(request, response, started, undefined));
        next();
        return;
      }
      const parent = contextOf(request.headers.traceparent, ROOT_CONTEXT);
      const span = tracer.startSpan(
        request.method,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': request.path } },
        parent,
      );
      response.once('close', () => this.finish(request, response, started, span));
      context.with(trace.setSpan(parent, span), next);
    };
  }

  private finish(request: RequestWithContext, response: Response, started: number, span: Span | undefined): void {
    const seconds = (performance.now() - started) / 1000;
    const route = this.routeOf(request);
    // A client that hung up before any answer was sent: nginx's 499, so it is not counted as a 200.
    const status = response.headersSent ? response.statusCode : 499;
    if (this.metrics.enabled) this.duration(request.method, route, status).observe(seconds);
    if (span !== undefined) {
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    if (!this.logRequests) return;
    this.log.info(
      {
        method: request.method,
        route,
        status,
        durationMs: Math.round(seconds * 1e6) / 1e3,
        correlationId: request.correlationId ?? correlationHeader(request),
        traceId: span?.spanContext().traceId ?? traceIdOf(request.headers.traceparent),
        actor: request.principal?.sub,
      },
      'request completed',
    );
  }

  private duration(method: string, route: string, status: number): { observe(seconds: number): void } {
    const key = `${method} ${status} ${route}`;
    let child = this.durations.get(key);
    if (child === undefined) {
      child = this.metrics.httpRequestDuration.labels({ method, route, status_code: status });
      this.durations.set(key, child);
    }
    return child;
  }

  /** The matched route's template; for a request refused before routing (401, 413, 429), the route it aimed at. */
  private routeOf(request: Request): string {
    const matched = (request.route as { path?: unknown } | undefined)?.path;
    if (typeof matched === 'string') return request.baseUrl + matched;
    for (const layer of this.routes?.stack ?? []) {
      if (layer.route?._handlesMethod(request.method) && layer.match(request.path)) return layer.route.path;
    }
    return UNMATCHED;
  }
}

/** X-Correlation-Id as sent, when a request names one and never reached a command. */
function correlationHeader(request: Request): string | undefined {
  const value = request.headers['x-correlation-id'];
  return typeof value === 'string' && value.length <= 200 ? value : undefined;
}
