export const ROLES = ['patient', 'provider', 'support', 'field_service', 'privacy_officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const INTERNAL_ROLES: readonly Role[] = ['support', 'field_service', 'privacy_officer', 'admin'];
