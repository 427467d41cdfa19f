import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** What one audit entry chains: never the patient's id, only their pseudonym (`subject`). */
export interface ChainedContent {
  at: Date;
  actorId: string;
  actorRole: string;
  action: string;
  serialNumber: string | null;
  subject: string | null;
  fields: string[];
}

/** The entry's hash covers the previous entry's hash and its own content, in a fixed order. */
export function chainHash(prevHash: string, content: ChainedContent): string {
  const canonical = JSON.stringify([
    content.at.toISOString(),
    content.actorId,
    content.actorRole,
    content.action,
    content.serialNumber,
    content.subject,
    content.fields,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}
