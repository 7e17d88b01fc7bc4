/**
 * Formatting shared by every bench section: a plain-text table, medians, and target verdicts.
 * Benchmarks print; they never fail the run on a missed target (issue 6: "no test asserts a time").
 */

export type Cell = string | number | undefined;

export interface Table {
  title: string;
  head: string[];
  rows: Cell[][];
  notes?: string[];
}

export interface Target {
  name: string;
  /** What was measured, formatted. */
  value: string;
  goal: string;
  /** undefined: not measurable in this run (the reason goes in `value`). */
  met: boolean | undefined;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function kb(bytes: number | undefined): string {
  return bytes === undefined ? "–" : (bytes / 1000).toFixed(1);
}

export function fixed(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function ratio(value: number | undefined, base: number | undefined): string {
  if (value === undefined || base === undefined || !Number.isFinite(value) || !base) return "–";
  return `${(value / base).toFixed(2)}×`;
}

export function render(table: Table): string {
  const cells = [table.head, ...table.rows].map((row) => row.map((c) => (c === undefined ? "–" : String(c))));
  const widths = table.head.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  // Numbers right-aligned, the first column (labels) left-aligned.
  const line = (row: string[]) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  const out = [`\n## ${table.title}`, line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const row of cells.slice(1)) out.push(line(row));
  for (const note of table.notes ?? []) out.push(`  ${note}`);
  return out.join("\n");
}

export function renderTargets(targets: Target[]): string {
  return render({
    title: "Targets",
    head: ["target", "goal", "measured", "met"],
    rows: targets.map((t) => [t.name, t.goal, t.value, t.met === undefined ? "n/a" : t.met ? "yes" : "NO"]),
  });
}
