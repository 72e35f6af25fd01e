import { ArgumentMetadata, createParamDecorator, ExecutionContext, PipeTransform, Type } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { Request } from 'express';
import { requestValidationPipe } from './request-validation';

/**
 * Validates a read's query DTO as `@Query()` does, minus the work on an empty query string, which most
 * reads have: class-transformer and class-validator cost more than the read itself. An empty query is
 * validated once per DTO and its (frozen) result reused; any other query goes through the same
 * validation pipe `@Query()` gets, so it is refused with the same 400 problems.
 */
class EmptyQueryShortcut implements PipeTransform {
  private readonly validation = requestValidationPipe();
  private readonly emptyResults = new Map<Type, Promise<unknown>>();

  transform(value: Record<string, unknown>, { metatype }: ArgumentMetadata): unknown {
    const asQuery: ArgumentMetadata = { type: 'query', metatype, data: undefined };
    const validated = (query: object) => this.validation.transform(query, asQuery) as Promise<object>;
    if (metatype === undefined || Object.keys(value).length > 0) return validated(value);
    let empty = this.emptyResults.get(metatype);
    if (empty === undefined) {
      empty = validated({}).then((result) => Object.freeze(result));
      // Only a success is reused: a DTO that refuses an empty query refuses it every time, freshly.
      empty.catch(() => this.emptyResults.delete(metatype));
      this.emptyResults.set(metatype, empty);
    }
    return empty;
  }
}

const queryOf = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<Request>().query;
});

/**
 * `@Query()` for hot reads: the same contract (the parameter's DTO class, validated alike, documented
 * alike in OpenAPI), cheaper on the common empty query. The global pipe leaves custom parameter
 * decorators alone, so validation happens once, here.
 */
export function ReadQuery(): ParameterDecorator {
  const shortcut = new EmptyQueryShortcut();
  return (target, key, index) => {
    if (key === undefined) throw new Error('@ReadQuery() goes on a route handler parameter');
    const types = Reflect.getMetadata('design:paramtypes', target, key) as Type[] | undefined;
    const dto = types?.[index];
    if (dto === undefined) throw new Error('@ReadQuery() needs the parameter typed as its query DTO class');
    queryOf(shortcut)(target, key, index);
    // What @Query() would have told Swagger: the DTO's properties as query parameters.
    const method = Object.getOwnPropertyDescriptor(target, key);
    if (method !== undefined) ApiQuery({ type: dto })(target, key, method);
  };
}
