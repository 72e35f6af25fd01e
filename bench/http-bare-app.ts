/**
 * The ceiling for benchmark 5: a bare NestJS express app with one no-op POST and one no-op GET, on the
 * same framework, platform and JSON body parsing as the service but with no pipes, filters or database.
 */
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

@Controller('noop')
class NoopController {
  @Post()
  @HttpCode(200)
  post(@Body() body: unknown): { ok: boolean } {
    return { ok: body !== undefined };
  }

  @Get()
  get(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({ controllers: [NoopController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BareModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
}

void main();
