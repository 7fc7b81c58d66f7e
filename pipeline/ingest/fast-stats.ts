/** Files read by the fast path and files left to the JavaScript path in this process, and seconds per step. */
export const fastStats = {taken: 0, declined: 0, phases: {} as Record<string, number>};

/** Adds the seconds since started to a step's total (steps overlap, so the totals add up to more than the run). */
export function phase(step: string, started: number): number {
  const now = performance.now();
  fastStats.phases[step] = (fastStats.phases[step] ?? 0) + (now - started) / 1000;
  return now;
}
