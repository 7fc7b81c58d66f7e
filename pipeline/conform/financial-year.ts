/** "2019-20" for any date from 1 April 2019 to 31 March 2020. Takes ISO "yyyy-mm..." text. */
export function financialYear(isoDate: string): string {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  const start = month >= 4 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

/** The first calendar year of a financial year label: "2019-20" -> 2019. */
export function financialYearStart(label: string): number {
  return Number(label.slice(0, 4));
}
