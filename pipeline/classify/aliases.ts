function idPriority(id: string): number {
  if (id.startsWith("GB-CHC-")) return 5;
  if (id.startsWith("GB-SC-")) return 4;
  if (id.startsWith("GB-NIC-")) return 3;
  if (id.startsWith("GB-COH-")) return 2;
  return 1;
}

/** Identifiers known to denote one organisation (re-registrations, charity and company numbers) share a representative. */
export class Aliases {
  private parent = new Map<string, string>();

  find(id: string): string {
    let root = id;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    for (let cur = id; cur !== root; ) {
      const next = this.parent.get(cur)!;
      this.parent.set(cur, root);
      cur = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    const better = (x: string, y: string) => {
      const d = idPriority(x) - idPriority(y);
      if (d !== 0) return d > 0;
      // The newer registration (the higher number) stands for both.
      return Number(x.replace(/\D/g, "")) >= Number(y.replace(/\D/g, ""));
    };
    if (better(ra, rb)) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }
}
