/**
 * What discovery and fetch may ask: http(s) only, never a private, loopback or link-local address (a council's page
 * could name one, or a host could resolve to one, to make the crawler reach the machine it runs on or its network),
 * and, for pages and redirects, nothing off the council's own site.
 */
import {lookup} from "node:dns/promises";
import type {LookupAddress} from "node:dns";
import {isIP, type LookupFunction} from "node:net";

/** A name to its addresses (the system's resolver, or one a test gives). */
export type Resolver = (host: string) => Promise<LookupAddress[]>;
export const systemResolver: Resolver = (host) => lookup(host, {all: true});

/** A host refused for its address: never worth another try. */
export class RefusedAddress extends Error {}

/**
 * Private addresses are refused unless the caller allows them; the tests' servers listen on 127.0.0.1, so the test
 * runner sets VCSE_SPEND_ALLOW_PRIVATE=1 (vitest.config.ts). Nothing else should.
 */
export function privateAllowedByDefault(): boolean {
  return process.env.VCSE_SPEND_ALLOW_PRIVATE === "1";
}

/** Why an address may not be asked (an IPv4 or IPv6 literal), or undefined when it is public. */
export function privateReason(address: string): string | undefined {
  const a = address.replace(/^\[|\]$/g, "").toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return privateReason(mapped[1]!);
  if (isIP(a) === 4) {
    const [x, y] = a.split(".").map(Number) as [number, number];
    if (x === 127) return "a loopback address";
    if (x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168)) return "a private address";
    if (x === 169 && y === 254) return "a link-local address";
    if (x === 100 && y >= 64 && y <= 127) return "a shared (carrier-grade NAT) address";
    if (x === 0 || x >= 224) return "not a unicast address";
    return undefined;
  }
  if (isIP(a) === 6) {
    if (a === "::1") return "a loopback address";
    if (a === "::") return "not a unicast address";
    if (/^f[cd]/.test(a)) return "a private address";
    if (/^fe[89ab]/.test(a)) return "a link-local address";
    if (/^ff/.test(a)) return "not a unicast address";
    return undefined;
  }
  return undefined;
}

/** The URL, or an Error saying why it is not one discovery or fetch may follow (only http and https). */
export function checkScheme(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(url)}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error(`only http and https are followed, not ${u.protocol}`);
  return u;
}

/**
 * Throws an Error saying why url may not be asked: not http(s), or a host that is a private address or a local name.
 * Any other name is checked as it is resolved for the connection itself (checkedLookup), so that a name cannot
 * resolve to a public address for a check and to a private one for the connection (DNS rebinding).
 */
export async function checkAddress(url: string, allowPrivate = privateAllowedByDefault()): Promise<void> {
  const u = checkScheme(url);
  if (allowPrivate) return;
  const host = u.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) throw new RefusedAddress(`${host} is a loopback address`);
  const reason = isIP(host) ? privateReason(host) : undefined;
  if (reason) throw new RefusedAddress(`${host} is ${reason}, not asked`);
}

/**
 * The lookup a connection makes: the name resolved once, and refused unless allowed when any address it resolves
 * to is private; the connection then goes to an address checked.
 */
export function checkedLookup(allowPrivate: boolean, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((found) => {
        if (!allowPrivate) {
          for (const {address} of found) {
            const reason = privateReason(address);
            if (reason) throw new RefusedAddress(`${hostname} resolves to ${address}, which is ${reason}, not asked`);
          }
        }
        const usable = found.filter((a) => !options.family || a.family === options.family);
        if (!usable.length) throw Object.assign(new Error(`${hostname} could not be resolved (no address)`), {code: "ENOTFOUND"});
        if (options.all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      })
      .catch((e: NodeJS.ErrnoException) => callback(e instanceof RefusedAddress ? e : Object.assign(new Error(`${hostname} could not be resolved (${e.message})`), {code: e.code}), ""));
  };
}

/** Whether two URLs are on one site: the same host and port, with or without "www.". */
export function sameSite(a: string, b: string): boolean {
  const host = (url: string) => new URL(url).host.toLowerCase().replace(/^www\./, "");
  try {
    return host(a) === host(b);
  } catch {
    return false;
  }
}
