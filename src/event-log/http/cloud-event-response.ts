import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A stored event as a CloudEvent 1.0 in the JSON format: the same fields as on the broker. */
export class CloudEventResponse {
  @ApiProperty({ enum: ['1.0'] })
  specversion!: '1.0';

  @ApiProperty({ format: 'uuid', example: '7d1f0c2e-8b3a-4c5d-9e6f-0a1b2c3d4e5f', description: 'The event id' })
  id!: string;

  @ApiProperty({ example: '/ledgerline', description: 'NATS_SOURCE' })
  source!: string;

  @ApiProperty({ example: 'order.paid.v1' })
  type!: string;

  @ApiProperty({ example: 'order-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11', description: 'The stream id' })
  subject!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T11:20:00.000Z', description: 'When it was recorded' })
  time!: string;

  @ApiProperty({ enum: ['application/json'] })
  datacontenttype!: 'application/json';

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { orderId: '3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11', amountCents: 10498 },
  })
  data!: Record<string, unknown>;

  @ApiProperty({ type: 'integer', example: 41, description: 'Extension: global position in the log' })
  position!: number;

  @ApiProperty({ type: 'integer', example: 2, description: 'Extension: version within its stream' })
  streamversion!: number;

  @ApiPropertyOptional({ example: 'c0ffee00-0000-4000-8000-000000000001' })
  correlationid?: string;

  @ApiPropertyOptional({ example: '5b2a0d4e-1f3c-4a6b-8d7e-9f0a1b2c3d4e' })
  causationid?: string;

  @ApiPropertyOptional({
    example: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    description: 'W3C trace context of the request that caused the event, when it had one',
  })
  traceparent?: string;
}
