import {describe, expect, it} from "vitest";
import {linkPeriod} from "../pipeline/discover/link-period.ts";

const clues = (text: string, fileName = "", context = "", headings: string[] = []) => ({text, fileName, context, headings});

describe("linkPeriod", () => {
  it.each([
    [clues("Spending over £500 April 2024"), "2024-04"],
    [clues("CSV", "Payments_May_2024.csv"), "2024-05"],
    [clues("CSV", "spend-2021-11.csv"), "2021-11"],
    [clues("CSV", "1705.csv"), "2017-05"],
    [clues("CSV", "data.csv", "June 2023 CSV (20KB)"), "2023-06"],
    [clues("CSV", "", "", ["Spending", "March 2024"]), "2024-03"],
    [clues("January", "", "", ["2023/24"]), "2024-01"],
    [clues("April", "", "", ["2023 to 2024"]), "2023-04"],
    [clues("November", "", "", ["2023"]), "2023-11"],
    [clues("Quarter 4 2022/23"), "2023-01..2023-03"],
    [clues("Q2", "", "", ["2021-22"]), "2021-07..2021-09"],
    [clues("April to June 2019"), "2019-04..2019-06"],
    [clues("Spend 2019-20"), "2019-04..2020-03"],
    [clues("CSV", "", "", ["2019/20"]), "2019-04..2020-03"],
    [clues("March", "", "", ["2024/25", "Spending"]), "2025-03"],
    [clues("Download", "Payments Data 2019.04.csv"), "2019-04"],
    [clues("CSV", "spend_201911.csv"), "2019-11"],
    [clues("CSV", "expenditure-03-2022.csv"), "2022-03"],
    [clues("2020-21 spending", "spend-2020-21.csv"), "2020-04..2021-03"],
    [clues("All payments 2015", "payments.zip"), "2015-01..2015-12"]
  ])("%j -> %s", (given, period) => expect(linkPeriod(given)).toBe(period));

  it.each([
    [clues("CSV", "8812"), "a document number is not a yymm name"],
    [clues("Market stalls", "summary.csv"), "words that start like months are not months"],
    [clues("CSV", "spend.csv", "", ["Spending data"]), "nothing says"],
    [clues("CSV", "spend.csv", "", ["2015"]), "a year heading groups files, it does not date one"]
  ])("%j: none (%s)", (given) => expect(linkPeriod(given)).toBeUndefined());
});
