import { DomainError } from '@poc/common';
import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

// Addresses a delivery never reaches unless the host is allowed by name: loopback, private, link-local,
// shared and unspecified ranges (a webhook is no way into the service's own network).
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 3],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv6');

const isInternal = (address: string): boolean => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return INTERNAL.check(mapped[1], 'ipv4');
  return INTERNAL.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
};

/** Where deliveries may go: HTTPS to public addresses; plain HTTP and internal addresses only to allowed hosts. */
export class WebhookTargets {
  private readonly allowed: Set<string>;

  constructor(allowedHosts: string) {
    this.allowed = new Set(
      allowedHosts
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    );
  }

  /** The URL as registered, or a clear refusal. */
  check(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new DomainError('invalid', 'url must be an absolute https URL', 'url');
    }
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const allowed = this.allowed.has(host);
    if (url.protocol !== 'https:' && !(allowed && url.protocol === 'http:')) {
      throw new DomainError('invalid', 'url must use https', 'url');
    }
    if (url.username || url.password) throw new DomainError('invalid', 'url must not carry credentials', 'url');
    if (!allowed && (host === 'localhost' || (isIP(host) && isInternal(host)))) {
      throw new DomainError('invalid', 'url must reach a public address', 'url');
    }
    return url;
  }

  /** A DNS lookup for the delivery's connection that refuses internal addresses (checked as connected, not as registered). */
  lookupFor(url: URL) {
    const allowed = this.allowed.has(url.hostname.replace(/^\[|\]$/g, '').toLowerCase());
    return (
      hostname: string,
      options: LookupOptions,
      callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
    ): void => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, []);
        const usable = allowed ? addresses : addresses.filter((a) => !isInternal(a.address));
        if (usable.length === 0) {
          return callback(
            Object.assign(new Error(`${hostname} resolves to an internal address`), { code: 'EREFUSED' }),
            [],
          );
        }
        if (options.all) return callback(null, usable);
        callback(null, usable[0].address, usable[0].family);
      });
    };
  }
}
