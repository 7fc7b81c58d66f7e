/**
 * Timing marks for the benchmark and the browser tests (data-*-ms attributes and the like), written only when the
 * page's address asks for them with ?bench, so that ordinary pages carry none.
 */
function currentSearch(): string {
  return typeof location === "undefined" ? "" : location.search;
}

export function benchRequested(search = currentSearch()): boolean {
  return new URLSearchParams(search).has("bench");
}

/** Milliseconds since the page's navigation began, with ?bench; otherwise null (an attribute set to null is left out). */
export function benchTime(search = currentSearch()): number | null {
  return benchRequested(search) ? Math.round(performance.now()) : null;
}

/** Sets `el.dataset[key]` to `value` with ?bench; nothing otherwise. */
export function markValue(el: HTMLElement, key: string, value: string | number, search = currentSearch()): void {
  if (benchRequested(search)) el.dataset[key] = String(value);
}

/** Sets `el.dataset[key]` to `ms` (default: now) with ?bench, unless it is set already: the first time counts. */
export function markTimeOnce(el: HTMLElement, key: string, ms = Math.round(performance.now()), search = currentSearch()): void {
  if (benchRequested(search) && el.dataset[key] === undefined) el.dataset[key] = String(ms);
}
