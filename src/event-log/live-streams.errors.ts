/** The client holds as many open live streams as LIVE_STREAMS_PER_CLIENT allows. */
export class TooManyLiveStreams extends Error {
  /** A slot frees only when one of the client's streams closes: there is no better estimate to offer. */
  readonly retryAfterSeconds = 5;

  constructor(readonly limit: number) {
    super(`This client already has ${limit} open live streams, the most allowed; close one or retry later`);
    this.name = 'TooManyLiveStreams';
  }
}
