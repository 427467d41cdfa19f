import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal } from '@poc/auth';
import { DataSource, EntityManager } from 'typeorm';
import { chainHash, GENESIS_HASH } from './audit-chain';
import { AuditRepository, DisclosureRow } from './audit.repository';

/** One disclosure of patient data in a response: which device, whose data, which fields. */
export interface Disclosure {
  serialNumber: string | null;
  /** Left out: the patient linked to the device at the time of the read. */
  patientId?: string | null;
  fields: readonly string[];
}

export interface ChainVerdict {
  valid: boolean;
  entries: number;
  /** The first entry whose link or content does not match, when the chain is broken. */
  firstBreak?: { id: string; reason: 'prev_hash' | 'hash' };
}

const VERIFY_PAGE = 5000;

/**
 * The audit trail of every read or export of patient data: a hash chain whose entries name the
 * actor, the action, the device and the patient's pseudonym. Appends happen in the read's own
 * transaction (or before the response leaves), so no data is disclosed without its entry.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** Records disclosures made to `actor`, in `tx` when given, else in a transaction of its own. */
  async record(actor: Principal, action: string, disclosures: Disclosure[], tx?: EntityManager): Promise<void> {
    const entries = disclosures.map((d) => ({
      actorId: actor.userId,
      actorRole: actor.role,
      action,
      serialNumber: d.serialNumber,
      patientId: d.patientId,
      fields: d.fields,
    }));
    if (tx) return this.repository.append(tx, entries);
    await this.db.transaction((own) => this.repository.append(own, entries));
  }

  /** Records the same fields disclosed for each of several devices (a list or search response). */
  recordEach(
    actor: Principal,
    action: string,
    rows: Array<{ serialNumber: string; patientId: string | null }>,
    fields: readonly string[],
  ): Promise<void> {
    return this.record(
      actor,
      action,
      rows.map((r) => ({ serialNumber: r.serialNumber, patientId: r.patientId, fields })),
    );
  }

  /** Recomputes the whole chain, page by page (memory stays flat however long the log). */
  async verify(): Promise<ChainVerdict> {
    let prevHash = GENESIS_HASH;
    let lastId = '0';
    let entries = 0;
    for (;;) {
      const page = await this.repository.entriesAfter(lastId, VERIFY_PAGE);
      for (const entry of page) {
        entries++;
        if (entry.prevHash !== prevHash)
          return { valid: false, entries, firstBreak: { id: entry.id, reason: 'prev_hash' } };
        if (chainHash(prevHash, entry) !== entry.hash) {
          return { valid: false, entries, firstBreak: { id: entry.id, reason: 'hash' } };
        }
        prevHash = entry.hash;
        lastId = entry.id;
      }
      if (page.length < VERIFY_PAGE) return { valid: true, entries };
    }
  }

  /** The accounting of disclosures for a device or a patient, newest first. */
  disclosures(filter: { serialNumber?: string; patientId?: string }, limit: number): Promise<DisclosureRow[]> {
    return this.repository.disclosures(filter, limit);
  }
}
