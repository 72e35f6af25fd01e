import { Injectable, PipeTransform } from '@nestjs/common';
import { RequestValidationFailed } from './request-validation';

/** A path or query string of 1 to `max` characters, refused with the usual 400 field error otherwise. */
@Injectable()
export class BoundedStringPipe implements PipeTransform<string, string> {
  constructor(
    private readonly field: string,
    private readonly max: number,
  ) {}

  transform(value: string): string {
    if (value.length < 1 || value.length > this.max) {
      throw new RequestValidationFailed([
        { field: this.field, messages: [`${this.field} must be 1 to ${this.max} characters`] },
      ]);
    }
    return value;
  }
}
