import { Injectable } from '@nestjs/common';
import type { Principal } from '@poc/auth';
import { AuditRepository, Disclosure, DisclosureRow } from './audit.repository';

export interface ChainVerdict {
  valid: boolean;
  entries: number;
  /** The first entry whose link or content does not match, when the chain is broken. */
  firstBreak?: { id: string; reason: 'prev_hash' | 'hash' };
}

const VERIFY_PAGE = 5000;
const GENESIS_HASH = '0'.repeat(64);

/**
 * The audit trail of every read or export of patient data: a hash chain with one entry per read,
 * naming the actor, the action and, for each device disclosed, the patient's pseudonym and the
 * fields. Callers record before the response leaves, so no data is disclosed without its entry.
 */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  /** Records the disclosures of one action by `actor` as one entry, with why when the action states it. */
  record(actor: Principal, action: string, disclosures: Disclosure[], purpose?: string): Promise<void> {
    return this.repository.append({ id: actor.userId, role: actor.role }, action, disclosures, purpose);
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
      const page = await this.repository.linksAfter(lastId, VERIFY_PAGE);
      for (const entry of page) {
        entries++;
        if (entry.prevHash !== prevHash)
          return { valid: false, entries, firstBreak: { id: entry.id, reason: 'prev_hash' } };
        if (entry.recomputed !== entry.hash) {
          return { valid: false, entries, firstBreak: { id: entry.id, reason: 'hash' } };
        }
        prevHash = entry.hash;
        lastId = entry.id;
      }
      if (page.length < VERIFY_PAGE) return { valid: true, entries };
    }
  }

  /** All of a patient's accounting of disclosures, newest first, page by page (their export: no cap). */
  allDisclosuresOf(patientId: string): AsyncGenerator<DisclosureRow[]> {
    return this.repository.allDisclosuresOf(patientId, 1000);
  }

  /** The accounting of disclosures for a device or a patient, newest first. */
  disclosures(filter: { serialNumber?: string; patientId?: string }, limit: number): Promise<DisclosureRow[]> {
    return this.repository.disclosures(filter, limit);
  }
}
