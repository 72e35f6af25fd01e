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
const DROPPED_KEYS = ['__proto__', 'constructor', 'prototype'];

function droppedKeys(value: unknown, prefix = ''): FieldError[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) => {
    const field = prefix === '' ? key : `${prefix}.${key}`;
    const own = DROPPED_KEYS.includes(key) ? [{ field, messages: [`property ${key} should not exist`] }] : [];
    return [...own, ...droppedKeys((value as Record<string, unknown>)[key], field)];
  });
}

/** Unknown fields are refused, not dropped, and nothing is coerced: `"5"` is not a number. */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const refused = droppedKeys(value);
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
