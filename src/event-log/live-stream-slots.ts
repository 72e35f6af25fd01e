import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { appConfig } from '../config/app.config';
import { TooManyLiveStreams } from './live-streams.errors';

/**
 * Counts each client's open live streams (per instance), so that one client cannot hold the service's
 * connections and memory with streams it opens and never reads.
 */
@Injectable()
export class LiveStreamSlots {
  private readonly open = new Map<string, number>();

  constructor(@Inject(appConfig.KEY) private readonly config: ConfigType<typeof appConfig>) {}

  /** Takes one of the client's slots, or throws TooManyLiveStreams; the returned call gives it back once. */
  acquire(client: string): () => void {
    const held = this.open.get(client) ?? 0;
    if (held >= this.config.liveStreamsPerClient) throw new TooManyLiveStreams(this.config.liveStreamsPerClient);
    this.open.set(client, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(client) ?? 1) - 1;
      if (left === 0) this.open.delete(client);
      else this.open.set(client, left);
    };
  }
}
