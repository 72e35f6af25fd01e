import { ApiProperty } from '@nestjs/swagger';

export const EXAMPLE_CUSTOMER_ID = 'customer-42';

export class ErasureResponse {
  @ApiProperty({ example: EXAMPLE_CUSTOMER_ID })
  customerId!: string;

  @ApiProperty({
    type: 'integer',
    example: 1187,
    description:
      'Position of the `customer.personal-data-erased.v1` event: read with `consistentWith` to see read models without the data',
  })
  position!: number;
}

export class PersonalDataRecordResponse {
  @ApiProperty({ example: 'shopping-cart-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11' })
  streamId!: string;

  @ApiProperty({ type: 'integer', example: 4 })
  version!: number;

  @ApiProperty({ type: 'integer', example: 1042 })
  position!: number;

  @ApiProperty({ example: 'shopping-cart.checked-out.v3', description: 'The event type, as stored' })
  type!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T09:30:00.000Z', description: 'When it was recorded' })
  recordedAt!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The personal fields of that event, decrypted',
    example: {
      email: 'ada@example.com',
      shippingAddress: {
        name: 'Ada Lovelace',
        line1: '12 St James Sq',
        postalCode: 'SW1Y 4JH',
        city: 'London',
        country: 'GB',
      },
    },
  })
  fields!: Record<string, unknown>;
}

export class PersonalDataExportResponse {
  @ApiProperty({ example: EXAMPLE_CUSTOMER_ID })
  customerId!: string;

  @ApiProperty({ type: [PersonalDataRecordResponse], description: 'Oldest first' })
  records!: PersonalDataRecordResponse[];
}
