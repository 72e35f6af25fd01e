import { ArgumentMetadata, PipeTransform, Query, Type } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { requestValidationPipe } from './request-validation';

/**
 * Validates a read's query DTO as `@Query()` does, minus the work on an empty query string, which most
 * reads have: class-transformer and class-validator cost more than the read itself. An empty query is
 * validated once and its (frozen) result reused; any other query goes through the same validation pipe
 * `@Query()` gets, so it is refused with the same 400 problems.
 */
class EmptyQueryShortcut implements PipeTransform {
  private readonly validation = requestValidationPipe();
  private readonly asQuery: ArgumentMetadata;
  private empty: Promise<object> | undefined;

  constructor(dto: Type<object>) {
    this.asQuery = { type: 'query', metatype: dto, data: undefined };
  }

  transform(value: Record<string, unknown>): Promise<object> {
    if (Object.keys(value).length > 0) return this.validated(value);
    if (this.empty === undefined) {
      this.empty = this.validated({}).then((result) => Object.freeze(result));
      // Only a success is reused: a DTO that refuses an empty query refuses it every time, freshly.
      this.empty.catch(() => (this.empty = undefined));
    }
    return this.empty;
  }

  private validated(query: object): Promise<object> {
    return this.validation.transform(query, this.asQuery) as Promise<object>;
  }
}

/**
 * `@Query()` for the query DTO of a hot read, cheaper on the common empty query, with the same contract:
 * validated alike, documented alike in OpenAPI. Type the parameter `Readonly<Dto>`: the global pipe then
 * sees no class and keeps to its checks of raw input (in the same order as for `@Query()`, so a request
 * with several faults gets the same problem), and validation against the DTO happens once, here.
 */
export function ReadQuery(dto: Type<object>): ParameterDecorator {
  const fromQuery = Query(new EmptyQueryShortcut(dto));
  const document = ApiQuery({ type: dto });
  return (target, key, index) => {
    const types = key === undefined ? undefined : (Reflect.getMetadata('design:paramtypes', target, key) as Type[]);
    if (key === undefined || types?.[index] !== Object) {
      throw new Error(`@ReadQuery(${dto.name}) goes on a route parameter typed Readonly<${dto.name}>`);
    }
    fromQuery(target, key, index);
    // What @Query() would have told Swagger: the DTO's properties as query parameters.
    const method = Object.getOwnPropertyDescriptor(target, key);
    if (method !== undefined) document(target, key, method);
  };
}
