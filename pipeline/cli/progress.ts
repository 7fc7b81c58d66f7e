export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  /** A pipeline stage's log line: "[3/12] what" is a step of the progress, anything else a note. */
  log(message: string): void;
  /** Clears a live bar; call once the work is done. */
  done(): void;
}

const STEP = /^\[(\d+)\/(\d+)\] (.*)$/;
const BAR = 24;

/**
 * Progress on stderr: a bar redrawn in place on a terminal, one plain line per step otherwise (a log file, a
 * pipe, a test reading the lines). Quiet drops the steps; notes (a borrowed header, a retry) are always said.
 */
export function progress(stream: ProgressStream, options: {quiet?: boolean} = {}): Progress {
  const live = Boolean(stream.isTTY);
  let bar = "";
  const clear = () => {
    if (bar) stream.write("\r\x1b[2K");
  };
  return {
    log(message) {
      const step = STEP.exec(message);
      if (step && options.quiet) return;
      if (!live) {
        stream.write(`${message}\n`);
        return;
      }
      if (!step) {
        clear();
        stream.write(`${message}\n`);
        if (bar) stream.write(bar);
        return;
      }
      const [done, total] = [Number(step[1]), Number(step[2])];
      const filled = total > 0 ? Math.round((done / total) * BAR) : 0;
      const line = `[${"#".repeat(filled)}${"-".repeat(BAR - filled)}] ${done}/${total} ${step[3]}`;
      clear();
      bar = line.slice(0, Math.max(BAR + 10, (stream.columns ?? 80) - 1));
      stream.write(bar);
    },
    done() {
      clear();
      bar = "";
    }
  };
}
