/** A header cell reduced to lower-case words: "Net Amount(£)" -> "net amount", "BeneficiaryName" -> "beneficiary name". */
export function normaliseHeader(cell: string): string {
  return cell
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
