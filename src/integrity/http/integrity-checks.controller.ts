import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole, Role } from '../../auth/roles';
import { ApiProblemResponses, notFound } from '../../http/api-problem-responses.decorator';
import { IntegrityCheck, IntegrityChecks } from '../integrity-checks';
import { IntegrityCheckNotFound } from '../integrity.errors';
import { IntegrityCheckResponse } from './integrity-check-responses';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How soon a client should poll a running check again. */
const POLL_AFTER_S = 2;

/** Full scans of the log's hash chains, as background jobs an operator starts and polls. */
@ApiTags('admin')
@Controller('admin/integrity/checks')
@RequireRole(Role.Admin)
export class IntegrityChecksController {
  constructor(private readonly checks: IntegrityChecks) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: "Start a check of every stream's hash chain in the background",
    description:
      'Answers at once with 202 and a `Location` to poll (`GET /admin/integrity/checks/{id}`): a full scan ' +
      'takes as long as the log is big. For one stream, `GET /admin/integrity?streamId=` answers directly.',
  })
  @ApiAcceptedResponse({
    type: IntegrityCheckResponse,
    headers: { Location: { description: 'Where to poll the check', schema: { type: 'string' } } },
  })
  @ApiProblemResponses(503)
  async start(@Res({ passthrough: true }) response: Response): Promise<IntegrityCheckResponse> {
    const id = await this.checks.start();
    response.setHeader('Location', `/admin/integrity/checks/${id}`);
    response.setHeader('Retry-After', String(POLL_AFTER_S));
    return view((await this.checks.find(id))!);
  }

  @Get(':id')
  @ApiOperation({
    summary: "A check's state: running (with its progress), done (with the report), failed or interrupted",
  })
  @ApiOkResponse({ type: IntegrityCheckResponse })
  @ApiProblemResponses(
    notFound(new IntegrityCheckNotFound('0d0b8f8e-6c1a-4f59-9a59-2f6b1a7f3c11'), 'No check has this id'),
    503,
  )
  async find(@Param('id') id: string, @Res({ passthrough: true }) response: Response): Promise<IntegrityCheckResponse> {
    const check = UUID.test(id) ? await this.checks.find(id.toLowerCase()) : undefined;
    if (check === undefined) throw new IntegrityCheckNotFound(id.slice(0, 100));
    if (check.status === 'running') response.setHeader('Retry-After', String(POLL_AFTER_S));
    return view(check);
  }
}

function view(check: IntegrityCheck): IntegrityCheckResponse {
  return {
    ...check,
    requestedAt: check.requestedAt.toISOString(),
    finishedAt: check.finishedAt?.toISOString() ?? null,
  };
}
