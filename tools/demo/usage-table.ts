/**
 * The ledger as a plain-text table: one row per model and a total, one
 * column per token class, numbers right-aligned with en-US grouping.
 * @module
 */
import type { UsageRow } from "./session-view.ts";

const GROUPED = new Intl.NumberFormat("en-US");
const COST_DECIMALS = 6;
const COLUMN_GAP = "  ";

const COLUMNS: readonly { title: string; cell: (row: UsageRow) => string }[] = [
  { title: "model", cell: (row) => row.model },
  { title: "input", cell: (row) => GROUPED.format(row.input) },
  { title: "cache read", cell: (row) => GROUPED.format(row.cacheRead) },
  { title: "cache write", cell: (row) => GROUPED.format(row.cacheWrite) },
  { title: "output", cell: (row) => GROUPED.format(row.output) },
  { title: "reasoning", cell: (row) => GROUPED.format(row.reasoning) },
  { title: "tokens in", cell: (row) => GROUPED.format(row.tokensIn) },
  { title: "tokens out", cell: (row) => GROUPED.format(row.tokensOut) },
  { title: "cost (USD)", cell: (row) => row.costUsd.toFixed(COST_DECIMALS) },
];

/** The table's lines: header, rule, one line per model, rule, total. */
export function renderUsageTable(
  byModel: readonly UsageRow[],
  total: UsageRow,
): string[] {
  const header = COLUMNS.map((column) => column.title);
  const body = byModel.map((row) => COLUMNS.map((column) => column.cell(row)));
  const footer = COLUMNS.map((column) => column.cell(total));
  const widths = header.map((title, index) =>
    Math.max(
      title.length,
      ...[...body, footer].map((cells) => cells[index]?.length ?? 0),
    ),
  );
  const line = (cells: string[]) => formatLine(cells, widths);
  const rule = widths.map((width) => "-".repeat(width)).join(COLUMN_GAP);
  return [line(header), rule, ...body.map(line), rule, line(footer)];
}

/** The first column (the model) is left-aligned, the numbers right-aligned. */
function formatLine(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, index) => {
      const width = widths[index] ?? cell.length;
      return index === 0 ? cell.padEnd(width) : cell.padStart(width);
    })
    .join(COLUMN_GAP);
}
