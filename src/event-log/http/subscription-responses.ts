import { ApiProperty } from '@nestjs/swagger';

export class ParkedEventResponse {
  @ApiProperty({ type: 'integer', example: 57 })
  position!: number;

  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ example: 'shopping-cart.checked-out.v2' })
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

  @ApiProperty({ enum: ['projection', 'saga'] })
  kind!: 'projection' | 'saga';

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
