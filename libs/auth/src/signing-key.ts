import { createHash, createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JwtModuleOptions, JwtSecretRequestType } from '@nestjs/jwt';
import type { AppConfig } from '@poc/config';

export interface SigningKey {
  /** Key id in each token's header: a digest of the key, so it names the key without revealing it. */
  kid: string;
  /** A KeyObject, made once: given a string, jsonwebtoken tries to parse it as a public key on every verify (0.4 ms). */
  key: KeyObject;
}

const toSigningKey = (secret: string): SigningKey => ({
  kid: createHash('sha256').update(secret).digest('base64url').slice(0, 16),
  key: createSecretKey(Buffer.from(secret, 'utf8')),
});

/** JWT_SECRET when configured; for local runs a random key generated once and kept under DATA_DIR. */
function currentSecret(config: Pick<AppConfig, 'JWT_SECRET' | 'DATA_DIR'>): string {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  const file = join(config.DATA_DIR, 'jwt-signing.key');
  if (!existsSync(file)) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * The key new tokens are signed with, and the keys tokens are verified with: the current one and the
 * previous ones still accepted while their tokens live out (rotation: set JWT_SECRET to a new key and
 * move the old one to JWT_PREVIOUS_SECRETS for one access-token lifetime).
 */
function signingKeys(config: Pick<AppConfig, 'JWT_SECRET' | 'JWT_PREVIOUS_SECRETS' | 'DATA_DIR'>): {
  current: SigningKey;
  byKid: Map<string, KeyObject>;
} {
  const current = toSigningKey(currentSecret(config));
  const previous = (config.JWT_PREVIOUS_SECRETS ?? '').split(',').filter(Boolean).map(toSigningKey);
  return { current, byKid: new Map([current, ...previous].map((k) => [k.kid, k.key])) };
}

/** The key id in a token's header, or '' when it has none or is not a token. */
function kidOf(token: unknown): string {
  if (typeof token !== 'string') return '';
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : '';
  } catch {
    return '';
  }
}

/** HS256 access tokens signed with the current key, verified with the key their header names. */
export function jwtOptions(config: AppConfig): JwtModuleOptions {
  const { current, byKid } = signingKeys(config);
  // A token naming no key held here gets a key that verifies nothing.
  const unknown = createSecretKey(randomBytes(32));
  return {
    secretOrKeyProvider: (type: JwtSecretRequestType, token: unknown) =>
      type === JwtSecretRequestType.SIGN ? current.key : (byKid.get(kidOf(token)) ?? unknown),
    signOptions: { algorithm: 'HS256', keyid: current.kid },
  };
}
