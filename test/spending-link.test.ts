import {describe, expect, it} from "vitest";
import {spendingLink} from "../pipeline/discover/spending-link.ts";
import {robotsRules} from "../pipeline/discover/robots.ts";

const link = (url: string, text: string, context = "", headings: string[] = []) => ({url: `https://council.example${url}`, text, context, headings, rel: ""});

describe("spendingLink", () => {
  it.each([
    [link("/a.csv", "Spending over £500 April 2024"), "csv"],
    [link("/d/123", "CSV", "", ["Expenditure", "May"]), "csv"],
    [link("/b.xlsx", "March 2022"), "xlsx"],
    [link("/c.zip", "All payments 2015"), "zip"],
    [link("/e.ods", "Purchase card transactions Q1"), "ods"],
    [link("/f?format=csv", "Download", "Payments over £250")],
    [link("/downloads/file/4411/spend-over-500-april-2024", "Spend over £500 April 2024", "Spend over £500 April 2024 (CSV, 44KB)")],
    [link("/s.csv", "Spending April 2024", "Our spending files; the contracts register is published separately.")]
  ])("keeps %j", (given, format = "csv") => expect(spendingLink(given)).toEqual({keep: true, format}));

  it.each([
    [link("/contracts.csv", "Contracts register April 2024"), /contracts/],
    [link("/g.xlsx", "Grants register 2024"), /grants/],
    [link("/h.csv", "CSV", "", ["Spending", "Contracts register"]), /contracts/],
    [link("/p.pdf", "Spending April 2024"), /pdf/],
    [link("/about", "About spending"), /not a file/],
    [link("/salaries.csv", "Senior salaries 2024"), /salaries/],
    [link("/data.csv", "Open data")],
    [link("/downloads/file/4412/register", "Download", "Contracts register (CSV, 12KB)"), /contracts/],
    [link("/about/team", "Our team", "Staff (CSV)"), /not a file/]
  ])("leaves out %j", (given, reason = /nothing names/) => {
    const verdict = spendingLink(given);
    expect(verdict.keep).toBe(false);
    if (!verdict.keep) expect(verdict.reason).toMatch(reason);
  });
});

describe("robotsRules", () => {
  const text = "User-agent: other\nDisallow: /\n\nUser-agent: *\nDisallow: /private/\nAllow: /private/open\nDisallow: /*.php$\n";
  const allows = robotsRules(text, "vcse-spend-discover/0.1");
  it.each([
    ["/spending/", true],
    ["/private/x", false],
    ["/private/open/2024", true],
    ["/index.php", false],
    ["/index.php?x=1", true]
  ])("%s: %s", (path, allowed) => expect(allows(path)).toBe(allowed));
  it("follows the group that names the crawler over *", () => {
    expect(robotsRules("User-agent: *\nDisallow: /\nUser-agent: vcse-spend-discover\nDisallow: /x\n", "vcse-spend-discover/0.1")("/a")).toBe(true);
    expect(robotsRules("", "vcse-spend-discover/0.1")("/a")).toBe(true);
  });
});
