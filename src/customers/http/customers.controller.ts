import { Body, Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireRole, Role } from '../../auth/roles';
import type { CommandContext } from '../../event-sourcing/command-context';
import { PersonalDataNotHeld } from '../../event-sourcing/personal-data/personal-data.errors';
import { ApiProblemResponses, notFound, problemSample } from '../../http/api-problem-responses.decorator';
import { BoundedStringPipe } from '../../http/bounded-string.pipe';
import { lengthRule } from '../../http/code-point-length';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { RequestValidationFailed } from '../../http/request-validation';
import { ErasePersonalData } from '../commands/erase-personal-data.command';
import { ExportPersonalData } from '../queries/export-personal-data.query';
import { ErasureQuery, ErasureRequest, MAX_REASON } from './personal-data-requests';
import { ErasureResponse, EXAMPLE_CUSTOMER_ID, PersonalDataExportResponse } from './personal-data-responses';

const CUSTOMER_ID_PARAM = {
  name: 'customerId',
  description: `The data subject, as carts name their customer: ${lengthRule(1, 100)}`,
  example: EXAMPLE_CUSTOMER_ID,
};
const NOTHING_HELD = notFound(
  new PersonalDataNotHeld(EXAMPLE_CUSTOMER_ID),
  'No personal data of this customer is held: none was ever recorded, or it was erased already',
);
const REASON_REQUIRED = `reason is required, in the query or the JSON body: ${lengthRule(1, MAX_REASON)}`;

/** A customer's rights over their personal data: access and portability (export), erasure. */
@ApiTags('customers')
@Controller('customers/:customerId/personal-data')
@RequireRole(Role.Admin, Role.Privacy)
export class CustomersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Delete()
  @HttpCode(202)
  @ApiOperation({
    summary: "Erase the customer's personal data (GDPR article 17) by destroying its key",
    description:
      'Destroys the key the personal fields of the customer are encrypted under and records ' +
      '`customer.personal-data-erased.v1` (who, why), in one transaction. From then on every read shows those ' +
      'fields as `null` with `"erased": true`; the event log itself is unchanged, so its hash chains still ' +
      'verify. 202: read models drop their copies once they reach `position`. The reason comes from the ' +
      '`reason` query parameter or a JSON body `{ "reason": "…" }`.',
  })
  @ApiParam(CUSTOMER_ID_PARAM)
  @ApiAcceptedResponse({
    type: ErasureResponse,
    example: { customerId: EXAMPLE_CUSTOMER_ID, position: 1187 },
  })
  @ApiProblemResponses(
    problemSample(
      400,
      'validation-failed',
      'The request has invalid fields',
      `${REASON_REQUIRED}; or customerId too long`,
    ),
    NOTHING_HELD,
    413,
    415,
    503,
  )
  async erase(
    @Param('customerId', new BoundedStringPipe('customerId', 100)) customerId: string,
    @Query() query: ErasureQuery,
    @Body() body: ErasureRequest,
    @CommandContextFrom() context: CommandContext,
  ): Promise<ErasureResponse> {
    const reason = query.reason ?? body?.reason;
    if (reason === undefined) throw new RequestValidationFailed([{ field: 'reason', messages: [REASON_REQUIRED] }]);
    return this.commands.execute(new ErasePersonalData(customerId, reason, context));
  }

  @Get()
  @ApiOperation({
    summary: 'Every personal field held for the customer, decrypted (GDPR articles 15 and 20)',
    description: 'Each with the event that holds it: its stream, version, position, type and recording time.',
  })
  @ApiParam(CUSTOMER_ID_PARAM)
  @ApiOkResponse({
    type: PersonalDataExportResponse,
    example: {
      customerId: EXAMPLE_CUSTOMER_ID,
      records: [
        {
          streamId: 'shopping-cart-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11',
          version: 4,
          position: 1042,
          type: 'shopping-cart.checked-out.v3',
          recordedAt: '2026-12-01T09:30:00.000Z',
          fields: { email: 'ada@example.com' },
        },
      ],
    },
  })
  @ApiProblemResponses(400, NOTHING_HELD, 503)
  async export(
    @Param('customerId', new BoundedStringPipe('customerId', 100)) customerId: string,
  ): Promise<PersonalDataExportResponse> {
    const records = await this.queries.execute(new ExportPersonalData(customerId));
    return {
      customerId,
      records: records.map((record) => ({ ...record, recordedAt: record.recordedAt.toISOString() })),
    };
  }
}
