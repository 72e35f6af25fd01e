import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from './problem-details';

/** A request whose body, path or query failed validation; carries every failing field. */
export class RequestValidationFailed extends BadRequestException {
  constructor(readonly fieldErrors: FieldError[]) {
    super(`Invalid request: ${fieldErrors.map((error) => error.field).join(', ')}`);
  }
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix === '' ? error.property : `${prefix}.${error.property}`;
    const own: FieldError[] = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

// class-transformer silently drops these keys, so the unknown-field check would never see them.
// U+0000 cannot be stored on PostgreSQL (jsonb), so it is refused at the door on every engine.
const DROPPED_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Fields class-validator never sees or cannot judge: dropped keys, and U+0000 in any string. */
function unacceptable(value: unknown, field = ''): FieldError[] {
  if (typeof value === 'string') {
    return value.includes('\u0000')
      ? [{ field: field || 'value', messages: [`${field || 'value'} must not contain U+0000`] }]
      : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) => {
    const path = field === '' ? key : `${field}.${key}`;
    const own = DROPPED_KEYS.includes(key) ? [{ field: path, messages: [`property ${key} should not exist`] }] : [];
    return [...own, ...unacceptable((value as Record<string, unknown>)[key], path)];
  });
}

/** Unknown fields are refused, not dropped, and nothing is coerced: `"5"` is not a number. */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const refused = unacceptable(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
      if (refused.length > 0) throw new RequestValidationFailed(refused);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

export function requestValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new RequestValidationFailed(flatten(errors)),
  });
}
