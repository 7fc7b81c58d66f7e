/**
 * What discovery and fetch may ask: http(s) only, never a private, loopback or link-local address (a council's page
 * could name one, or a host could resolve to one, to make the crawler reach the machine it runs on or its network),
 * and, for pages and redirects, nothing off the council's own site.
 */
import {lookup} from "node:dns/promises";
import {isIP} from "node:net";

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

/** Throws an Error saying why url may not be asked: not http(s), or a host that is or resolves to a private address. */
export async function checkAddress(url: string, allowPrivate = privateAllowedByDefault()): Promise<void> {
  const u = checkScheme(url);
  if (allowPrivate) return;
  const host = u.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) throw new Error(`${host} is a loopback address`);
  const addresses = isIP(host) ? [host] : (await lookup(host, {all: true}).catch((e: Error) => {
    throw new Error(`${host} could not be resolved (${e.message})`);
  })).map((r) => r.address);
  for (const address of addresses) {
    const reason = privateReason(address);
    if (reason) throw new Error(`${host}${address === host ? "" : ` resolves to ${address}, which`} is ${reason}, not asked`);
  }
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
