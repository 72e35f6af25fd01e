import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StreamNotFound } from '../../event-sourcing/event-sourcing.errors';
import { ApiProblemResponses, notFound, problemSample } from '../../http/api-problem-responses.decorator';
import { RequestValidationFailed } from '../../http/request-validation';
import { IntegrityVerifier } from '../integrity-verifier';
import { IntegrityQuery } from './integrity-requests';
import { IntegrityReportResponse } from './integrity-responses';
import { RequireRole, Role } from '../../auth/roles';

const STREAM_REQUIRED =
  'streamId is required: a check of every stream runs in the background, started with POST /admin/integrity/checks';

const BROKEN_EXAMPLE: IntegrityReportResponse = {
  ok: false,
  streamsChecked: 1,
  eventsChecked: 3,
  firstBroken: {
    streamId: 'shopping-cart-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11',
    version: 3,
    position: 57,
    reason: 'its hash does not match its content and its predecessor',
  },
};

/** Whether one stream's stored events are still the ones the service wrote. */
@ApiTags('admin')
@Controller('admin/integrity')
@RequireRole(Role.Admin)
export class IntegrityController {
  constructor(private readonly verifier: IntegrityVerifier) {}

  @Get()
  @ApiOperation({
    summary: "Verify one stream's hash chain (or one aggregate's streams) and report the first broken event",
    description:
      'Answers directly, so it takes one stream: a check of every stream runs as a background job ' +
      '(`POST /admin/integrity/checks`), since a full scan takes as long as the log is big. A direct database ' +
      "change to an event's data, metadata, type, time or order breaks its chain there. A break is a 200 with " +
      '`ok: false`. `streamId` also takes a bare aggregate id (a cart or order UUID) for the streams of that ' +
      'aggregate; one that names no stream is a 404.',
  })
  @ApiOkResponse({
    type: IntegrityReportResponse,
    examples: {
      ok: {
        summary: 'The chain is intact',
        value: { ok: true, streamsChecked: 1, eventsChecked: 12, firstBroken: null },
      },
      broken: { summary: 'An event was changed in the database', value: BROKEN_EXAMPLE },
    },
  })
  @ApiProblemResponses(
    problemSample(
      400,
      'validation-failed',
      'The request has invalid fields',
      'streamId is missing (check every stream with POST /admin/integrity/checks), empty or too long',
    ),
    notFound(new StreamNotFound('shopping-cart-3f1c3b0e-2a47-4d6c-9a57-3e8c1b2f0d11'), 'streamId names no stream'),
    503,
  )
  async check(@Query() { streamId }: IntegrityQuery): Promise<IntegrityReportResponse> {
    if (streamId === undefined) {
      throw new RequestValidationFailed([{ field: 'streamId', messages: [STREAM_REQUIRED] }]);
    }
    const streamIds = await this.verifier.streamsNamed(streamId);
    if (streamIds.length === 0) throw new StreamNotFound(streamId);
    return this.verifier.verify({ streamIds });
  }
}
