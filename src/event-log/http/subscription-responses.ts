import { ApiProperty } from '@nestjs/swagger';

export class ParkedEventResponse {
  @ApiProperty({ type: 'integer', example: 57 })
  position!: number;

  @ApiProperty({
    example: '7d1f0c2e-8b3a-4c5d-9e6f-0a1b2c3d4e5f',
    description: "The event id; for an inbound message its CloudEvent id ('' when it had none)",
  })
  eventId!: string;

  @ApiProperty({
    example: 'shopping-cart.checked-out.v3',
    description: "For an inbound message its CloudEvent type ('' when it had none)",
  })
  type!: string;

  @ApiProperty({ example: 'Error: payment service unavailable' })
  error!: string;

  @ApiProperty({ type: 'integer', example: 5 })
  attempts!: number;

  @ApiProperty({ format: 'date-time' })
  parkedAt!: string;
}

export class SubscriptionResponse {
  @ApiProperty({ example: 'cart-details' })
  name!: string;

  @ApiProperty({
    enum: ['projection', 'saga', 'relay', 'inbox'],
    description:
      'A relay hands events to a message broker (the integration events publisher); an inbox consumes messages from one',
  })
  kind!: 'projection' | 'saga' | 'relay' | 'inbox';

  @ApiProperty({ type: 'integer', example: 1200, description: 'Position of the last event handled' })
  checkpoint!: number;

  @ApiProperty({ type: 'integer', example: 1234, description: 'Newest position in the event store' })
  headPosition!: number;

  @ApiProperty({ type: 'integer', example: 34, description: 'headPosition - checkpoint' })
  lag!: number;

  @ApiProperty({ example: false })
  paused!: boolean;

  @ApiProperty({
    example: true,
    description: 'Whether the instance that answered is the one processing it (one instance at a time on PostgreSQL)',
  })
  leader!: boolean;

  @ApiProperty({ nullable: true, type: String, description: 'Why the last pass failed, while it is retried' })
  lastError!: string | null;

  @ApiProperty({ type: [ParkedEventResponse] })
  parked!: ParkedEventResponse[];
}

export class RebuildResponse {
  @ApiProperty({ example: 'cart-details' })
  name!: string;

  @ApiProperty({ type: 'integer', example: 0, description: 'The checkpoint was reset; the projection is catching up' })
  checkpoint!: number;
}
