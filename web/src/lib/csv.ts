// Tables as CSV text: what every "Download CSV" button writes. RFC 4180 quoting, CRLF
// line ends, and cells that a spreadsheet would run as a formula made inert.

export type Cell = string | number | boolean | null | undefined;

export interface CsvColumn<Row> {
  /** The header cell. */
  label: string;
  value: (row: Row) => Cell;
}

function quote(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  let text = typeof cell === "number" ? (Number.isFinite(cell) ? String(cell) : "") : String(cell);
  // A leading =, +, -, @ makes Excel and LibreOffice evaluate the cell (CSV injection);
  // numbers keep their sign.
  if (typeof cell === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => quote(c.label)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => quote(c.value(row))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** A file name from free text: letters, digits and dashes only. */
export function fileName(...parts: string[]): string {
  return parts
    .join("-")
    .normalize("NFKD")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
}

/** A column of a table on screen that also goes to CSV (see DataTable.svelte). */
export interface TableColumn<Row> extends CsvColumn<Row> {
  /** How the cell reads on screen; the raw value otherwise. */
  show?: (row: Row) => string;
  numeric?: boolean;
  /** The cell links here. */
  href?: (row: Row) => string | null;
}
