/**
 * A URL as logs and views show it: without its query, which may carry a
 * caller's token. `?…` marks that one was there.
 */
export function redactUrl(url: string): string {
  const parsed = URL.parse(url);
  if (!parsed) return "(invalid url)";
  return `${parsed.origin}${parsed.pathname}${parsed.search ? "?…" : ""}`;
}
