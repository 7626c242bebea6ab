/**
 * What kind of fault a {@link FilterSyntaxError} reports: `syntax` (the grammar), `unknownField` (a
 * field outside `ParseFilterOptions.fields`) or `operatorNotAllowed` (outside `operators`).
 */
export type FilterErrorCode = 'syntax' | 'unknownField' | 'operatorNotAllowed';

/** What a {@link FilterSyntaxError} is built from. */
export interface FilterSyntaxErrorOptions {
  /** The whole text that was parsed. */
  readonly input: string;
  /** 0-based index of the first character that is wrong. */
  readonly offset: number;
  /** What would have been accepted at `offset`. */
  readonly expected: readonly string[];
  /** What was there instead (`end of input` at the end). */
  readonly found: string;
  /** A short explanation; the caret snippet is appended to it. */
  readonly reason?: string;
  /** The kind of fault; default `syntax`. */
  readonly code?: FilterErrorCode;
}

const snippetWidth = 100;

/**
 * Renders `input` on one line with a caret under `offset` (0-based), windowed to 100 characters
 * around long inputs; two lines, each indented by two spaces. Used by every caret message of pc
 * (filter errors here, request issues in `@pc/models`).
 */
export function caretSnippet(input: string, offset: number): string {
  const flat = input.replace(/[\r\n\t]/g, ' ');
  let from = 0;
  let to = flat.length;
  if (flat.length > snippetWidth) {
    from = Math.max(0, Math.min(offset - snippetWidth / 2, flat.length - snippetWidth));
    to = from + snippetWidth;
  }
  const prefix = from > 0 ? '...' : '';
  const suffix = to < flat.length ? '...' : '';
  const line = `${prefix}${flat.slice(from, to)}${suffix}`;
  const caret = `${' '.repeat(prefix.length + offset - from)}^`;
  return `  ${line}\n  ${caret}`;
}

function describeExpected(expected: readonly string[]): string {
  if (expected.length === 0) return 'nothing more';
  if (expected.length === 1) return expected[0] as string;
  return `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`;
}

/** The first line of each error's message (its reason), for re-throwing it against other text. */
const heads = new WeakMap<FilterSyntaxError, string>();

/** The reason part of `error.message`, without the offset and the caret snippet (internal). */
export function reasonOf(error: FilterSyntaxError): string {
  return heads.get(error) ?? error.message;
}

/**
 * Thrown by `parseFilter` (and by `compileFilter` given text) when a filter is not valid, or uses a
 * field or operator the caller did not allow. `offset` points at the first wrong character and
 * `message` shows the input with a caret under it.
 */
export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError' as const;
  /** 0-based index of the first character that is wrong. */
  readonly offset: number;
  /** What would have been accepted at `offset`. */
  readonly expected: readonly string[];
  /** What was found at `offset` (`end of input` at the end). */
  readonly found: string;
  /** The text that was parsed. */
  readonly input: string;
  /** The kind of fault: the grammar, an unknown field or a refused operator. */
  readonly code: FilterErrorCode;
  /** The first line of the message without the offset and the caret (`Unknown field "x" (allowed: ...)`). */
  readonly reason: string;

  constructor(options: FilterSyntaxErrorOptions) {
    const head =
      options.reason ?? `Expected ${describeExpected(options.expected)} but found ${options.found}`;
    super(`${head} at offset ${options.offset}:\n${caretSnippet(options.input, options.offset)}`);
    this.offset = options.offset;
    this.expected = options.expected;
    this.found = options.found;
    this.input = options.input;
    this.code = options.code ?? 'syntax';
    this.reason = head;
    heads.set(this, head);
  }
}

/**
 * True when `value` is a {@link FilterSyntaxError}, also one thrown by another copy of this package
 * (it checks the name and the shape, not the class).
 */
export function isFilterSyntaxError(value: unknown): value is FilterSyntaxError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<
    Record<'name' | 'offset' | 'expected' | 'found' | 'input' | 'message', unknown>
  >;
  return (
    candidate.name === 'FilterSyntaxError' &&
    typeof candidate.offset === 'number' &&
    Array.isArray(candidate.expected) &&
    typeof candidate.found === 'string' &&
    typeof candidate.input === 'string' &&
    typeof candidate.message === 'string'
  );
}
