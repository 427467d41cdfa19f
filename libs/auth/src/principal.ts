import type { Role } from './role';

/** The signed-in caller, as the access guard puts it on the request. */
export interface Principal {
  userId: string;
  role: Role;
  providerId: string | null;
  sessionId: string;
  /** When the caller last proved their password (refreshing a token does not move it). */
  signedInAt: Date;
}
