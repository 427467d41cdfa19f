import { hashPassword, isOutdated, OWASP_SCRYPT, unknownUserHash, verifyPassword } from './password.hasher';

describe('password hasher', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$/); // OWASP's minimum: N=2^17, r=8, p=1
    expect(hash).not.toContain('correct horse');
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterz', hash)).resolves.toBe(false);
  });

  it('still verifies a hash made with weaker parameters, and calls it outdated', async () => {
    const older = await hashPassword('an older password');
    expect(isOutdated(older)).toBe(false);
    const [, , r, p, salt] = older.split('$');
    // The same password under N=2^15 (the parameters before): verifiable, to be made again.
    const { scryptSync } = await import('node:crypto');
    const key = scryptSync('an older password', Buffer.from(salt, 'base64'), 32, {
      N: 2 ** 15,
      r: +r,
      p: +p,
      maxmem: 64 * 1024 * 1024,
    });
    const weaker = ['scrypt', 2 ** 15, r, p, salt, key.toString('base64')].join('$');
    await expect(verifyPassword('an older password', weaker)).resolves.toBe(true);
    expect(isOutdated(weaker)).toBe(true);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same password')).not.toEqual(await hashPassword('same password'));
  });

  it('never matches the placeholder used for unknown users', async () => {
    await expect(verifyPassword('', unknownUserHash(OWASP_SCRYPT))).resolves.toBe(false);
    await expect(verifyPassword('anything', 'not-a-hash')).resolves.toBe(false);
  });
});
