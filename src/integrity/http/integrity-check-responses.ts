import { ApiProperty } from '@nestjs/swagger';
import { IntegrityReportResponse } from './integrity-responses';

export class IntegrityCheckResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    enum: ['running', 'done', 'failed', 'interrupted'],
    example: 'done',
    description:
      '`done`: `report` holds the result (which can be a broken chain); `failed` or `interrupted`: start another',
  })
  status!: 'running' | 'done' | 'failed' | 'interrupted';

  @ApiProperty({ format: 'date-time' })
  requestedAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt!: string | null;

  @ApiProperty({ type: 'integer', example: 1204, description: 'So far while running (updated every second)' })
  streamsChecked!: number;

  @ApiProperty({ type: 'integer', example: 9876, description: 'So far while running (updated every second)' })
  eventsChecked!: number;

  @ApiProperty({ type: IntegrityReportResponse, nullable: true, description: 'The result, once done' })
  report!: IntegrityReportResponse | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why it failed or was interrupted' })
  error!: string | null;
}
