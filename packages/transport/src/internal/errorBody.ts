/**
 * Reads the server's own explanation out of an error body, whatever shape the Microsoft service
 * behind the gateway used. Sources of each shape:
 * - Partner Center: `{code, description, data, source}` (`code` may be a number), and the throttle
 *   body `{statusCode, message}` (Partner Center REST docs; fidelity finding A9);
 * - the analytics APIs: `{code, message, innererror: {code, message, data: [...]}}` (finding A9);
 * - Graph-style: `{error: {code, message, innerError?}}`; OAuth-style: `{error: "text",
 *   error_description?}`;
 * - ASP.NET Web API: `{Message, ExceptionMessage?}` (keys in any case);
 * - plain text, and HTML error pages from gateways and proxies: a short, sanitized excerpt.
 */

import { cleanServerText } from './sanitize.js';

/** What an error body said: a code and one line of text, both optional. */
export interface ErrorBodyDetails {
  readonly pcCode?: string | number;
  readonly description?: string;
}

/** The longest description kept (characters). */
const maxDescription = 1024;
/** The longest excerpt of a plain-text or HTML body (characters). */
const maxExcerpt = 200;

/**
 * Text made safe to print on one line: control characters shown as `?` (the transport's one rule
 * for server text, `cleanServerText`), whitespace collapsed, length capped.
 */
export function cleanText(text: string, max = maxDescription): string {
  return cleanServerText(text.replace(/\s+/g, ' ').trim(), max - 1);
}

function lowerKeys(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const lower = key.toLowerCase();
    if (!(lower in out)) out[lower] = record[key];
  }
  return out;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? lowerKeys(value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function codeOf(value: unknown): string | number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return text(value);
}

/** The strings of a `data` array (`["top parameter cannot be more than 10000"]`). */
function dataStrings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
}

/** `innererror` / `innerError` of the analytics and Graph bodies, flattened to text. */
function innerText(record: Record<string, unknown>): string | undefined {
  const inner = asRecord(record.innererror);
  if (inner === undefined) return undefined;
  const parts: string[] = [];
  const code = codeOf(inner.code);
  const message = text(inner.message);
  if (code !== undefined && message !== undefined) parts.push(`${code}: ${message}`);
  else if (message !== undefined) parts.push(message);
  else if (code !== undefined) parts.push(String(code));
  parts.push(...dataStrings(inner.data));
  const deeper = innerText(inner);
  if (deeper !== undefined) parts.push(deeper);
  return parts.length === 0 ? undefined : parts.join('; ');
}

function fromJson(parsed: unknown): ErrorBodyDetails | undefined {
  if (typeof parsed === 'string') return text(parsed) === undefined ? {} : { description: parsed };
  const record = asRecord(parsed);
  if (record === undefined) return undefined;
  // Graph-style {error: {code, message}} and OAuth-style {error: "text", error_description}.
  const nested = asRecord(record.error);
  if (nested !== undefined) {
    const message = text(nested.message) ?? text(nested.description);
    const inner = innerText(nested);
    const description =
      message !== undefined && inner !== undefined ? `${message} (${inner})` : (message ?? inner ?? '');
    const code = codeOf(nested.code);
    return {
      ...(code !== undefined ? { pcCode: code } : {}),
      ...(description !== '' ? { description } : {}),
    };
  }
  if (typeof record.error === 'string') {
    const detail = text(record.error_description) ?? text(record.message);
    return {
      pcCode: record.error,
      ...(detail !== undefined ? { description: detail } : { description: record.error }),
    };
  }
  const code = codeOf(record.code) ?? codeOf(record.statuscode) ?? codeOf(record.errorname);
  const main =
    text(record.description) ??
    text(record.message) ??
    text(record.exceptionmessage) ??
    text(record.error_description) ??
    text(record.title) ??
    text(record.detail);
  // ASP.NET adds the real reason as ExceptionMessage under a generic Message.
  const exception = main === record.message ? text(record.exceptionmessage) : undefined;
  const extras = [exception, innerText(record), ...dataStrings(record.data)].filter(
    (part): part is string => part !== undefined && part !== main,
  );
  const description =
    main === undefined
      ? extras.length > 0
        ? extras.join('; ')
        : undefined
      : extras.length > 0
        ? `${main} (${extras.join('; ')})`
        : main;
  return {
    ...(code !== undefined ? { pcCode: code } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

/** A short readable excerpt of an HTML page: its title, else its text without tags. */
function htmlExcerpt(body: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1];
  const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(body)?.[1];
  const strip = (value: string): string =>
    value
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&nbsp;/gi, ' ')
      .replace(/&lt;/gi, '<')
      .replace(/&gt;/gi, '>')
      .replace(/&quot;/gi, '"')
      .replace(/&#39;/gi, "'")
      .replace(/&amp;/gi, '&');
  const parts = [title, heading].filter((part): part is string => part !== undefined).map(strip);
  const unique = [...new Set(parts.map((part) => cleanText(part, maxExcerpt)).filter((part) => part !== ''))];
  if (unique.length > 0) return cleanText(unique.join(': '), maxExcerpt);
  const bodyText = /<body[^>]*>([\s\S]*)/i.exec(body)?.[1] ?? body;
  return cleanText(strip(bodyText), maxExcerpt);
}

/**
 * The code and description of an error body (JSON of any known shape, plain text or HTML).
 * The description is one line: control characters removed, at most 1024 characters (200 for a
 * plain-text or HTML excerpt). An empty body gives `{}`.
 */
export function readErrorBody(body: string, contentType?: string): ErrorBodyDetails {
  const trimmed = body.trim();
  if (trimmed === '') return {};
  let details: ErrorBodyDetails | undefined;
  if (trimmed.startsWith('{') || trimmed.startsWith('"') || trimmed.startsWith('[')) {
    try {
      details = fromJson(JSON.parse(trimmed));
    } catch {
      details = undefined;
    }
  }
  if (details === undefined) {
    const looksHtml = /^<(?:!doctype|html|head|body|\?xml)/i.test(trimmed) || /html/i.test(contentType ?? '');
    const excerpt = looksHtml ? htmlExcerpt(trimmed) : cleanText(trimmed, maxExcerpt);
    return excerpt === '' ? {} : { description: excerpt };
  }
  return {
    ...(details.pcCode !== undefined
      ? { pcCode: typeof details.pcCode === 'string' ? cleanText(details.pcCode, 100) : details.pcCode }
      : {}),
    ...(details.description !== undefined && cleanText(details.description) !== ''
      ? { description: cleanText(details.description) }
      : {}),
  };
}
