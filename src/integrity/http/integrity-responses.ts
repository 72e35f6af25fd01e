import { ApiProperty } from '@nestjs/swagger';

export class BrokenEventResponse {
  @ApiProperty({ example: 'shopping-cart-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11' })
  streamId!: string;

  @ApiProperty({
    type: 'integer',
    example: 3,
    description: 'The stored version of the first event that does not fit the chain',
  })
  version!: number;

  @ApiProperty({ type: 'integer', example: 57, description: "That event's global position" })
  position!: number;

  @ApiProperty({
    example: 'its hash does not match its content and its predecessor',
    description: 'A changed event or hash, a missing or moved version, or an event moved in the global order',
  })
  reason!: string;
}

export class IntegrityReportResponse {
  @ApiProperty({ example: true, description: 'Every checked stream is an unbroken hash chain' })
  ok!: boolean;

  @ApiProperty({ type: 'integer', example: 1204 })
  streamsChecked!: number;

  @ApiProperty({
    type: 'integer',
    example: 9876,
    description: 'Events checked, up to and including the first broken one',
  })
  eventsChecked!: number;

  @ApiProperty({
    type: BrokenEventResponse,
    nullable: true,
    description: 'The first break, in stream id and version order (the check stops there); null when ok',
  })
  firstBroken!: BrokenEventResponse | null;
}
