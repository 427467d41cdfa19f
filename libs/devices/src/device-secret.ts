import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const newDeviceSecret = (): string => randomBytes(32).toString('base64url');

export const hashDeviceSecret = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

export function deviceSecretMatches(secret: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const actual = Buffer.from(hashDeviceSecret(secret));
  const expected = Buffer.from(storedHash);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// Crockford's base32 without I, L, O, U: read aloud or typed from a label without confusion.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A code printed with the device, e.g. `K7QM-2XPD-9HTA` (60 random bits). */
export function newRegistrationCode(): string {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
