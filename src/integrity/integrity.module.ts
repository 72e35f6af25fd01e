import { Module } from '@nestjs/common';
import { IntegrityChecksController } from './http/integrity-checks.controller';
import { IntegrityController } from './http/integrity.controller';
import { IntegrityChecks } from './integrity-checks';
import { IntegrityVerifier } from './integrity-verifier';

/**
 * The tamper-evidence check of the event log, for operators: one stream at once (`GET /admin/integrity`),
 * the whole log as a background job (`POST /admin/integrity/checks`), or `npm run verify`.
 */
@Module({
  controllers: [IntegrityController, IntegrityChecksController],
  providers: [IntegrityVerifier, IntegrityChecks],
})
export class IntegrityModule {}
