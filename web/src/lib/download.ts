// Saving text the page made (a table as CSV, a log as Markdown) as a file.

export function downloadText(name: string, text: string, type = "text/csv;charset=utf-8"): void {
  // A BOM lets spreadsheet programs read UTF-8 CSV (æøå, emoji) as UTF-8.
  const body = type.startsWith("text/csv") ? `\ufeff${text}` : text;
  const url = URL.createObjectURL(new Blob([body], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
