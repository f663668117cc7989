/**
 * Whether a callback URL may be used: https to an allowed origin, never
 * with credentials, never to a private address; plain http only to the
 * loopback host and only when the operator allowed insecure callbacks.
 */
import type { Config } from "../env.ts";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** IPv4 literals in private, loopback, link-local and unspecified ranges. */
function isPrivateIpv4(host: string): boolean {
  const parts = host.split(".").map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n))) return false;
  const [a = -1, b = -1] = parts;
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

/** IPv6 literals that are loopback, unspecified, unique-local or link-local. */
function isPrivateIpv6(host: string): boolean {
  if (!host.startsWith("[")) return false;
  const address = host.slice(1, -1).toLowerCase();
  return (
    address === "::1" ||
    address === "::" ||
    /^f[cd]/.test(address) ||
    address.startsWith("fe80") ||
    address.startsWith("::ffff:")
  );
}

function isPrivateHost(host: string): boolean {
  return host === "localhost" || isPrivateIpv4(host) || isPrivateIpv6(host);
}

/**
 * What is wrong with `text` as a callback URL under `config`, or null.
 * The answer names the rule, never echoes the URL.
 */
export function callbackUrlProblem(text: string, config: Config): string | null {
  if (!URL.canParse(text)) return "must be an absolute URL";
  const url = new URL(text);
  if (url.username || url.password) return "must not contain credentials";

  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  const insecureAllowed = config.allowInsecureCallbacks && loopback;
  if (url.protocol !== "https:" && !(url.protocol === "http:" && insecureAllowed)) {
    return "must use https (http only to localhost when ALLOW_INSECURE_CALLBACKS is true)";
  }
  if (isPrivateHost(url.hostname) && !insecureAllowed) {
    return "must not point to a private or loopback address";
  }
  if (!config.callbackAllowedOrigins.includes(url.origin)) {
    return "has an origin that is not in CALLBACK_ALLOWED_ORIGINS";
  }
  return null;
}
