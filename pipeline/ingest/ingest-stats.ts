/** One ingest run's files read by the fast path and files it left to the JavaScript path, and seconds per step. */
export class IngestStats {
  taken = 0;
  declined = 0;
  readonly phases: Record<string, number> = {};

  /** Adds the seconds since started to a step's total (steps overlap, so the totals add up to more than the run). */
  phase(step: string, started: number): number {
    const now = performance.now();
    this.phases[step] = (this.phases[step] ?? 0) + (now - started) / 1000;
    return now;
  }
}
