import { Module } from '@nestjs/common';
import { IntegrityController } from './http/integrity.controller';
import { IntegrityVerifier } from './integrity-verifier';

/** The tamper-evidence check of the event log, for operators (`GET /admin/integrity`, `npm run verify`). */
@Module({
  controllers: [IntegrityController],
  providers: [IntegrityVerifier],
})
export class IntegrityModule {}
