import { Injectable } from '@nestjs/common';
import { fromDbTime, sql, toDbTime } from '../../event-sourcing/typeorm/sql';
import { Transactions } from '../../event-sourcing/typeorm/transactions';

export interface ParkedMessage {
  consumer: string;
  /** The message's sequence in its JetStream stream. */
  sequence: number;
  /** The CloudEvent id and type, when the message had them. */
  messageId: string | null;
  type: string | null;
  subject: string;
  body: string;
  error: string;
  attempts: number;
  parkedAt: Date;
}

/** Inbound messages that can never succeed, with their body, in the same database as the events. */
@Injectable()
export class ParkedMessages {
  constructor(private readonly transactions: Transactions) {}

  private sql(text: string): string {
    return sql(this.transactions.engine, text);
  }

  async park(message: Omit<ParkedMessage, 'parkedAt'>): Promise<void> {
    await this.transactions.write((manager) =>
      manager.query(
        this.sql(
          `INSERT INTO parked_messages (consumer, sequence, message_id, type, subject, body, error, attempts, parked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (consumer, sequence) DO UPDATE SET error = excluded.error, attempts = excluded.attempts`,
        ),
        [
          message.consumer,
          message.sequence,
          message.messageId,
          message.type,
          message.subject,
          message.body,
          message.error.slice(0, 2000),
          message.attempts,
          toDbTime(this.transactions.engine, new Date()),
        ],
      ),
    );
  }

  async unpark(consumer: string, sequence: number): Promise<void> {
    await this.transactions.write((manager) =>
      manager.query(this.sql('DELETE FROM parked_messages WHERE consumer = ? AND sequence = ?'), [consumer, sequence]),
    );
  }

  async list(consumer?: string): Promise<ParkedMessage[]> {
    const rows = await this.transactions.read((manager) =>
      manager.query<Record<string, unknown>[]>(
        this.sql(
          `SELECT consumer, sequence, message_id, type, subject, body, error, attempts, parked_at FROM parked_messages
           ${consumer === undefined ? '' : 'WHERE consumer = ?'} ORDER BY consumer, sequence`,
        ),
        consumer === undefined ? [] : [consumer],
      ),
    );
    return rows.map((row) => ({
      consumer: String(row.consumer),
      sequence: Number(row.sequence),
      messageId: typeof row.message_id === 'string' ? row.message_id : null,
      type: typeof row.type === 'string' ? row.type : null,
      subject: String(row.subject),
      body: String(row.body),
      error: String(row.error),
      attempts: Number(row.attempts),
      parkedAt: fromDbTime(row.parked_at),
    }));
  }
}
