import { deviceSecretMatches, hashDeviceSecret, newDeviceSecret, newRegistrationCode } from './device-secret';

describe('device secrets', () => {
  it('match only the secret they were hashed from', () => {
    const secret = newDeviceSecret();
    const hash = hashDeviceSecret(secret);
    expect(hash).not.toContain(secret);
    expect(deviceSecretMatches(secret, hash)).toBe(true);
    expect(deviceSecretMatches(newDeviceSecret(), hash)).toBe(false);
    expect(deviceSecretMatches(secret, null)).toBe(false);
  });

  it('registration codes are three groups of four unambiguous characters', () => {
    const codes = new Set(Array.from({ length: 1000 }, newRegistrationCode));
    expect(codes.size).toBe(1000);
    for (const code of codes)
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });
});
