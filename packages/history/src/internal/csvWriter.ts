import { createWriteStream } from 'node:fs';
import type { SqlRow, SqlValue } from './engine.js';

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; null is empty. */
export function csvField(value: SqlValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes batches of rows to a CSV file with a header line; returns the rows written. */
export async function writeCsv(options: {
  readonly file: string;
  readonly columns: readonly string[];
  readonly batches: AsyncIterable<SqlRow[]>;
}): Promise<number> {
  const out = createWriteStream(options.file);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve));
  let count = 0;
  try {
    await write(`${options.columns.join(',')}\n`);
    for await (const batch of options.batches) {
      let text = '';
      for (const row of batch)
        text += `${options.columns.map((name) => csvField(row[name] ?? null)).join(',')}\n`;
      count += batch.length;
      await write(text);
    }
  } finally {
    out.end();
  }
  await done;
  return count;
}
