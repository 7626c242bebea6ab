import type { AndNode, FilterNode, FilterOperator, LiteralNode, OperandNode, OrNode } from './ast.js';
import { FilterSyntaxError, reasonOf } from './filterSyntaxError.js';
import { type ParserChecks, parseSource } from './internal/parser.js';

/** Restrictions `parseFilter` enforces on top of the grammar. */
export interface ParseFilterOptions {
  /** The only field names the filter may use; any other is a {@link FilterSyntaxError} at that field. */
  readonly fields?: readonly string[];
  /** The only operators the filter may use (parentheses are always allowed). */
  readonly operators?: readonly FilterOperator[];
}

const noChecks: ParserChecks = { fields: null, operators: null };
const checksCache = new WeakMap<object, ParserChecks>();

function checksFor(options: ParseFilterOptions | undefined): ParserChecks {
  if (options === undefined || (options.fields === undefined && options.operators === undefined)) {
    return noChecks;
  }
  const cached = checksCache.get(options);
  if (cached !== undefined) return cached;
  const checks: ParserChecks = {
    fields: options.fields === undefined ? null : new Set(options.fields),
    operators: options.operators === undefined ? null : new Set(options.operators),
  };
  checksCache.set(options, checks);
  return checks;
}

function prefixLength(text: string): number {
  if (text.startsWith('$filter=')) return 8;
  if (text.startsWith('filter=')) return 7;
  return 0;
}

function hasWhitespace(text: string): boolean {
  return /[ \t\r\n]/.test(text);
}

/**
 * Parses an OData filter into an AST whose nodes carry `start`/`end` offsets into `text`.
 *
 * Accepts the plain text (`serviceCode eq 'O365'`), a `$filter=` or `filter=` prefix, and
 * percent-encoded input as it appears in a raw query string (`%20`, `%27`, ...). Percent-decoding
 * happens when the text has a prefix or contains no whitespace at all, so a literal such as
 * `'100%'` in plain text is left alone. Offsets always refer to the text as given.
 *
 * @throws {@link FilterSyntaxError} at the first wrong character, or at an unknown field or refused operator.
 */
export function parseFilter(text: string, options?: ParseFilterOptions): FilterNode {
  const checks = checksFor(options);
  const begin = prefixLength(text);
  if (text.includes('%', begin) && (begin > 0 || !hasWhitespace(text))) {
    return parseEncoded(text, begin, checks);
  }
  return parseSource(text, begin, checks);
}

const percentRun = /(?:%[0-9A-Fa-f]{2})+/g;

/** Decodes `%XX` runs of `text` after `begin`, returning the decoded text and, per decoded char, its offset in `text`. */
function percentDecode(text: string, begin: number): { decoded: string; offsets: number[] } {
  let decoded = '';
  const offsets: number[] = [];
  let last = begin;
  const copy = (to: number): void => {
    for (let i = last; i < to; i++) offsets.push(i);
    decoded += text.slice(last, to);
  };
  percentRun.lastIndex = begin;
  for (let match = percentRun.exec(text); match !== null; match = percentRun.exec(text)) {
    copy(match.index);
    let run: string;
    try {
      run = decodeURIComponent(match[0]);
    } catch (error) {
      if (!(error instanceof URIError)) throw error;
      run = match[0];
    }
    for (let i = 0; i < run.length; i++) offsets.push(match.index + Math.min(i * 3, match[0].length - 1));
    decoded += run;
    last = match.index + match[0].length;
  }
  copy(text.length);
  offsets.push(text.length);
  return { decoded, offsets };
}

function parseEncoded(text: string, begin: number, checks: ParserChecks): FilterNode {
  const { decoded, offsets } = percentDecode(text, begin);
  const at = (offset: number): number => offsets[offset] ?? text.length;
  let node: FilterNode;
  try {
    node = parseSource(decoded, 0, checks);
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    const found = error.found;
    const reason = reasonOf(error);
    throw new FilterSyntaxError({
      input: text,
      offset: at(error.offset),
      expected: error.expected,
      found,
      reason,
      code: error.code,
    });
  }
  return remap(node, at);
}

function remapOperand(node: OperandNode, at: (offset: number) => number): OperandNode {
  return { ...node, start: at(node.start), end: at(node.end) };
}

function remap(node: FilterNode, at: (offset: number) => number): FilterNode {
  const start = at(node.start);
  const end = at(node.end);
  switch (node.kind) {
    case 'and':
    case 'or': {
      // A chain of thousands of `and`s is a left-deep tree: walk its left spine without recursion.
      const spine: Array<AndNode | OrNode> = [];
      let current: FilterNode = node;
      while (current.kind === 'and' || current.kind === 'or') {
        spine.push(current);
        current = current.left;
      }
      let result = remap(current, at);
      for (let i = spine.length - 1; i >= 0; i--) {
        const link = spine[i] as AndNode | OrNode;
        const right = remap(link.right, at);
        const range = { start: at(link.start), end: at(link.end) };
        result =
          link.kind === 'and'
            ? { kind: 'and', left: result, right, ...range }
            : { kind: 'or', left: result, right, ...range };
      }
      return result;
    }
    case 'not':
      return { ...node, operand: remap(node.operand, at), start, end };
    case 'compare':
      return { ...node, left: remapOperand(node.left, at), right: remapOperand(node.right, at), start, end };
    case 'in':
      return {
        ...node,
        left: remapOperand(node.left, at),
        values: node.values.map((value) => remapOperand(value, at) as LiteralNode),
        start,
        end,
      };
    case 'call':
      return { ...node, args: [remapOperand(node.args[0], at), remapOperand(node.args[1], at)], start, end };
  }
}
