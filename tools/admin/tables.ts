/** Plain-text tables for the terminal. */

export type Cell = string | number | boolean | null | undefined;

function show(cell: Cell): string {
  if (cell === null || cell === undefined || cell === "") return "-";
  if (typeof cell === "number") return cell.toLocaleString("en-US");
  return String(cell);
}

/** Renders rows under a header, columns padded to their widest cell. */
export function table(header: string[], rows: Cell[][]): string {
  const text = [header, ...rows.map((row) => row.map(show))];
  const widths = header.map((_, col) =>
    Math.max(...text.map((row) => (row[col] ?? "").length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, col) => cell.padEnd(widths[col] ?? 0))
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [line(text[0] ?? []), rule, ...text.slice(1).map(line)].join("\n");
}

/** Renders `key: value` pairs, keys aligned. */
export function fields(pairs: [string, Cell][]): string {
  const width = Math.max(...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `${key.padEnd(width)}  ${show(value)}`).join("\n");
}
