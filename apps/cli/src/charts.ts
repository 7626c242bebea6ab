const eighths = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `value / max` of `width` cells, drawn with Unicode eighth blocks. */
export function bar(value: number, max: number, width: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(max) || max <= 0 || value <= 0) return '';
  const cells = Math.min(1, value / max) * width;
  const full = Math.floor(cells);
  const rest = Math.round((cells - full) * 8);
  if (rest === 8) return '█'.repeat(full + 1);
  const text = '█'.repeat(full) + eighths[rest];
  return text === '' ? '▏' : text;
}

/** Pads or cuts a text to a width (cut with an ellipsis). */
export function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length > width) return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
  return text + ' '.repeat(width - chars.length);
}
