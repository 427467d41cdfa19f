import { createHash, timingSafeEqual } from 'node:crypto';

/** Two shared secrets compared in constant time: as digests, so lengths match and nothing exits early. */
export function secretsEqual(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
