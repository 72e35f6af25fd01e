import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AuthenticationMiddleware } from '../auth/authentication.middleware';
import { RequestTelemetry, RouteTable } from '../observability/http/request-telemetry';
import type { AppConfig } from '../config/app.config';
import { serveExplorer } from '../explorer/serve-explorer';
import { jsonBodyOptions } from './json-body';
import { jsonOnly } from './json-only.middleware';
import { ProblemDetailsFilter } from './problem-details.filter';
import { ProblemDetails } from './problem-details';
import { requestValidationPipe } from './request-validation';

/** The version of the HTTP API and of the event catalog's document. */
export const API_VERSION = '0.1.0';

/** What the Authorize dialog says; the README's "Security" section says the same at length. */
const BEARER_DESCRIPTION = [
  'Needed with `AUTH_MODE=jwt` (the default in production); with `AUTH_MODE=off` every route is open.',
  '',
  'A JWT signed with HS256 (`AUTH_JWT_SECRET`) or RS256 (`AUTH_JWT_PUBLIC_KEY`), with a `sub` and a `roles` ' +
    "claim (an array) holding the route's role; `exp`, `nbf`, and `iss`/`aud` when configured, are checked:",
  '',
  '- `read`: every GET of carts and orders, `GET /events`, `GET /events/live`, `GET /streams`',
  '- `carts:write`: opening carts, adding and removing items, checking out',
  '- `orders:write`: paying, shipping and cancelling orders',
  '- `admin`: `/subscriptions` and `/admin/*`, and `/metrics`',
  '- `metrics`: `/metrics` only (for Prometheus)',
  '',
  'Tokens come from your identity provider. For a local try with an HS256 secret:',
  '',
  '```',
  "node -e \"console.log(require('jsonwebtoken').sign({ sub: 'alice', roles: ['read', 'carts:write'] }, " +
    "process.env.AUTH_JWT_SECRET, { expiresIn: '1h' }))\"",
  '```',
  '',
  'Paste the token alone, without `Bearer `.',
].join('\n');

/**
 * Everything the HTTP surface needs beyond the modules: validation, problem+json errors, the body
 * limit and the OpenAPI document. Shared by `main.ts` and the e2e tests so both run the same stack.
 */
export function configureApp(
  app: INestApplication,
  { bodyLimit, httpRequestTimeoutMs, httpHeadersTimeoutMs, trustProxy }: AppConfig,
): void {
  const express = app as NestExpressApplication;
  // Node's defaults let a client hold a connection for 5 minutes by sending a body one byte at a time.
  // connectionsCheckingInterval is read when the server starts listening; @types/node only knows the option.
  const server = express.getHttpServer() as Server & { connectionsCheckingInterval: number };
  server.requestTimeout = httpRequestTimeoutMs;
  server.headersTimeout = httpHeadersTimeoutMs;
  // Node enforces both on a sweep, every 30 s by default: a stalled request would outlive a short limit.
  server.connectionsCheckingInterval = Math.min(1000, httpHeadersTimeoutMs);
  // First of all, so every request is timed, traced and logged, the refused ones included.
  const { router } = express.getHttpAdapter().getInstance() as { router: unknown };
  express.use(app.get(RequestTelemetry).middleware(router as RouteTable));
  express.use(
    helmet({
      // Swagger UI styles itself inline and shows data: images; everything else stays same-origin.
      contentSecurityPolicy: {
        // No upgrade-insecure-requests: the service is often reached over plain http on a private network.
        directives: {
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  // In this order: rate limit and token before anything reads the body, then its media type and size.
  const authentication = app.get(AuthenticationMiddleware);
  express.use((request: Request, response: Response, next: NextFunction) =>
    authentication.use(request, response, next),
  );
  serveExplorer(express);
  express.use(jsonOnly);
  express.useBodyParser('json', jsonBodyOptions(bodyLimit));
  express.set('query parser', 'simple');
  // Behind a load balancer every request comes from its address: only a trusted proxy's X-Forwarded-For
  // tells clients apart (request.ip, which the rate limit and the live-stream slots count by).
  express.set('trust proxy', trustProxy);
  express.disable('x-powered-by');
  app.useGlobalPipes(requestValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();

  const config = new DocumentBuilder()
    .setTitle('Ledgerline')
    .setDescription(
      'An event-sourced CQRS service. Commands answer with the stream `version` and the global `position` ' +
        'of their last event; reads accept `consistentWith=<position>` to see their own writes. ' +
        'Errors are RFC 9457 `application/problem+json`. Every event type, its data and who emits and ' +
        'consumes it: the [event catalog](/asyncapi) (AsyncAPI 3.0, as JSON at [/asyncapi.json](/asyncapi.json)).',
    )
    .setVersion(API_VERSION)
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: BEARER_DESCRIPTION,
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetails] });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
