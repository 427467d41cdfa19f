import { randomBytes, scrypt as scryptCallback, ScryptOptions, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

// scrypt is memory-hard and built into Node (no native add-on to build). N=2^17, r=8, p=1 is OWASP's
// current minimum: 128 MiB and some 600 ms per hash on this 2-core VM (`npm run bench:password`). The
// parameters travel with each hash, so older hashes still verify and are made again at the next sign-in.
export const OWASP_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, { N, r, p }: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 2 * 128 * N * r };
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, params: ScryptParams = OWASP_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algorithm, N, r, p, salt, key] = stored.split('$');
  if (algorithm !== 'scrypt' || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), { N: +N, r: +r, p: +p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Whether a stored hash was made with weaker parameters than `params` (then it is made again). */
export const isOutdated = (stored: string, params: ScryptParams = OWASP_SCRYPT): boolean => {
  const [, N, r, p] = stored.split('$');
  return +N < params.N || +r < params.r || +p < params.p;
};

/**
 * Verified against when the username is unknown, so the response time does not reveal which usernames
 * exist: a hash nothing matches, made with the parameters real ones are made with.
 */
export const unknownUserHash = ({ N, r, p }: ScryptParams): string =>
  `scrypt$${N}$${r}$${p}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;
