import type {Field} from "../types.ts";

/**
 * Header names (normalised, see normaliseHeader) that mean each canonical field, in order of preference.
 * Covers the 2010 Transparency Code template ("Body name / Service area categorisation / Expenses type"),
 * the 2015 LGA template ("Supplier (Beneficiary) Name"), the LGA spend schema ("BeneficiaryName,
 * OrganisationalUnit, PaymentDate"), two-row headers as findHeader merges them ("Amount" over "Net" and "VAT"
 * gives "Amount Net") and every layout in the embedded data.
 */
export const SYNONYMS: Record<Field, string[]> = {
  payment_date: [
    "payment date", "date paid", "paid date", "date of payment", "invoice payment date", "payment date as recorded",
    "transaction date", "date", "invoice creation date", "posting date", "pay date", "cheque date"
  ],
  period: ["period", "accounting period", "month"],
  amount: [
    "net amount", "amount net", "amount paid", "amount", "net", "total excludes vat", "net amount excluding vat", "amount excluding vat",
    "invoice nett amount", "nett amount", "sum of invoice nett amount", "total", "value", "transaction amount",
    "amount gbp", "line amount", "payment amount", "amount in sterling", "gross", "amount gross"
  ],
  supplier_name: [
    "supplier name", "supplier beneficiary name", "beneficiary name", "beneficiary", "supplier", "payee name", "payee",
    "creditor name", "vendor name", "merchant name", "name", "supplier name t", "recipient name", "supplier id t"
  ],
  supplier_id: [
    "supplier id", "supplier number", "beneficiary other id", "local supplier internal reference", "supplier reference",
    "supplier code", "vendor id", "creditor id", "creditor number", "supplier ref", "vendor number"
  ],
  charity_number: [
    "charity registration number", "charity registration", "charity number", "supplier registered charity number",
    "registered charity number", "charity no", "beneficiary registered charity number"
  ],
  company_number: [
    "company registration number", "company registration", "company registraation number", "comp reg no",
    "supplier registered company number", "company number", "company no", "beneficiary registered company number"
  ],
  service: [
    "service area", "service label", "service", "service area categorisation", "organisational unit", "organisatonal unit",
    "directorate service where expenditure incurred", "expense area", "department", "directorate", "service cost centre",
    "department area", "service division label", "service divison label", "cost centre name", "service sercop"
  ],
  expense_type: [
    "expenses type", "expense type", "expenditure category", "expenditure catergory", "detailed expenses type",
    "account detail", "sercop expenditure category", "proclass label", "procurement classification",
    "g l description", "g l descript", "subj description", "merchant category", "expenditure type"
  ],
  purpose: ["purpose of spend", "purpose", "description", "narrative", "extended description", "transaction description"],
  transaction_ref: [
    "transaction number", "transaction no", "trans no", "transno", "transaction reference", "transaction id",
    "sap document number", "invoice number", "hbc ref no", "internal ref number", "internal ref", "document number",
    "transaction"
  ],
  council_flag: ["vcse grant", "supplier beneficiary type", "beneficiary type", "creditor type", "supplier type", "vcse"]
};
