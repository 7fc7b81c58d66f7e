import {describe, expect, it} from "vitest";
import {KeyIndex} from "../pipeline/classify/key-index.ts";

describe("KeyIndex", () => {
  const index = new KeyIndex(["OAK TREE", "OAK TREE TRUST", "OAK TREES", "OAKTREE FARM", "PINE", "PINE CONE", "P INE", "ROWAN HOUSE", "ROWANHOUSE"]);

  it("lists the keys a prefix starts, without the prefix itself", () => {
    expect([...index.completions("OAK TREE")]).toEqual(["OAK TREE TRUST", "OAK TREES"]);
    expect([...index.completions("OAK TREE T")]).toEqual(["OAK TREE TRUST"]);
    expect([...index.completions("ASH")]).toEqual([]);
  });

  it("finds the longest whole-word prefix of enough words", () => {
    expect(index.longestWordPrefix("OAK TREE TRUST LEEDS", 2)).toBe("OAK TREE TRUST");
    expect(index.longestWordPrefix("OAK TREE LEEDS", 2)).toBe("OAK TREE");
    expect(index.longestWordPrefix("OAK TREE", 2)).toBeNull();
    expect(index.longestWordPrefix("PINE LEEDS", 2)).toBeNull();
    expect(index.longestWordPrefix("PINE LEEDS", 1)).toBe("PINE");
  });

  it("finds the one key with the same letters, and none when two keys share them", () => {
    expect(index.sameLetters("OAK TREE FARM")).toBe("OAKTREE FARM");
    expect(index.sameLetters("OAKTREE FARM")).toBeNull();
    expect(index.sameLetters("PI NE")).toBeNull();
    expect(index.sameLetters("ROWAN HOUS E")).toBeNull();
  });
});
