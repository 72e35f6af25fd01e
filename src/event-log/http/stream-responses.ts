import { ApiProperty } from '@nestjs/swagger';
import { EventResponse } from '../../http/event-response';

export class StreamResponse {
  @ApiProperty({ example: 'shopping-cart-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11' })
  streamId!: string;

  @ApiProperty({
    example: 'shopping-cart',
    description: 'What precedes the aggregate id (or, in an id not ending in a UUID, the last dash)',
  })
  category!: string;

  @ApiProperty({ type: 'integer', example: 4, description: "The stream's current version: its number of events" })
  version!: number;

  @ApiProperty({ type: 'integer', example: 41, description: "Global position of the stream's first event" })
  firstPosition!: number;

  @ApiProperty({ type: 'integer', example: 57, description: "Global position of the stream's last event" })
  lastPosition!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T11:20:00.000Z' })
  firstRecordedAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T11:24:31.250Z' })
  lastRecordedAt!: string;
}

/** An event as stored, with its link in the stream's hash chain. */
export class StoredEventResponse extends EventResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '9f2c4d1a7b3e5f60819a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70',
    description:
      "SHA-256 (hex) over the previous event's hash and this event's canonical JSON; null only for a SQLite " +
      'row written without one',
  })
  hash!: string | null;
}
