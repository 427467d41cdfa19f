// Plain types, no framework: the provider portal renders these too.

export const NOTICE_KINDS = ['erasure', 'restriction', 'restriction_lifted', 'rectification'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What a provider is told: the device, what happened, when. Never who. */
export interface ProviderNotice {
  id: string;
  serialNumber: string;
  kind: NoticeKind;
  at: Date;
}
