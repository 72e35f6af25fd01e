import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { setTracingActive, tracingActive } from './spans';

export interface InstalledTracing {
  /** Ends every span still being exported, then turns tracing off again. */
  uninstall(): Promise<void>;
}

/**
 * Turns tracing on for the process: OpenTelemetry's tracer provider and context manager are global. The
 * AsyncLocalStorage context manager (what carries the active span across awaits) is enabled here and only
 * here, so a service without a trace exporter runs no async hooks for it. Tests pass an in-memory exporter's
 * processor; the service an OTLP exporter's batch processor.
 */
export function installTracing(processor: SpanProcessor, serviceName = 'ledgerline'): InstalledTracing {
  if (tracingActive()) throw new Error('Tracing is already installed in this process');
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [processor],
  });
  trace.setGlobalTracerProvider(provider);
  setTracingActive(true);
  return {
    async uninstall() {
      setTracingActive(false);
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
