/**
 * Dependency direction, checked on every `npm test`:
 * - the event-sourcing infrastructure is reusable, so it knows no feature module;
 * - domain code (aggregates, events, value objects) stays free of HTTP, persistence and the read side.
 */
// observability/tracing/ holds span helpers over the OpenTelemetry API only, which the event store and the
// subscriptions use; the rest of observability/ (metrics, logging) is no more reachable than a feature.
const FEATURES =
  '^src/(?!event-sourcing/|config/|database/|http/|health/|migrations/|observability/tracing/|main\\.ts|app\\.module\\.ts)[^/]+/';

module.exports = {
  forbidden: [
    {
      name: 'event-sourcing-knows-no-feature',
      severity: 'error',
      comment: 'src/event-sourcing is shared infrastructure: it must not import a feature module.',
      from: { path: '^src/event-sourcing/' },
      to: { path: FEATURES },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ holds aggregates, events and rules: no HTTP, no TypeORM, no read models, no Nest HTTP.',
      from: { path: '/domain/' },
      to: {
        path: [
          '/http/',
          '/read-models/',
          '/typeorm/',
          '^src/migrations/',
          'node_modules/typeorm/',
          'node_modules/@nestjs/(common|core|platform-express|swagger|typeorm)/',
        ],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles break decorator metadata under ESM and make modules impossible to reason about.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.(spec|int-spec|e2e-spec)\\.ts$' },
  },
};
