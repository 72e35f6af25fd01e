import { ApiProperty } from '@nestjs/swagger';

export class HealthResponse {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';

  @ApiProperty({ enum: ['sqlite', 'postgres'], example: 'sqlite' })
  database!: 'sqlite' | 'postgres';
}
