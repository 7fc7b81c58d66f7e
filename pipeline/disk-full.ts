/**
 * A full disk, however it is reported: ENOSPC from node, or "No space left on device" in the text of an error or a
 * child process's output (DuckDB, a site build).
 */
export function isDiskFull(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException | undefined;
  return err?.code === "ENOSPC" || saysDiskFull(String(err?.message ?? e));
}

export function saysDiskFull(text: string): boolean {
  return /ENOSPC|No space left on device/i.test(text);
}
