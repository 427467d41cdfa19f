import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ChainedContent, chainHash, GENESIS_HASH } from './audit-chain';
import {
  ACCOUNTING,
  AUDIT_CHAIN_LOCK,
  ENTRIES_AFTER,
  INSERT_ENTRIES,
  LAST_HASH_AND_PSEUDONYMS,
  NEW_PSEUDONYMS,
  PSEUDONYM_OF,
} from './audit.sql';

export interface NewAuditEntry {
  actorId: string;
  actorRole: string;
  action: string;
  serialNumber: string | null;
  patientId: string | null;
  fields: readonly string[];
}

export interface StoredAuditEntry extends ChainedContent {
  id: string;
  prevHash: string;
  hash: string;
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

  /** Appends entries to the chain inside the caller's transaction. */
  async append(tx: EntityManager, entries: NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // A patient acting (reading their own data) is logged by pseudonym too, so erasing them leaves no id.
    const isPatient = (e: NewAuditEntry) => e.actorRole === 'patient';
    const patients = [
      ...new Set(entries.flatMap((e) => [...(e.patientId ? [e.patientId] : []), ...(isPatient(e) ? [e.actorId] : [])])),
    ];
    await tx.query(AUDIT_CHAIN_LOCK);
    const found: Array<{ patient_id: string | null; pseudonym: string; hash: string | null }> = await tx.query(
      LAST_HASH_AND_PSEUDONYMS,
      [patients],
    );
    const pseudonyms = new Map(found.flatMap((r) => (r.patient_id ? [[r.patient_id, r.pseudonym] as const] : [])));
    const missing = patients.filter((id) => !pseudonyms.has(id));
    if (missing.length > 0) {
      for (const r of await tx.query(NEW_PSEUDONYMS, [missing])) pseudonyms.set(r.patient_id, r.pseudonym);
    }
    let prevHash = found.find((r) => r.patient_id === null)?.hash ?? GENESIS_HASH;
    const at = new Date();
    const rows = entries.map((entry) => {
      const content: ChainedContent = {
        at,
        actorId: isPatient(entry) ? (pseudonyms.get(entry.actorId) as string) : entry.actorId,
        actorRole: entry.actorRole,
        action: entry.action,
        serialNumber: entry.serialNumber,
        subject: entry.patientId ? (pseudonyms.get(entry.patientId) ?? null) : null,
        fields: [...entry.fields],
      };
      const row = { ...content, prevHash, hash: chainHash(prevHash, content) };
      prevHash = row.hash;
      return row;
    });
    await tx.query(INSERT_ENTRIES, [
      rows.map((r) => r.at),
      rows.map((r) => r.actorId),
      rows.map((r) => r.actorRole),
      rows.map((r) => r.action),
      rows.map((r) => r.serialNumber),
      rows.map((r) => r.subject),
      rows.map((r) => r.fields.join(',')),
      rows.map((r) => r.prevHash),
      rows.map((r) => r.hash),
    ]);
  }

  entriesAfter(id: string, limit: number): Promise<StoredAuditEntry[]> {
    return this.db.query(ENTRIES_AFTER, [id, limit]);
  }

  async disclosures(filter: { serialNumber?: string; patientId?: string }, limit: number): Promise<DisclosureRow[]> {
    if (filter.serialNumber) return this.db.query(ACCOUNTING('serial_number'), [filter.serialNumber, limit]);
    const [subject] = await this.db.query(PSEUDONYM_OF, [filter.patientId]);
    return subject ? this.db.query(ACCOUNTING('subject'), [subject.pseudonym, limit]) : [];
  }
}
