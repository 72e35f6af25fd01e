import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from './problem-details';

/** A request whose body, path or query failed validation; carries every failing field. */
export class RequestValidationFailed extends BadRequestException {
  constructor(readonly fieldErrors: FieldError[]) {
    super(`Invalid request: ${fieldErrors.map((error) => error.field).join(', ')}`);
  }
}

// A value of the wrong type also fails every range and length rule; its type is the one thing to say.
const TYPE_CHECKS = new Set(['isInt', 'isString']);

function messagesOf(constraints: Record<string, string>): string[] {
  const typeErrors = Object.keys(constraints).filter((name) => TYPE_CHECKS.has(name));
  return (typeErrors.length > 0 ? typeErrors : Object.keys(constraints)).map((name) => constraints[name]!);
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix === '' ? error.property : `${prefix}.${error.property}`;
    const own: FieldError[] = error.constraints ? [{ field, messages: messagesOf(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

// class-transformer silently drops these keys (and any whose name an instance inherits as a method), so
// the unknown-field check would never see them.
const DROPPED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

// PostgreSQL's jsonb can hold neither U+0000 nor a lone UTF-16 surrogate, so both are refused at the door
// on every engine.
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text that both engines can store: no U+0000, no lone surrogate. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

const refusal = (field: string, message: string): FieldError[] => [{ field: field || 'value', messages: [message] }];

/**
 * What class-validator never sees or cannot judge: dropped keys, and U+0000 or lone surrogates in any
 * string. Bodies arrive at most MAX_JSON_DEPTH deep (json-body.ts), so this recursion is bounded.
 */
function unacceptable(value: unknown, field = ''): FieldError[] {
  if (typeof value === 'string') {
    return !isStorableText(value)
      ? refusal(field, `${field || 'value'} must not contain U+0000 or a lone UTF-16 surrogate`)
      : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) => {
    const path = field === '' ? key : `${field}.${key}`;
    const own = DROPPED_KEYS.has(key) ? refusal(path, `property ${key} should not exist`) : [];
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
