import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { SubscriptionRunner } from '../../src/event-sourcing/subscriptions/subscription-runner';
import { turnOffPretenuring } from '../../src/lifecycle/v8-heap';
import { sleep } from './child';

/** The whole application without HTTP, on the DATABASE_PATH the parent set for this child, tuned as main.ts does. */
export function startAppContext(): Promise<INestApplicationContext> {
  turnOffPretenuring();
  return NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
}

/** Stops every subscription as shutdown would, so only the measured work touches the database. */
export async function stopSubscriptions(app: INestApplicationContext): Promise<void> {
  await app.get(SubscriptionRunner).beforeApplicationShutdown();
}

/** Polls (waitFor gives up after CONSISTENCY_WAIT_MS) until every running subscription reached `position`. */
export async function waitForSubscriptions(runner: SubscriptionRunner, position: number, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = (await runner.status()).filter((subscription) => !subscription.paused);
    if (running.every((subscription) => subscription.checkpoint >= position)) return;
    if (Date.now() > deadline) {
      const at = running.map((subscription) => `${subscription.name} ${subscription.checkpoint}`).join(', ');
      throw new Error(`subscriptions did not reach ${position} in ${timeoutMs} ms: ${at}`);
    }
    await sleep(20);
  }
}
