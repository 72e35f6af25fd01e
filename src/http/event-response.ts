import { ApiProperty } from '@nestjs/swagger';

/** A stored event, as the history routes and the global feed show it. */
export class EventResponse {
  @ApiProperty({ type: 'integer', example: 41, description: 'Global position: the order across all streams' })
  position!: number;

  @ApiProperty({ format: 'uuid', example: '7d1f0c2e-8b3a-4c5d-9e6f-0a1b2c3d4e5f' })
  eventId!: string;

  @ApiProperty({ example: 'shopping-cart-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11' })
  streamId!: string;

  @ApiProperty({
    type: 'integer',
    example: 2,
    description: "Version within its stream: 1 is the aggregate's first event",
  })
  version!: number;

  @ApiProperty({ example: 'shopping-cart.item-added.v1' })
  type!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: {
      cartId: '3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11',
      productId: 'running-shoes',
      quantity: 2,
      unitPriceCents: 4999,
    },
  })
  data!: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: {
      correlationId: 'c0ffee00-0000-4000-8000-000000000001',
      causationId: '5b2a0d4e-1f3c-4a6b-8d7e-9f0a1b2c3d4e',
      commandId: '5b2a0d4e-1f3c-4a6b-8d7e-9f0a1b2c3d4e',
    },
  })
  metadata!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T11:20:00.000Z' })
  recordedAt!: string;
}
