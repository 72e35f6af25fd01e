import { PipeTransform } from '@nestjs/common';
import { AggregateNotFound } from '../event-sourcing/event-sourcing.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Aggregate ids are UUIDs; anything else names no aggregate, so it is a 404, not a 400, worded as the
 * 404 of a well-formed id that does not exist.
 */
export class AggregateIdPipe implements PipeTransform<string, string> {
  constructor(private readonly type: { readonly name: string }) {}

  transform(value: string): string {
    if (!UUID.test(value)) throw new AggregateNotFound(this.type.name, value.slice(0, 100));
    return value.toLowerCase();
  }
}
