import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { preparedQuery } from '@poc/db';
import { DataSource } from 'typeorm';
import { ACCOUNTING, APPEND, ENTRIES_AFTER, PSEUDONYM_OF } from './audit.sql';

export interface AuditActor {
  id: string;
  role: string;
}

/** One disclosure of patient data in a response: which device, whose data, which fields. */
export interface Disclosure {
  serialNumber: string | null;
  /** The patient whose data it is; left out, the patient linked to the device now (looked up in the append). */
  patientId?: string | null;
  fields: readonly string[];
}

/** A stored entry's links, and its hash as recomputed from its stored content. */
export interface StoredAuditLink {
  id: string;
  prevHash: string;
  hash: string;
  recomputed: string;
}

export interface DisclosureRow {
  at: Date;
  actor: string;
  role: string;
  action: string;
  serialNumber: string | null;
  patientId: string | null;
  fields: string[];
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Appends one chained entry for an action and everything it disclosed, in one statement. */
  async append(actor: AuditActor, action: string, disclosures: Disclosure[]): Promise<void> {
    if (disclosures.length === 0) return;
    // JSON leaves out an undefined patientId: the database then looks up the device's patient.
    await preparedQuery(this.db, 'audit_append', APPEND, [actor.id, actor.role, action, JSON.stringify(disclosures)]);
  }

  linksAfter(id: string, limit: number): Promise<StoredAuditLink[]> {
    return this.db.query(ENTRIES_AFTER, [id, limit]);
  }

  async disclosures(filter: { serialNumber?: string; patientId?: string }, limit: number): Promise<DisclosureRow[]> {
    if (filter.serialNumber) return this.db.query(ACCOUNTING('serialNumber'), [filter.serialNumber, limit]);
    const [subject] = await this.db.query(PSEUDONYM_OF, [filter.patientId]);
    return subject ? this.db.query(ACCOUNTING('subject'), [subject.pseudonym, limit]) : [];
  }
}
