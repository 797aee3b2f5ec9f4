/**
 * "Now" as the server sees it. The server sends its clock with the client configuration
 * (`config.client.now`); from then on the browser counts forward from it with its own monotonic
 * timer. So "the last 7 days", "due today" and the like are the server's days even when this
 * computer's clock is off, and a test server at a fixed instant (HEXWATCH_NOW) is a fixed
 * instant in the browser too. Until the configuration arrives, the browser's clock.
 */
let offsetMs = 0;

/**
 * Adopts the server's instant (ISO), received at `receivedAtMs` (browser epoch ms). Calling it
 * again with the same answer changes nothing. Ignores text that is not an instant.
 */
export function syncServerNow(serverNowIso: string, receivedAtMs: number): void {
  const serverMs = Date.parse(serverNowIso);
  if (Number.isFinite(serverMs) && Number.isFinite(receivedAtMs)) offsetMs = serverMs - receivedAtMs;
}

/** The current instant on the server's clock. */
export function appNow(): Date {
  return new Date(Date.now() + offsetMs);
}
