import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonalDataVault } from './personal-data-vault';

/**
 * Stops the start when the master key wrapped none of the stored data keys: better than a service that
 * answers every read of personal data with an error and wraps new keys under a second master key.
 * Runs once the migrations have created the key table (they run as the data source starts), before any
 * subscription reads.
 */
@Injectable()
export class MasterKeyCheck implements OnModuleInit {
  constructor(private readonly vault: PersonalDataVault) {}

  onModuleInit(): Promise<void> {
    return this.vault.checkMasterKey();
  }
}
