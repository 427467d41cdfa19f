import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ChainedContent, chainHash, GENESIS_HASH } from './audit-chain';
import {
  ACCOUNTING,
  APPEND_ENTRIES,
  ENTRIES_AFTER,
  LOCK_HEAD_AND_SUBJECTS,
  PSEUDONYM_OF,
  PSEUDONYMS_OF,
} from './audit.sql';

export interface NewAuditEntry {
  actorId: string;
  actorRole: string;
  action: string;
  serialNumber: string | null;
  /** The patient whose data it is; left out, the patient linked to the device now (looked up in the append). */
  patientId?: string | null;
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

  /** Appends entries to the chain inside the caller's transaction, in two statements. */
  async append(tx: EntityManager, entries: NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // A patient acting (reading their own data) is logged by pseudonym too, so erasing them leaves no id.
    const isPatient = (e: NewAuditEntry) => e.actorRole === 'patient';
    const lookUp = entries.flatMap((e) => (e.patientId === undefined && e.serialNumber ? [e.serialNumber] : []));
    const named = [
      ...new Set(entries.flatMap((e) => [...(e.patientId ? [e.patientId] : []), ...(isPatient(e) ? [e.actorId] : [])])),
    ];
    const found: Array<{ kind: 'head' | 'owner' | 'pseudonym'; key: string; value: string }> = await tx.query(
      LOCK_HEAD_AND_SUBJECTS,
      [lookUp, named],
    );
    const owners = new Map(found.filter((r) => r.kind === 'owner').map((r) => [r.key, r.value]));
    const pseudonyms = new Map(found.filter((r) => r.kind === 'pseudonym').map((r) => [r.key, r.value]));
    const patientOf = (e: NewAuditEntry) =>
      e.patientId === undefined ? (e.serialNumber && owners.get(e.serialNumber)) || null : e.patientId;
    const missing = [...new Set([...owners.values(), ...named])].filter((id) => !pseudonyms.has(id));
    if (missing.length > 0) {
      for (const r of await tx.query(PSEUDONYMS_OF, [missing])) pseudonyms.set(r.patient_id, r.pseudonym);
    }
    let prevHash = found.find((r) => r.kind === 'head')?.value ?? GENESIS_HASH;
    const at = new Date();
    const rows = entries.map((entry) => {
      const patientId = patientOf(entry);
      const content: ChainedContent = {
        at,
        actorId: isPatient(entry) ? (pseudonyms.get(entry.actorId) as string) : entry.actorId,
        actorRole: entry.actorRole,
        action: entry.action,
        serialNumber: entry.serialNumber,
        subject: patientId ? (pseudonyms.get(patientId) ?? null) : null,
        fields: [...entry.fields],
      };
      const row = { ...content, prevHash, hash: chainHash(prevHash, content) };
      prevHash = row.hash;
      return row;
    });
    await tx.query(APPEND_ENTRIES, [
      at,
      rows.map((r) => r.actorId),
      rows.map((r) => r.actorRole),
      rows.map((r) => r.action),
      rows.map((r) => r.serialNumber),
      rows.map((r) => r.subject),
      rows.map((r) => r.fields.join(',')),
      rows.map((r) => r.prevHash),
      rows.map((r) => r.hash),
      prevHash,
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
