import {describe, expect, it} from "vitest";
import {progress} from "../../pipeline/cli/progress.ts";

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return {isTTY, columns: 80, writes, write: (t: string) => writes.push(t)};
}

describe("progress on stderr", () => {
  it("writes one plain line per step and note when stderr is not a terminal", () => {
    const s = stream(false);
    const p = progress(s);
    p.log("[1/2] a.csv");
    p.log("a.csv: no header row; borrowing one");
    p.log("[2/2] b.csv");
    p.done();
    expect(s.writes).toEqual(["[1/2] a.csv\n", "a.csv: no header row; borrowing one\n", "[2/2] b.csv\n"]);
  });

  it("redraws one bar in place on a terminal, keeping notes on lines of their own", () => {
    const s = stream(true);
    const p = progress(s);
    p.log("[1/4] a.csv");
    p.log("a note");
    p.log("[2/4] b.csv");
    p.done();
    const text = s.writes.join("");
    expect(text).not.toContain("[1/4] a.csv\n");
    expect(text).toContain("[######------------------] 1/4 a.csv");
    expect(text).toContain("[############------------] 2/4 b.csv");
    expect(text).toContain("\r\x1b[2Ka note\n");
    expect(text.endsWith("\r\x1b[2K")).toBe(true);
  });

  it("--quiet drops the steps but never a note", () => {
    for (const tty of [false, true]) {
      const s = stream(tty);
      const p = progress(s, {quiet: true});
      p.log("[1/2] a.csv");
      p.log("a.csv: retried");
      p.done();
      expect(s.writes.join("")).toBe("a.csv: retried\n");
    }
  });
});
