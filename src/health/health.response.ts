import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';

export class HealthResponse {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';

  @ApiProperty({ enum: ['sqlite', 'postgres'], example: 'sqlite' })
  database!: 'sqlite' | 'postgres';
}

/** Check name -> `{ status: 'up' | 'down', … }`, as terminus reports it. */
function checks(example: Record<string, unknown>): ApiPropertyOptions {
  return {
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { status: { type: 'string', enum: ['up', 'down'] } },
      additionalProperties: true,
    },
    example,
  };
}

/** A terminus health-check result. */
export class LivenessResponse {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';

  @ApiProperty(checks({}))
  info!: Record<string, unknown>;

  @ApiProperty(checks({}))
  error!: Record<string, unknown>;

  @ApiProperty(checks({}))
  details!: Record<string, unknown>;
}

const READY_CHECKS = {
  database: { status: 'up', responseTime: 1 },
  migrations: { status: 'up', responseTime: 2 },
  subscriptions: {
    status: 'up',
    lag: { 'cart-details': 0, 'customer-carts': 0, 'order-details': 3, 'checkout-saga': 0 },
    responseTime: 2,
  },
};

/** A terminus health-check result: every check up. */
export class ReadinessResponse {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';

  @ApiProperty(checks(READY_CHECKS))
  info!: Record<string, unknown>;

  @ApiProperty(checks({}))
  error!: Record<string, unknown>;

  @ApiProperty(checks(READY_CHECKS))
  details!: Record<string, unknown>;
}
