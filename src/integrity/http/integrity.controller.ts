import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StreamNotFound } from '../../event-sourcing/event-sourcing.errors';
import { ApiProblemResponses, notFound } from '../../http/api-problem-responses.decorator';
import { IntegrityVerifier } from '../integrity-verifier';
import { IntegrityQuery } from './integrity-requests';
import { IntegrityReportResponse } from './integrity-responses';
import { RequireRole, Role } from '../../auth/roles';

const BROKEN_EXAMPLE: IntegrityReportResponse = {
  ok: false,
  streamsChecked: 37,
  eventsChecked: 212,
  firstBroken: {
    streamId: 'shopping-cart-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11',
    version: 3,
    position: 57,
    reason: 'its hash does not match its content and its predecessor',
  },
};

/** Whether the stored events are still the ones the service wrote. */
@ApiTags('admin')
@Controller('admin/integrity')
@RequireRole(Role.Admin)
export class IntegrityController {
  constructor(private readonly verifier: IntegrityVerifier) {}

  @Get()
  @ApiOperation({
    summary: "Verify every stream's hash chain (or one stream's) and report the first broken event",
    description:
      'Reads the whole event log in pages, so it takes time on a big log. A direct database change to an ' +
      "event's data, metadata, type, time or order breaks its chain there. A break is a 200 with `ok: false`. " +
      '`streamId` also takes a bare aggregate id (a cart or order UUID) for the streams of that aggregate; ' +
      'one that names no stream is a 404.',
  })
  @ApiOkResponse({
    type: IntegrityReportResponse,
    examples: {
      ok: {
        summary: 'Every chain is intact',
        value: { ok: true, streamsChecked: 1204, eventsChecked: 9876, firstBroken: null },
      },
      broken: { summary: 'An event was changed in the database', value: BROKEN_EXAMPLE },
    },
  })
  @ApiProblemResponses(
    400,
    notFound(new StreamNotFound('shopping-cart-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11'), 'streamId names no stream'),
    503,
  )
  async check(@Query() { streamId }: IntegrityQuery): Promise<IntegrityReportResponse> {
    if (streamId === undefined) return this.verifier.verify();
    const streamIds = await this.verifier.streamsNamed(streamId);
    if (streamIds.length === 0) throw new StreamNotFound(streamId);
    return this.verifier.verify({ streamIds });
  }
}
