import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { metadataOf } from '../../event-sourcing/command-context';
import { ANY_VERSION, EventStore } from '../../event-sourcing/event-store';
import { PersonalDataNotHeld } from '../../event-sourcing/personal-data/personal-data.errors';
import { PersonalDataVault } from '../../event-sourcing/personal-data/personal-data-vault';
import { WalScrubber } from '../../event-sourcing/personal-data/wal-scrubber';
import { ClusterCoordinator } from '../../event-sourcing/typeorm/cluster-coordinator';
import { Transactions } from '../../event-sourcing/typeorm/transactions';
import { CustomerPersonalDataErased, customerStreamId } from '../domain/customer.events';
import { ErasePersonalData, ErasureResult } from './erase-personal-data.command';

/** Who erased, when authentication is off and no token names the caller. */
const UNAUTHENTICATED = 'anonymous';

/**
 * The key goes and the audit event comes in one transaction: there is never an erasure without its
 * record, nor a record of an erasure that did not happen. Read models drop their copies on the event.
 */
@CommandHandler(ErasePersonalData)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalData> {
  constructor(
    private readonly transactions: Transactions,
    private readonly vault: PersonalDataVault,
    private readonly events: EventStore,
    private readonly walScrubber: WalScrubber,
    private readonly coordinator: ClusterCoordinator,
  ) {}

  async execute({ customerId, reason, context }: ErasePersonalData): Promise<ErasureResult> {
    const result = await this.transactions.write(async () => {
      if ((await this.vault.destroyKeys(customerId)) === 0) throw new PersonalDataNotHeld(customerId);
      const erased = new CustomerPersonalDataErased(customerId, reason, context.actor ?? UNAUTHENTICATED);
      const { positions } = await this.events.append(customerStreamId(customerId), ANY_VERSION, [erased], {
        metadata: metadataOf(context),
      });
      return { customerId, position: positions[0]! };
    });
    // The append announced itself from inside the transaction: again now that other instances can see it.
    this.coordinator.announceAppend();
    // In the background: read models first drop their copies, then SQLite's WAL loses the old pages.
    void this.walScrubber.scrubAfter(result.position);
    return result;
  }
}
