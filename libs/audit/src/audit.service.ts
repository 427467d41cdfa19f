import { Injectable } from '@nestjs/common';
import type { Principal } from '@poc/auth';
import { recordSecurityEvent } from '@poc/common';
import { AuditRepository, Disclosure, DisclosureRow } from './audit.repository';
import { IncidentsRepository } from './incidents.repository';

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
  constructor(
    private readonly repository: AuditRepository,
    private readonly incidents: IncidentsRepository,
  ) {}

  /**
   * Records the disclosures of one action by `actor` (a signed-in caller, or the user a push goes to) as one
   * entry, with why when the action states it.
   */
  record(
    actor: Pick<Principal, 'userId' | 'role'>,
    action: string,
    disclosures: Disclosure[],
    purpose?: string,
  ): Promise<void> {
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

  /**
   * Recomputes the whole chain; a break opens a security incident (once per broken entry, whichever
   * instance or schedule finds it) and counts as a security event.
   */
  async verify(): Promise<ChainVerdict> {
    const verdict = await this.recompute();
    if (verdict.firstBreak) {
      recordSecurityEvent('audit_chain_broken');
      const { id, reason } = verdict.firstBreak;
      await this.incidents.open(
        {
          kind: 'audit_chain_broken',
          summary: `The audit chain is broken at entry ${id} (${reason === 'hash' ? 'its content changed' : 'its link changed'})`,
          detail: { ...verdict.firstBreak, entriesVerified: verdict.entries },
          dedupKey: `audit_chain_broken:${id}:${reason}`,
        },
        null,
      );
    }
    return verdict;
  }

  /** For an actor and a window: the patients whose data their reads disclosed (those who may need telling). */
  async affectedBy(officer: Principal, actorId: string, from: Date, to: Date) {
    const items = await this.repository.affectedBy(actorId, from, to);
    await this.record(
      officer,
      'audit.affected',
      items.flatMap((i) => (i.patientId ? [{ serialNumber: null, patientId: i.patientId, fields: ['audit'] }] : [])),
    );
    return { actor: actorId, from, to, items };
  }

  /** Recomputes the whole chain, page by page (memory stays flat however long the log). */
  private async recompute(): Promise<ChainVerdict> {
    const start = await this.repository.chainStart();
    let prevHash = start?.prevHash ?? GENESIS_HASH;
    let lastId = start?.afterId ?? '0';
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

  /** Entries older than `cutoff`, which the maintenance role drops (the service never deletes any). */
  countBefore(cutoff: Date): Promise<number> {
    return this.repository.countBefore(cutoff);
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
