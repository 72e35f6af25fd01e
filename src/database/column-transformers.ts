import type { ValueTransformer } from 'typeorm';

/** PostgreSQL hands bigint back as a string; money and positions here stay far below 2^53. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
