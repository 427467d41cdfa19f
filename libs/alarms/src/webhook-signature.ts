import { createHmac } from 'node:crypto';

/**
 * The `X-Signature` of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, keyed with the
 * webhook's secret (as Stripe signs): the receiver recomputes it over the raw body, compares in constant
 * time, and refuses a timestamp older than a few minutes (a replayed capture).
 */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
