import { DomainError } from '@poc/common';
import type { Principal } from './principal';

/** How recent a password sign-in must be for an act that cannot be undone or hands over everything. */
export const STEP_UP_SECONDS = 5 * 60;

/**
 * Asks for the password again (a fresh sign-in) before an export or an erasure request: a token stolen or
 * left on a shared device must not be enough to take, or erase, everything held about a patient.
 */
export function requireRecentSignIn(caller: Principal, now = Date.now()): void {
  if (now - caller.signedInAt.getTime() > STEP_UP_SECONDS * 1000) {
    throw new DomainError('step_up_required', 'Sign in with your password again (within 5 minutes) to do this');
  }
}
