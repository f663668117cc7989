/**
 * Whether a callback URL may be used: https to an allowed origin, never
 * with credentials, never to a private address; plain http only to the
 * loopback host and only when the operator allowed insecure callbacks.
 */
import type { Config } from "../env.ts";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * IPv4 literals outside the public unicast space: private, loopback,
 * link-local, shared (CGNAT), benchmarking, protocol-assignment,
 * documentation, multicast, reserved and broadcast ranges.
 */
function isNonPublicIpv4(host: string): boolean {
  const parts = host.split(".").map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n))) return false;
  const [a = -1, b = -1, c = -1] = parts;
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  );
}

/*
 * IPv6 literals: only global unicast (2000::/3) is public, less the
 * documentation prefix. Everything else (loopback, unique-local,
 * link-local, IPv4-mapped or -compatible, NAT64, multicast) is refused.
 */
function isNonPublicIpv6(host: string): boolean {
  if (!host.startsWith("[")) return false;
  const address = host.slice(1, -1).toLowerCase();
  const first = Number.parseInt(address.split(":")[0] || "0", 16);
  const globalUnicast = first >= 0x2000 && first <= 0x3fff;
  return !globalUnicast || address.startsWith("2001:db8:");
}

function isLocalName(host: string): boolean {
  const name = host.replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}

function isPrivateHost(host: string): boolean {
  return isLocalName(host) || isNonPublicIpv4(host) || isNonPublicIpv6(host);
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
