import { Injectable, PipeTransform } from '@nestjs/common';
import { codePointLength, lengthRule } from './code-point-length';
import { RequestValidationFailed } from './request-validation';

/** A path or query string of 1 to `max` code points, refused with the usual 400 field error otherwise. */
@Injectable()
export class BoundedStringPipe implements PipeTransform<string, string> {
  constructor(
    private readonly field: string,
    private readonly max: number,
  ) {}

  transform(value: string): string {
    const length = codePointLength(value);
    if (length < 1 || length > this.max) {
      throw new RequestValidationFailed([
        { field: this.field, messages: [`${this.field} must be ${lengthRule(1, this.max)}`] },
      ]);
    }
    return value;
  }
}
