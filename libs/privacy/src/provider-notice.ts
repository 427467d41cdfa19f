// Plain types, no framework: the provider portal renders these too.

export type NoticeKind = 'erasure' | 'restriction' | 'restriction_lifted' | 'rectification';

/** What a provider is told: the device, what happened, when. Never who. */
export interface ProviderNotice {
  id: string;
  serialNumber: string;
  kind: NoticeKind;
  at: Date;
}
