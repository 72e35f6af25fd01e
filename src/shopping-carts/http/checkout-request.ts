import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsISO31661Alpha2,
  IsObject,
  IsString,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CodePointLength, lengthRule } from '../../http/code-point-length';
import { CheckoutContact, shippingAddressOf } from '../domain/checkout-contact';

const LENGTH = lengthRule(1, 200);
const text = (example: string, description = LENGTH) =>
  ({ minLength: 1, maxLength: 200, example, description }) as const;

export class ShippingAddressRequest {
  @ApiProperty(text('Ann Example', `Who receives the parcel: ${LENGTH}`))
  @IsString()
  @CodePointLength(1, 200)
  name!: string;

  @ApiProperty(text('1 Main Street'))
  @IsString()
  @CodePointLength(1, 200)
  line1!: string;

  @ApiPropertyOptional(text('Flat 2'))
  // Absent means no second line; null is refused like every other null.
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @CodePointLength(1, 200)
  line2?: string;

  @ApiProperty(text('10115'))
  @IsString()
  @CodePointLength(1, 200)
  postalCode!: string;

  @ApiProperty(text('Berlin'))
  @IsString()
  @CodePointLength(1, 200)
  city!: string;

  @ApiProperty({
    minLength: 2,
    maxLength: 2,
    pattern: '^[A-Z]{2}$',
    example: 'DE',
    description: 'ISO 3166-1 alpha-2 country code, upper case',
  })
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an upper-case ISO 3166-1 alpha-2 code, e.g. DE' })
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code that names a country' })
  country!: string;
}

/**
 * The optional body of a checkout: the customer's contact for the order. No body (or `{}`) for a cart
 * that ships nowhere; `email` alone for one that only sends a receipt; an address only with an email.
 */
export class CheckoutRequest {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    format: 'email',
    example: 'ann@example.com',
    description: `Where the customer hears about the order: an e-mail address, ${LENGTH}. Required with an address.`,
  })
  @ValidateIf((request: CheckoutRequest, value) => value !== undefined || request.shippingAddress !== undefined)
  @IsString()
  @CodePointLength(1, 200)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;

  @ApiPropertyOptional({ type: ShippingAddressRequest, description: 'Where the order ships to' })
  @ValidateIf((_, value) => value !== undefined)
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ShippingAddressRequest)
  shippingAddress?: ShippingAddressRequest;
}

/** What Swagger UI offers to send; the first is prefilled. */
export const CHECKOUT_EXAMPLES = {
  parcel: {
    summary: 'Ships to an address',
    value: {
      email: 'ann@example.com',
      shippingAddress: {
        name: 'Ann Example',
        line1: '1 Main Street',
        line2: 'Flat 2',
        postalCode: '10115',
        city: 'Berlin',
        country: 'DE',
      },
    },
  },
  receipt: { summary: 'Ships nowhere, sends a receipt', value: { email: 'ann@example.com' } },
  nothing: { summary: 'Ships nowhere (the same as no body)', value: {} },
};

export function checkoutContactOf({ email, shippingAddress }: CheckoutRequest): CheckoutContact {
  return { email: email ?? null, shippingAddress: shippingAddressOf(shippingAddress ?? null) };
}
