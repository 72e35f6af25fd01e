import { Injectable, PipeTransform } from '@nestjs/common';
import { AggregateNotFound } from '../event-sourcing/event-sourcing.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Aggregate ids are UUIDs; anything else names no aggregate, so it is a 404, not a 400. */
@Injectable()
export class AggregateIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw new AggregateNotFound('Aggregate', value.slice(0, 100));
    return value.toLowerCase();
  }
}
