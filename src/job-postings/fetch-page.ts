// Fetching a web page a user names, without letting them reach what the server can reach and they
// cannot (SSRF): http(s) only, every address the host resolves to must be public — checked in the
// connection's own DNS lookup, so the address checked is the address connected to — again after each
// redirect (at most 3), with a time limit, a size limit, and HTML only.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Errors } from '../http/errors.ts';

export const PAGE_LIMITS = { timeoutMs: 10_000, maxBytes: 2 * 1024 * 1024, maxRedirects: 3 };

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64: reaches IPv4 addresses through a gateway
  ['64:ff9b:1::', 48], // local-use NAT64
  ['2001::', 32], // Teredo: embeds an IPv4 address
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['fc00::', 7], // unique local (AWS metadata fd00:ec2::254 among them)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed by some)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** Whether a server may connect to this address on a user's behalf. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  const lower = address.toLowerCase();
  // IPv4-mapped addresses (::ffff:a.b.c.d, which URLs write ::ffff:7f00:1) reach IPv4: judge that.
  const mapped = /^::ffff:(?:0:)?([0-9a-f:.]+)$/.exec(lower);
  if (mapped) {
    const inner = mapped[1]!.includes('.') ? mapped[1]! : hexToIpv4(mapped[1]!);
    return inner !== null && isPublicAddress(inner);
  }
  // The deprecated IPv4-compatible form (::a.b.c.d) too, refused outright.
  if (/^::[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(lower) || /^::\d+\.\d+\.\d+\.\d+$/.test(lower)) return false;
  return !blocked.check(address, 'ipv6');
}

function hexToIpv4(hex: string): string | null {
  const parts = hex.split(':');
  if (parts.length !== 2) return null;
  const value = (parseInt(parts[0]!, 16) << 16) | parseInt(parts[1]!, 16);
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

/** A DNS lookup for the connection that fails when any address of the host is not public. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    if (refused || addresses.length === 0) return callback(new Errors.UrlNotAllowed(), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

export interface FetchedPage {
  url: URL;
  html: string;
}

export interface FetchOptions {
  /** host or host:port entries let through although they are not public (CRAWL_ALLOWED_HOSTS). */
  allowedHosts: string[];
  limits?: typeof PAGE_LIMITS;
}

function hostAllowed(url: URL, allowedHosts: string[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowedHosts.some((entry) => entry === host || entry === `${host}:${port}`);
}

/** Refuses what is not an http(s) URL to a public host, before any connection. */
function checkUrl(url: URL, allowedHosts: string[]): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Errors.InvalidUrl('only http and https URLs');
  if (url.username || url.password) throw new Errors.InvalidUrl('URLs with a user name or password');
  if (hostAllowed(url, allowedHosts)) return true;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    if (!isPublicAddress(host)) throw new Errors.UrlNotAllowed();
  } else if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || !host.includes('.')) {
    throw new Errors.UrlNotAllowed();
  }
  return false;
}

function charsetOf(contentType: string, head: Buffer): string {
  const declared =
    /charset=["']?([\w-]+)/i.exec(contentType)?.[1] ??
    /<meta[^>]+charset=["']?([\w-]+)/i.exec(head.toString('latin1', 0, 4096))?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').encoding;
  } catch {
    return 'utf-8';
  }
}

function get(url: URL, lookup: LookupFunction | undefined, signal: AbortSignal): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(
      url,
      {
        lookup,
        signal,
        headers: {
          'user-agent': 'Mozilla/5.0 (compatible; InterviewPractice/1.0; posting import)',
          accept: 'text/html,application/xhtml+xml;q=0.9',
          'accept-language': 'ko,en;q=0.8',
        },
      },
      resolve,
    );
    request.on('error', reject);
  });
}

function failure(error: unknown, signal: AbortSignal, timeoutMs: number): Error {
  if (error instanceof Error && 'statusCode' in error && typeof error.statusCode === 'number') return error;
  if (signal.aborted) return new Errors.CrawlFailed(`it did not answer within ${timeoutMs / 1000} s`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new Errors.CrawlFailed('its host name was not found');
  return new Errors.CrawlFailed('the connection failed');
}

/** The page at `start` as text, following at most 3 redirects, each checked like the first URL. */
export async function fetchPage(
  start: URL,
  { allowedHosts, limits = PAGE_LIMITS }: FetchOptions,
): Promise<FetchedPage> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let url = start;
  for (let redirects = 0; ; redirects++) {
    const allowed = checkUrl(url, allowedHosts);
    let response: http.IncomingMessage;
    try {
      response = await get(url, allowed ? undefined : publicOnlyLookup, signal);
    } catch (error) {
      throw failure(error, signal, limits.timeoutMs);
    }
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (redirects >= limits.maxRedirects) throw new Errors.TooManyRedirects(limits.maxRedirects);
      try {
        url = new URL(response.headers.location, url);
      } catch {
        throw new Errors.CrawlFailed('it redirected to a malformed address');
      }
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new Errors.CrawlFailed(`it answered HTTP ${status}`);
    }
    const contentType = String(response.headers['content-type'] ?? '');
    if (!/^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType)) {
      response.resume();
      throw new Errors.NotHtml();
    }
    if (Number(response.headers['content-length'] ?? 0) > limits.maxBytes) {
      response.destroy();
      throw new Errors.PageTooLarge(limits.maxBytes / 1024 / 1024);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response) {
        size += (chunk as Buffer).length;
        if (size > limits.maxBytes) {
          response.destroy();
          throw new Errors.PageTooLarge(limits.maxBytes / 1024 / 1024);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      throw failure(error, signal, limits.timeoutMs);
    }
    const body = Buffer.concat(chunks);
    return { url, html: new TextDecoder(charsetOf(contentType, body)).decode(body) };
  }
}
