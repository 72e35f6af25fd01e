// The files of a new bounded context, as generate-context.mjs writes them (then formats them with Prettier).
// `n` holds the name's spellings (see namesOf), `migration` the migration's class and file names.
const EXAMPLE_ID = '5b0e2c4f-8d1a-4e3b-9c7d-6a2f1e0b3c4d';

export function templates(n, migration) {
  const { kebab, plural, Pascal: P, Plural: Ps, camel, snake, CONST, title, titlePlural } = n;
  const id = `${camel}Id`;
  const base = `src/${plural}`;
  const details = `${base}/read-models/${kebab}-details`;
  const history = `${base}/read-models/${kebab}-history`;
  return {
    [`${base}/domain/${kebab}.events.ts`]: `import { Type } from '@sinclair/typebox';
import { eventData } from '../../event-sourcing/event-schema';
import { EventType } from '../../event-sourcing/event-type';

const ${id} = Type.String({ minLength: 1, description: 'The ${title} (a UUID)' });
const name = Type.String({ minLength: 1 });

@EventType('${kebab}.created.v1', eventData({ ${id}, name }))
export class ${P}Created {
  constructor(
    readonly ${id}: string,
    readonly name: string,
  ) {}
}

@EventType('${kebab}.renamed.v1', eventData({ ${id}, name }))
export class ${P}Renamed {
  constructor(
    readonly ${id}: string,
    readonly name: string,
  ) {}
}
`,
    [`${base}/domain/${kebab}.errors.ts`]: `import { DomainRuleViolation } from '../../event-sourcing/domain-rule-violation';

export class ${P}NameUnchanged extends DomainRuleViolation {
  readonly code = '${kebab}-name-unchanged';
  constructor(name: string) {
    super(\`The ${title} is already named \${JSON.stringify(name)}\`);
  }
}
`,
    [`${base}/domain/${kebab}.aggregate.ts`]: `import { EventSourcedAggregate, On } from '../../event-sourcing/aggregate-root';
import { ${P}NameUnchanged } from './${kebab}.errors';
import { ${P}Created, ${P}Renamed } from './${kebab}.events';

/** A ${title}: created with a name and renamed later; a rename must change the name. */
export class ${P} extends EventSourcedAggregate {
  static readonly streamCategory = '${kebab}';

  private currentName = '';

  static create(${id}: string, name: string): ${P} {
    const created = new ${P}(${id});
    created.apply(new ${P}Created(${id}, name));
    return created;
  }

  get name(): string {
    return this.currentName;
  }

  rename(name: string): void {
    if (name === this.currentName) throw new ${P}NameUnchanged(name);
    this.apply(new ${P}Renamed(this.id, name));
  }

  @On(${P}Created)
  protected created(event: ${P}Created): void {
    this.currentName = event.name;
  }

  @On(${P}Renamed)
  protected renamed(event: ${P}Renamed): void {
    this.currentName = event.name;
  }
}
`,
    [`${base}/domain/${kebab}.spec.ts`]: `import { describe, it } from '@jest/globals';
import { AggregateAlreadyExists, AggregateNotFound } from '../../event-sourcing/event-sourcing.errors';
import { commandScenario } from '../../event-sourcing/testing/command-scenario';
import { Create${P} } from '../commands/create-${kebab}.command';
import { Create${P}Handler } from '../commands/create-${kebab}.handler';
import { Rename${P} } from '../commands/rename-${kebab}.command';
import { Rename${P}Handler } from '../commands/rename-${kebab}.handler';
import { ${P}NameUnchanged } from './${kebab}.errors';
import { ${P}Created, ${P}Renamed } from './${kebab}.events';

const ${id} = '${EXAMPLE_ID}';
const { given } = commandScenario({
  streamId: \`${kebab}-\${${id}}\`,
  handlers: [Create${P}Handler, Rename${P}Handler],
});
const created = () => new ${P}Created(${id}, 'First');

describe('a ${title} that does not exist yet', () => {
  it('is created with a name', () =>
    given().when(new Create${P}(${id}, 'First')).then(new ${P}Created(${id}, 'First')));

  it('cannot be renamed', () => given().when(new Rename${P}(${id}, 'Second')).thenFails(AggregateNotFound));
});

describe('a ${title}', () => {
  it('is renamed', () => given(created()).when(new Rename${P}(${id}, 'Second')).then(new ${P}Renamed(${id}, 'Second')));

  it('refuses a rename to the name it has', () =>
    given(created(), new ${P}Renamed(${id}, 'Second'))
      .when(new Rename${P}(${id}, 'Second'))
      .thenFails(${P}NameUnchanged, /Second/));

  it('cannot be created twice', () =>
    given(created()).when(new Create${P}(${id}, 'Again')).thenFails(AggregateAlreadyExists));
});
`,
    [`${base}/commands/create-${kebab}.command.ts`]: `import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '../../event-sourcing/aggregate-repository';
import { CommandContext, newCommandContext } from '../../event-sourcing/command-context';

export class Create${P} extends Command<CommandResult> {
  constructor(
    readonly ${id}: string,
    readonly name: string,
    readonly context: CommandContext = newCommandContext(),
  ) {
    super();
  }
}
`,
    [`${base}/commands/create-${kebab}.handler.ts`]: `import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CommandResult } from '../../event-sourcing/aggregate-repository';
import { ${P} } from '../domain/${kebab}.aggregate';
import { Create${P} } from './create-${kebab}.command';

@CommandHandler(Create${P})
export class Create${P}Handler implements ICommandHandler<Create${P}> {
  constructor(private readonly repository: AggregateRepository) {}

  execute({ ${id}, name, context }: Create${P}): Promise<CommandResult> {
    return this.repository.create(${P}.create(${id}, name), context);
  }
}
`,
    [`${base}/commands/rename-${kebab}.command.ts`]: `import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '../../event-sourcing/aggregate-repository';
import { CommandContext, newCommandContext } from '../../event-sourcing/command-context';

export class Rename${P} extends Command<CommandResult> {
  constructor(
    readonly ${id}: string,
    readonly name: string,
    readonly context: CommandContext = newCommandContext(),
  ) {
    super();
  }
}
`,
    [`${base}/commands/rename-${kebab}.handler.ts`]: `import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, CommandResult } from '../../event-sourcing/aggregate-repository';
import { ${P} } from '../domain/${kebab}.aggregate';
import { Rename${P} } from './rename-${kebab}.command';

@CommandHandler(Rename${P})
export class Rename${P}Handler implements ICommandHandler<Rename${P}> {
  constructor(private readonly repository: AggregateRepository) {}

  execute({ ${id}, name, context }: Rename${P}): Promise<CommandResult> {
    return this.repository.update(${P}, ${id}, context, (aggregate) => aggregate.rename(name));
  }
}
`,
    [`${base}/read-models/${kebab}-view.ts`]: `/** A ${title} as queries return it, from the read table or rebuilt at a version. */
export interface ${P}View {
  ${id}: string;
  name: string;
  version: number;
}
`,
    [`${details}/${kebab}-details.entity.ts`]: `import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../../database/column-transformers';

/** One row per ${title}: what GET /${plural}/{${id}} and GET /${plural} answer. Owned by ${P}DetailsProjection. */
@Entity('${snake}_details')
@Index('ix_${snake}_details_created', ['createdPosition'])
export class ${P}Details {
  @PrimaryColumn({ name: '${snake}_id', type: 'varchar' })
  ${id}!: string;

  @Column({ type: 'varchar' })
  name!: string;

  /** The stream version of the last event applied: replays of older events are skipped. */
  @Column({ type: 'integer' })
  version!: number;

  /** Global position of the creation: lists show the newest first. */
  @Column({ name: 'created_position', type: 'bigint', transformer: bigintAsNumber })
  createdPosition!: number;
}
`,
    [`${details}/${kebab}-details.projection.ts`]: `import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '../../../event-sourcing/event-store';
import { ProjectionOf } from '../../../event-sourcing/subscriptions/projection';
import { RowProjection } from '../../../event-sourcing/subscriptions/row-projection';
import { ${P}Created, ${P}Renamed } from '../../domain/${kebab}.events';
import { ${P}Details } from './${kebab}-details.entity';

export const ${CONST}_DETAILS = '${kebab}-details';

/** Keeps one \`${snake}_details\` row per ${title}. */
@Injectable()
@ProjectionOf({ name: ${CONST}_DETAILS })
export class ${P}DetailsProjection extends RowProjection<${P}Details> {
  protected readonly entity = ${P}Details;
  protected readonly key = '${id}';

  protected keyOf({ event }: RecordedEvent): string | undefined {
    return event instanceof ${P}Created || event instanceof ${P}Renamed ? event.${id} : undefined;
  }

  protected evolve(row: ${P}Details | undefined, { event, streamVersion, position }: RecordedEvent): ${P}Details | undefined {
    if (event instanceof ${P}Created) {
      if (row !== undefined) return undefined;
      return Object.assign(new ${P}Details(), {
        ${id}: event.${id},
        name: event.name,
        version: streamVersion,
        createdPosition: position,
      });
    }
    if (!(event instanceof ${P}Renamed) || row === undefined || row.version >= streamVersion) return undefined;
    return Object.assign(new ${P}Details(), row, { name: event.name, version: streamVersion });
  }
}
`,
    [`${details}/get-${kebab}.query.ts`]: `import { Query } from '@nestjs/cqrs';
import type { ${P}View } from '../${kebab}-view';

export class Get${P} extends Query<${P}View> {
  constructor(
    readonly ${id}: string,
    /** Answer only once the read model has applied this position. */
    readonly consistentWith?: number,
  ) {
    super();
  }
}
`,
    [`${details}/get-${kebab}.handler.ts`]: `import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AggregateNotFound } from '../../../event-sourcing/event-sourcing.errors';
import { SubscriptionRunner } from '../../../event-sourcing/subscriptions/subscription-runner';
import { PrimaryKeyLookup } from '../../../event-sourcing/typeorm/primary-key-lookup';
import { Transactions } from '../../../event-sourcing/typeorm/transactions';
import type { ${P}View } from '../${kebab}-view';
import { ${P}Details } from './${kebab}-details.entity';
import { ${CONST}_DETAILS } from './${kebab}-details.projection';
import { Get${P} } from './get-${kebab}.query';

@QueryHandler(Get${P})
export class Get${P}Handler implements IQueryHandler<Get${P}> {
  private readonly rows: PrimaryKeyLookup<${P}Details>;

  constructor(
    private readonly subscriptions: SubscriptionRunner,
    transactions: Transactions,
  ) {
    this.rows = new PrimaryKeyLookup(transactions, ${P}Details);
  }

  async execute({ ${id}, consistentWith }: Get${P}): Promise<${P}View> {
    if (consistentWith !== undefined) await this.subscriptions.waitFor(${CONST}_DETAILS, consistentWith);
    const row = await this.rows.find(${id});
    if (row === null) throw new AggregateNotFound('${P}', ${id});
    return { ${id}: row.${id}, name: row.name, version: row.version };
  }
}
`,
    [`${details}/list-${plural}.query.ts`]: `import { Query } from '@nestjs/cqrs';
import type { ${P}View } from '../${kebab}-view';

/** The newest ${titlePlural}, at most 100. */
export class List${Ps} extends Query<${P}View[]> {
  constructor(readonly consistentWith?: number) {
    super();
  }
}
`,
    [`${details}/list-${plural}.handler.ts`]: `import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { SubscriptionRunner } from '../../../event-sourcing/subscriptions/subscription-runner';
import { Transactions } from '../../../event-sourcing/typeorm/transactions';
import type { ${P}View } from '../${kebab}-view';
import { ${P}Details } from './${kebab}-details.entity';
import { ${CONST}_DETAILS } from './${kebab}-details.projection';
import { List${Ps} } from './list-${plural}.query';

@QueryHandler(List${Ps})
export class List${Ps}Handler implements IQueryHandler<List${Ps}> {
  constructor(
    private readonly subscriptions: SubscriptionRunner,
    private readonly transactions: Transactions,
  ) {}

  async execute({ consistentWith }: List${Ps}): Promise<${P}View[]> {
    if (consistentWith !== undefined) await this.subscriptions.waitFor(${CONST}_DETAILS, consistentWith);
    const rows = await this.transactions.read((manager) =>
      manager.find(${P}Details, { order: { createdPosition: 'DESC' }, take: 100 }),
    );
    return rows.map((row) => ({ ${id}: row.${id}, name: row.name, version: row.version }));
  }
}
`,
    [`${details}/${kebab}-details.int-spec.ts`]: `import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ANY_VERSION, EventStore } from '../../../event-sourcing/event-store';
import { SubscriptionRunner } from '../../../event-sourcing/subscriptions/subscription-runner';
import { createEventSourcingTestModule } from '../../../event-sourcing/testing/event-sourcing-test-module';
import { Transactions } from '../../../event-sourcing/typeorm/transactions';
import { ${P}Created, ${P}Renamed } from '../../domain/${kebab}.events';
import { ${Ps}Module } from '../../${plural}.module';
import { ${P}Details } from './${kebab}-details.entity';
import { ${CONST}_DETAILS, ${P}DetailsProjection } from './${kebab}-details.projection';

describe('the ${kebab}-details projection', () => {
  let close: () => Promise<void>;
  let store: EventStore;
  let runner: SubscriptionRunner;
  let transactions: Transactions;
  let dataSource: DataSource;
  let projection: ${P}DetailsProjection;

  beforeEach(async () => {
    const test = await createEventSourcingTestModule({ imports: [${Ps}Module] });
    close = test.close;
    store = test.module.get(EventStore);
    runner = test.module.get(SubscriptionRunner);
    transactions = test.module.get(Transactions);
    dataSource = test.module.get(DataSource);
    projection = test.module.get(${P}DetailsProjection);
  });
  afterEach(() => close());

  const append = async (${id}: string, ...events: object[]) => {
    const { positions } = await store.append(\`${kebab}-\${${id}}\`, ANY_VERSION, events);
    return positions.at(-1)!;
  };
  const rows = () => dataSource.getRepository(${P}Details).find({ order: { createdPosition: 'ASC' } });

  async function someHistory(): Promise<{ first: string; second: string; position: number }> {
    const [first, second] = [randomUUID(), randomUUID()];
    await append(first, new ${P}Created(first, 'First'));
    await append(second, new ${P}Created(second, 'Second'));
    const position = await append(first, new ${P}Renamed(first, 'Renamed'), new ${P}Renamed(first, 'Final'));
    return { first, second, position };
  }

  it('turns events into rows', async () => {
    const { first, second, position } = await someHistory();
    await runner.waitFor(${CONST}_DETAILS, position);
    expect((await rows()).map(({ ${id}, name, version }) => ({ ${id}, name, version }))).toEqual([
      { ${id}: first, name: 'Final', version: 3 },
      { ${id}: second, name: 'Second', version: 1 },
    ]);
  });

  it('changes nothing when the same events are applied a second time', async () => {
    const { position } = await someHistory();
    await runner.waitFor(${CONST}_DETAILS, position);
    const before = await rows();
    const events = await store.readAll(0, 1000);
    await transactions.write(async (manager) => {
      for (const event of events) await projection.apply(event, manager);
    });
    expect(await rows()).toEqual(before);
  });

  it('rebuilds identical rows from position 0', async () => {
    const { position } = await someHistory();
    await runner.waitFor(${CONST}_DETAILS, position);
    const before = await rows();
    await transactions.write(async (manager) => {
      await projection.clear(manager);
      await projection.applyBatch(await store.readAll(0, 1000), manager);
    });
    expect(await rows()).toEqual(before);
  });
});
`,
    [`${history}/get-${kebab}-at-version.query.ts`]: `import { Query } from '@nestjs/cqrs';
import type { ${P}View } from '../${kebab}-view';

/** The ${title} as it was right after its \`version\`th event: time travel through the event store. */
export class Get${P}AtVersion extends Query<${P}View> {
  constructor(
    readonly ${id}: string,
    readonly version: number,
  ) {
    super();
  }
}
`,
    [`${history}/get-${kebab}-at-version.handler.ts`]: `import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '../../../event-sourcing/aggregate-repository';
import { ${P} } from '../../domain/${kebab}.aggregate';
import type { ${P}View } from '../${kebab}-view';
import { Get${P}AtVersion } from './get-${kebab}-at-version.query';

/** Rebuilds the aggregate instead of reading a table, because the past has no table. */
@QueryHandler(Get${P}AtVersion)
export class Get${P}AtVersionHandler implements IQueryHandler<Get${P}AtVersion> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ ${id}, version }: Get${P}AtVersion): Promise<${P}View> {
    const aggregate = await this.repository.load(${P}, ${id}, { toVersion: version });
    return { ${id}, name: aggregate.name, version: aggregate.version };
  }
}
`,
    [`src/migrations/${migration.file}.ts`]: `import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read table of the ${titlePlural} context (${kebab}-details projection). */
export class ${migration.className} implements MigrationInterface {
  name = '${migration.className}';

  async up(queryRunner: QueryRunner): Promise<void> {
    const bigint = queryRunner.connection.options.type === 'postgres' ? 'bigint' : 'INTEGER';
    await queryRunner.query(\`
      CREATE TABLE ${snake}_details (
        ${snake}_id varchar PRIMARY KEY,
        name varchar NOT NULL,
        version integer NOT NULL,
        created_position \${bigint} NOT NULL
      )\`);
    await queryRunner.query('CREATE INDEX ix_${snake}_details_created ON ${snake}_details (created_position)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE ${snake}_details');
  }
}
`,
    [`${base}/http/${kebab}-requests.ts`]: `import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { CodePointLength, lengthRule } from '../../http/code-point-length';

export class Create${P}Request {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'First name', description: lengthRule(1, 100) })
  @IsString()
  @CodePointLength(1, 100)
  name!: string;
}

export class Rename${P}Request {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'New name', description: lengthRule(1, 100) })
  @IsString()
  @CodePointLength(1, 100)
  name!: string;
}
`,
    [`${base}/http/${kebab}-responses.ts`]: `import { ApiProperty } from '@nestjs/swagger';

export const EXAMPLE_${CONST}_ID = '${EXAMPLE_ID}';

export class ${P}CommandResponse {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_${CONST}_ID })
  ${id}!: string;

  @ApiProperty({ type: 'integer', example: 2, description: "The ${title}'s stream version after the command (also the ETag)" })
  version!: number;

  @ApiProperty({
    type: 'integer',
    example: 42,
    description: 'Global position of the last event written; pass it as consistentWith',
  })
  position!: number;
}

export class ${P}Response {
  @ApiProperty({ format: 'uuid', example: EXAMPLE_${CONST}_ID })
  ${id}!: string;

  @ApiProperty({ example: 'First name' })
  name!: string;

  @ApiProperty({ type: 'integer', example: 2 })
  version!: number;
}
`,
    [`${base}/http/${plural}.controller.ts`]: `import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { RequireRole, Role } from '../../auth/roles';
import type { CommandResult } from '../../event-sourcing/aggregate-repository';
import type { CommandContext } from '../../event-sourcing/command-context';
import { AggregateNotFound, VersionNotFound } from '../../event-sourcing/event-sourcing.errors';
import { GetAggregateEvents } from '../../event-sourcing/history/get-aggregate-events.query';
import { AggregateIdPipe } from '../../http/aggregate-id.pipe';
import {
  ApiProblemResponses,
  notFound,
  readModelBehind,
  refused,
  versionProblems,
} from '../../http/api-problem-responses.decorator';
import { ApiCommandHeaders, CommandContextFrom } from '../../http/command-context.decorator';
import { EventResponse } from '../../http/event-response';
import {
  AggregateEventsQuery,
  AggregateReadQuery,
  ConsistentReadQuery,
  EVENTS_PAGE_HEADERS,
  eventsPage,
} from '../../http/read-queries';
import { ReadQuery } from '../../http/read-query.decorator';
import { VersionEtagInterceptor } from '../../http/version-etag.interceptor';
import { Create${P} } from '../commands/create-${kebab}.command';
import { Rename${P} } from '../commands/rename-${kebab}.command';
import { ${P} } from '../domain/${kebab}.aggregate';
import { ${P}NameUnchanged } from '../domain/${kebab}.errors';
import { ${CONST}_DETAILS } from '../read-models/${kebab}-details/${kebab}-details.projection';
import { Get${P} } from '../read-models/${kebab}-details/get-${kebab}.query';
import { List${Ps} } from '../read-models/${kebab}-details/list-${plural}.query';
import { Get${P}AtVersion } from '../read-models/${kebab}-history/get-${kebab}-at-version.query';
import { Create${P}Request, Rename${P}Request } from './${kebab}-requests';
import { ${P}CommandResponse, ${P}Response, EXAMPLE_${CONST}_ID } from './${kebab}-responses';

const toResponse = ({ aggregateId, version, position }: CommandResult): ${P}CommandResponse => ({
  ${id}: aggregateId,
  version,
  position,
});

const ID_PARAM = { name: '${id}', format: 'uuid', description: 'The ${title} (a UUID)' } as const;
const idPipe = new AggregateIdPipe(${P});
const NO_SUCH = notFound(new AggregateNotFound('${P}', EXAMPLE_${CONST}_ID), 'No such ${title} (or an id that is not a UUID)');

@ApiTags('${plural}')
@Controller('${plural}')
@UseInterceptors(VersionEtagInterceptor)
export class ${Ps}Controller {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequireRole(Role.${P}Write)
  @ApiOperation({ summary: 'Create a ${title}' })
  @ApiCommandHeaders()
  @ApiCreatedResponse({
    type: ${P}CommandResponse,
    description: 'Created; Location names the ${title}, ETag its version',
    example: { ${id}: EXAMPLE_${CONST}_ID, version: 1, position: 41 },
  })
  @ApiProblemResponses(400, 413, 415, 422, 503)
  async create(
    @Body() body: Create${P}Request,
    @CommandContextFrom() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<${P}CommandResponse> {
    const result = toResponse(await this.commands.execute(new Create${P}(randomUUID(), body.name, context)));
    response.location(\`/${plural}/\${result.${id}}\`);
    return result;
  }

  @Post(':${id}/name')
  @RequireRole(Role.${P}Write)
  @HttpCode(200)
  @ApiOperation({ summary: 'Rename the ${title}' })
  @ApiParam(ID_PARAM)
  @ApiCommandHeaders()
  @ApiOkResponse({ type: ${P}CommandResponse })
  @ApiProblemResponses(
    400,
    NO_SUCH,
    ...versionProblems(\`${kebab}-\${EXAMPLE_${CONST}_ID}\`),
    413,
    415,
    422,
    refused(new ${P}NameUnchanged('First name')),
    503,
  )
  async rename(
    @Param('${id}', idPipe) ${id}: string,
    @Body() body: Rename${P}Request,
    @CommandContextFrom() context: CommandContext,
  ): Promise<${P}CommandResponse> {
    return toResponse(await this.commands.execute(new Rename${P}(${id}, body.name, context)));
  }

  @Get()
  @RequireRole(Role.Read)
  @ApiOperation({ summary: 'The newest ${titlePlural}, at most 100' })
  @ApiOkResponse({ type: [${P}Response] })
  @ApiProblemResponses(400, 503, readModelBehind(${CONST}_DETAILS))
  list(@Query() query: ConsistentReadQuery): Promise<${P}Response[]> {
    return this.queries.execute(new List${Ps}(query.consistentWith));
  }

  @Get(':${id}')
  @RequireRole(Role.Read)
  @ApiOperation({ summary: 'The ${title}, from its read model (or, with atVersion, rebuilt from its events)' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: ${P}Response, description: 'The ${title}; ETag is its version' })
  @ApiProblemResponses(
    400,
    NO_SUCH,
    notFound(new VersionNotFound('${P}', EXAMPLE_${CONST}_ID, 5, 4), 'atVersion is past the current version'),
    503,
    readModelBehind(${CONST}_DETAILS),
  )
  get(
    @Param('${id}', idPipe) ${id}: string,
    @ReadQuery(AggregateReadQuery) query: Readonly<AggregateReadQuery>,
  ): Promise<${P}Response> {
    if (query.atVersion !== undefined) return this.queries.execute(new Get${P}AtVersion(${id}, query.atVersion));
    return this.queries.execute(new Get${P}(${id}, query.consistentWith));
  }

  @Get(':${id}/events')
  @RequireRole(Role.Read)
  @ApiOperation({
    summary: "The ${title}'s events, oldest first, a page at a time",
    description: 'Page with \`afterVersion\` = the \`version\` of the last event you have, or follow the Link header.',
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: [EventResponse], headers: EVENTS_PAGE_HEADERS })
  @ApiProblemResponses(400, NO_SUCH, 503)
  async events(
    @Param('${id}', idPipe) ${id}: string,
    @Query() { afterVersion, limit }: AggregateEventsQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<EventResponse[]> {
    const page = await this.queries.execute(new GetAggregateEvents(${P}, ${id}, afterVersion, limit));
    return eventsPage(response, \`/${plural}/\${${id}}/events\`, limit, page);
  }
}
`,
    [`${base}/${plural}.module.ts`]: `import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Create${P}Handler } from './commands/create-${kebab}.handler';
import { Rename${P}Handler } from './commands/rename-${kebab}.handler';
import { ${Ps}Controller } from './http/${plural}.controller';
import { ${P}Details } from './read-models/${kebab}-details/${kebab}-details.entity';
import { ${P}DetailsProjection } from './read-models/${kebab}-details/${kebab}-details.projection';
import { Get${P}Handler } from './read-models/${kebab}-details/get-${kebab}.handler';
import { List${Ps}Handler } from './read-models/${kebab}-details/list-${plural}.handler';
import { Get${P}AtVersionHandler } from './read-models/${kebab}-history/get-${kebab}-at-version.handler';

export const commandHandlers = [Create${P}Handler, Rename${P}Handler];
export const queryHandlers = [Get${P}Handler, List${Ps}Handler, Get${P}AtVersionHandler];
export const projections = [${P}DetailsProjection];

/** The ${titlePlural} bounded context: create a ${title}, rename it, read it. */
@Module({
  imports: [TypeOrmModule.forFeature([${P}Details])],
  controllers: [${Ps}Controller],
  providers: [...commandHandlers, ...queryHandlers, ...projections],
})
export class ${Ps}Module {}
`,
    [`test/${plural}.e2e-spec.ts`]: `import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

type CommandBody = { ${id}: string; version: number; position: number };
const problem = (slug: string) => \`urn:ledgerline:problem:\${slug}\`;

describe('${titlePlural} over HTTP', () => {
  let test: TestApp;
  const api = () => request(test.url);
  const create = async (name = 'First') => {
    const response = await api().post('/${plural}').send({ name }).expect(201);
    return response.body as CommandBody;
  };

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('creates with 201, a Location and an ETag, and reads it back at its position', async () => {
    const response = await api().post('/${plural}').send({ name: 'First' }).expect(201);
    const created = response.body as CommandBody;
    expect(response.headers.location).toBe(\`/${plural}/\${created.${id}}\`);
    expect(response.headers.etag).toBe('"1"');
    const read = await api().get(\`/${plural}/\${created.${id}}\`).query({ consistentWith: created.position }).expect(200);
    expect(read.body).toEqual({ ${id}: created.${id}, name: 'First', version: 1 });
    const list = await api().get('/${plural}').query({ consistentWith: created.position }).expect(200);
    expect(list.body).toContainEqual({ ${id}: created.${id}, name: 'First', version: 1 });
  });

  it('renames, refuses a rename to the same name (422) and a stale If-Match (412)', async () => {
    const { ${id} } = await create();
    const renamed = await api().post(\`/${plural}/\${${id}}/name\`).set('If-Match', '"1"').send({ name: 'Second' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ ${id}, version: 2 });
    expectProblem(await api().post(\`/${plural}/\${${id}}/name\`).send({ name: 'Second' }), 422, problem('${kebab}-name-unchanged'));
    expectProblem(
      await api().post(\`/${plural}/\${${id}}/name\`).set('If-Match', '"1"').send({ name: 'Third' }),
      412,
    );
    const past = await api().get(\`/${plural}/\${${id}}\`).query({ atVersion: 1 }).expect(200);
    expect(past.body).toEqual({ ${id}, name: 'First', version: 1 });
    const events = await api().get(\`/${plural}/\${${id}}/events\`).expect(200);
    expect((events.body as { type: string }[]).map((event) => event.type)).toEqual([
      '${kebab}.created.v1',
      '${kebab}.renamed.v1',
    ]);
  });

  it('answers a repeated Idempotency-Key with the first result, appending nothing', async () => {
    const { ${id} } = await create();
    const key = \`rename-\${${id}}\`;
    const first = await api().post(\`/${plural}/\${${id}}/name\`).set('Idempotency-Key', key).send({ name: 'Once' }).expect(200);
    const again = await api().post(\`/${plural}/\${${id}}/name\`).set('Idempotency-Key', key).send({ name: 'Once' }).expect(200);
    expect(again.body).toEqual(first.body);
    const events = await api().get(\`/${plural}/\${${id}}/events\`).expect(200);
    expect(events.body).toHaveLength(2);
  });

  it('refuses bad input with 400 and unknown ${titlePlural} with 404', async () => {
    expectProblem(await api().post('/${plural}').send({ name: '' }), 400);
    expectProblem(await api().post('/${plural}').send({}), 400);
    expectProblem(await api().get(\`/${plural}/\${randomUUID()}\`), 404);
    expectProblem(await api().post(\`/${plural}/\${randomUUID()}/name\`).send({ name: 'x' }), 404);
    expectProblem(await api().get('/${plural}/not-a-uuid/events'), 404);
  });
});
`,
  };
}
