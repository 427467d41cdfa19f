import { DomainError } from './domain.error';

/** A page's cursor over rows keyed by a numeric id: the last row's id, opaque to the client. */
export const encodeIdCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

/** The id a cursor this API gave stands for; `fallback` when none was given. */
export function decodeIdCursor(cursor: string | undefined, fallback: string): string {
  if (cursor === undefined) return fallback;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,18}$/.test(id)) throw new DomainError('invalid', 'cursor is not one this API gave', 'cursor');
  return id;
}
