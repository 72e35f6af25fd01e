import { Type } from '@sinclair/typebox';

/** The ISO 4217 currencies a new cart may be opened in; all of them count in hundredths (cents). */
export const SUPPORTED_CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK'] as const;
export type Currency = (typeof SUPPORTED_CURRENCIES)[number];

/** Carts opened before currencies existed were in euros, and a cart opened without one still is. */
export const DEFAULT_CURRENCY: Currency = 'EUR';

/**
 * A currency as events store it: any ISO 4217 code, not only the ones supported today, since a stored
 * fact stays valid when the list changes.
 */
export const currencyCode = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code', examples: ['EUR'] });
