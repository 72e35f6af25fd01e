import { Global, Module } from '@nestjs/common';
import { GracefulShutdown } from './graceful-shutdown';

/** How the service stops: global, so anything with a long-lived response can end it on shutdown. */
@Global()
@Module({ providers: [GracefulShutdown], exports: [GracefulShutdown] })
export class LifecycleModule {}
