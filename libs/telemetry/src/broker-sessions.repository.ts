import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

const RECORD = `
  INSERT INTO broker_sessions (client_id, serial_number, credentials) VALUES ($1, $2, $3)
  ON CONFLICT (client_id) DO UPDATE SET serial_number = EXCLUDED.serial_number,
                                        credentials = EXCLUDED.credentials, signed_in_at = now()`;
const SIGNED_IN_WITH = `
  SELECT s.credentials, d.secret_hash AS current FROM broker_sessions s JOIN devices d USING (serial_number)
   WHERE s.client_id = $1 AND s.serial_number = $2`;

const digestOf = (version: string): string => createHash('sha256').update(version).digest('hex');

/** Which credentials each client id signed in with through the broker hook (table broker_sessions). */
@Injectable()
export class BrokerSessionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async signedIn(clientId: string, serial: string, version: string): Promise<void> {
    await this.db.query(RECORD, [clientId, serial, digestOf(version)]);
  }

  /** Whether this client id signed in as this device with the credentials the device has now. */
  async isCurrent(clientId: string, serial: string): Promise<boolean> {
    const [row]: Array<{ credentials: string; current: string | null }> = await this.db.query(SIGNED_IN_WITH, [
      clientId,
      serial,
    ]);
    return row !== undefined && row.current !== null && digestOf(row.current) === row.credentials;
  }
}
