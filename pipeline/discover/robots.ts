/** A robots.txt's rules for one user agent: the longest matching Allow or Disallow wins, Allow on a tie. */
export type RobotsRules = (path: string) => boolean;

interface Rule {
  allow: boolean;
  pattern: string;
}

function matcher(pattern: string): RegExp {
  const anchored = pattern.endsWith("$");
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}${anchored ? "$" : ""}`);
}

/** The rules of the group naming agent (its product token, case-insensitive), else of the "*" group; none allow all. */
export function robotsRules(text: string, agent: string): RobotsRules {
  const token = agent.split("/")[0]!.toLowerCase();
  const groups: {agents: string[]; rules: Rule[]}[] = [];
  let current: {agents: string[]; rules: Rule[]} | undefined;
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.replace(/#.*/, "").trim();
    const m = /^([a-z-]+)\s*:\s*(.*)$/i.exec(line);
    if (!m) continue;
    const [field, value] = [m[1]!.toLowerCase(), m[2]!.trim()];
    if (field === "user-agent") {
      if (!current || current.rules.length) groups.push((current = {agents: [], rules: []}));
      current.agents.push(value.toLowerCase());
    } else if ((field === "allow" || field === "disallow") && current) {
      if (value) current.rules.push({allow: field === "allow", pattern: value});
    }
  }
  const group = groups.find((g) => g.agents.some((a) => a !== "*" && token.includes(a))) ?? groups.find((g) => g.agents.includes("*"));
  const rules = (group?.rules ?? []).map((r) => ({...r, re: matcher(r.pattern)}));
  return (path) => {
    let best: {allow: boolean; length: number} | undefined;
    for (const r of rules) {
      if (!r.re.test(path)) continue;
      if (!best || r.pattern.length > best.length || (r.pattern.length === best.length && r.allow)) best = {allow: r.allow, length: r.pattern.length};
    }
    return best?.allow ?? true;
  };
}
