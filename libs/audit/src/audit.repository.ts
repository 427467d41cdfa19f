import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { preparedQuery } from '@poc/db';
import { DataSource } from 'typeorm';
import {
  ACCOUNTING,
  AFFECTED_BY_ACTOR,
  ALL_DISCLOSURES_OF_SUBJECT,
  APPEND,
  CHAIN_START,
  ENTRIES_BEFORE,
  ENTRIES_AFTER,
  NEWEST_ENTRY,
  PSEUDONYM_OF,
} from './audit.sql';

const FIRST_WINDOW = 100;

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
  /** Why, when the action stated it. */
  purpose: string | null;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Appends one chained entry for an action and everything it disclosed, in one statement. */
  async append(actor: AuditActor, action: string, disclosures: Disclosure[], purpose?: string): Promise<void> {
    if (disclosures.length === 0) return;
    // JSON leaves out an undefined patientId: the database then looks up the device's patient.
    const values = [actor.id, actor.role, action, JSON.stringify(disclosures), purpose ?? null];
    await preparedQuery(this.db, 'audit_append', APPEND, values);
  }

  /** Where the chain now starts: after the entries the maintenance role dropped, or null (the genesis). */
  async chainStart(): Promise<{ afterId: string; prevHash: string } | null> {
    const [row] = await this.db.query(CHAIN_START);
    return row ?? null;
  }

  async countBefore(cutoff: Date): Promise<number> {
    const [{ n }] = await this.db.query(ENTRIES_BEFORE, [cutoff]);
    return n;
  }

  linksAfter(id: string, limit: number): Promise<StoredAuditLink[]> {
    return this.db.query(ENTRIES_AFTER, [id, limit]);
  }

  async disclosures(filter: { serialNumber?: string; patientId?: string }, limit: number): Promise<DisclosureRow[]> {
    if (filter.serialNumber) return this.newestFirst('serialNumber', filter.serialNumber, limit);
    const [subject] = await this.db.query(PSEUDONYM_OF, [filter.patientId]);
    return subject ? this.newestFirst('subject', subject.pseudonym, limit) : [];
  }

  affectedBy(
    actorId: string,
    from: Date,
    to: Date,
  ): Promise<Array<{ patientId: string | null; subject: string; disclosures: number }>> {
    return this.db.query(AFFECTED_BY_ACTOR, [actorId, from, to]);
  }

  /** Every disclosure of the patient, newest first, a page of up to `entries` audit entries at a time. */
  async *allDisclosuresOf(patientId: string, entries: number): AsyncGenerator<DisclosureRow[]> {
    const [subject] = await this.db.query(PSEUDONYM_OF, [patientId]);
    if (!subject) return;
    let before = Number.MAX_SAFE_INTEGER.toString();
    for (;;) {
      const rows: Array<DisclosureRow & { entryId: string }> = await this.db.query(ALL_DISCLOSURES_OF_SUBJECT, [
        subject.pseudonym,
        before,
        entries,
        patientId,
      ]);
      if (rows.length === 0) return;
      yield rows.map(({ entryId: _entryId, ...row }) => row);
      before = rows[rows.length - 1].entryId;
    }
  }

  /**
   * Newest first, in windows of entry ids that grow fourfold while they find too little: a device named
   * in every entry is answered from the newest hundred entries, one named rarely by a few index searches,
   * never by reading every entry that names it (each holds a whole page of devices).
   */
  private async newestFirst(filter: 'serialNumber' | 'subject', key: string, limit: number) {
    const rows: DisclosureRow[] = [];
    const [{ id: newest }] = await this.db.query(NEWEST_ENTRY);
    for (let upTo = newest, width = FIRST_WINDOW; upTo > 0 && rows.length < limit; width *= 4) {
      const from = Math.max(0, upTo - width);
      rows.push(...(await this.db.query(ACCOUNTING(filter), [key, limit - rows.length, from, upTo])));
      upTo = from;
    }
    return rows;
  }
}
