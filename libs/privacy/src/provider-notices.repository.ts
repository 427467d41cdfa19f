import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NoticeKind, ProviderNotice } from './provider-notice';

/** A notice as the request's outcome records it: to whom it went. */
export interface SentNotice {
  id: string;
  providerId: string;
  serialNumber: string;
}

// One notice per device the patient holds that a provider supplied.
const NOTIFY = `
  INSERT INTO provider_notices (provider_id, serial_number, kind)
  SELECT supplied_by, serial_number, $2 FROM devices WHERE patient_id = $1 AND supplied_by IS NOT NULL
  RETURNING id::text, provider_id AS "providerId", serial_number AS "serialNumber"`;

// Ordered by the table's id, not the text id of the output (an unqualified ORDER BY id would sort '10' before
// '9' and skip notices across pages).
const FEED = `
  SELECT n.id::text, n.serial_number AS "serialNumber", n.kind, n.at FROM provider_notices n
   WHERE n.provider_id = $1 AND n.id > $2 ORDER BY n.id LIMIT $3`;

@Injectable()
export class ProviderNoticesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Tells every provider that supplied one of the patient's devices (in the caller's transaction when given). */
  notify(patientId: string, kind: NoticeKind, tx: EntityManager = this.db.manager): Promise<SentNotice[]> {
    return tx.query(NOTIFY, [patientId, kind]);
  }

  feed(providerId: string, afterId: string, limit: number): Promise<ProviderNotice[]> {
    return this.db.query(FEED, [providerId, afterId, limit]);
  }
}
