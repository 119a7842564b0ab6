/**
 * A plain-text table for the terminal: columns as wide as their widest cell, two spaces apart.
 * The first column reads left to right and the rest are right-aligned (numbers), unless `left`
 * says every column is text.
 */
export function textTable(header: string[], rows: string[][], { left = false } = {}): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 || left ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
