/**
 * The hand-written tokenizer and precedence-climbing parser behind `parseFilter`.
 * Tokens live in fields of the parser (no token objects), so an 80-character filter parses in
 * about a microsecond. Grammar and precedence: decisions/0010-filter-semantics.md.
 */
import type {
  CallNode,
  CompareNode,
  CompareOperator,
  FieldNode,
  FilterNode,
  FilterOperator,
  FunctionName,
  InNode,
  LiteralNode,
  OperandNode,
} from '../ast.js';
import { type FilterErrorCode, FilterSyntaxError } from '../filterSyntaxError.js';
import { dateShapeAt, guidShapeAt, isWordChar, scanTime, validDate } from './literals.js';

const TOK_END = 0;
const TOK_WORD = 1;
const TOK_STRING = 2;
const TOK_NUMBER = 3;
const TOK_DATE = 4;
const TOK_DATETIME = 5;
const TOK_GUID = 6;
const TOK_LPAREN = 7;
const TOK_RPAREN = 8;
const TOK_COMMA = 9;
const TOK_INVALID = 10;

const maxDepth = 200;

const compareOperators: ReadonlySet<string> = new Set<CompareOperator>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const functionNames: ReadonlySet<string> = new Set<FunctionName>(['contains', 'startswith', 'endswith']);
/** Words that can never be field names. */
export const reservedWords: ReadonlySet<string> = new Set([
  'and',
  'or',
  'not',
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'in',
  'true',
  'false',
  'null',
]);

/** Every keyword, grouped by length, so the tokenizer can hand out the interned constant instead of a slice. */
const keywordsByLength: ReadonlyArray<readonly string[] | undefined> = (() => {
  const table: string[][] = [];
  for (const word of [...reservedWords, 'contains', 'startswith', 'endswith']) {
    const bucket = table[word.length] ?? [];
    bucket.push(word);
    table[word.length] = bucket;
  }
  return table;
})();

function keywordAt(src: string, start: number, end: number): string | undefined {
  const candidates = keywordsByLength[end - start];
  if (candidates === undefined) return undefined;
  for (let i = 0; i < candidates.length; i++) {
    const word = candidates[i] as string;
    if (src.startsWith(word, start)) return word;
  }
  return undefined;
}

/** The same node with another source range (a parenthesised group spans its parentheses). */
function withRange(node: FilterNode, start: number, end: number): FilterNode {
  switch (node.kind) {
    case 'and':
      return { kind: 'and', left: node.left, right: node.right, start, end };
    case 'or':
      return { kind: 'or', left: node.left, right: node.right, start, end };
    case 'not':
      return { kind: 'not', operand: node.operand, start, end };
    case 'compare':
      return { kind: 'compare', operator: node.operator, left: node.left, right: node.right, start, end };
    case 'in':
      return { kind: 'in', left: node.left, values: node.values, start, end };
    case 'call':
      return { kind: 'call', name: node.name, args: node.args, start, end };
  }
}

/** What the parser checks beyond syntax. */
export interface ParserChecks {
  /** Allowed field names, or null for any. */
  readonly fields: ReadonlySet<string> | null;
  /** Allowed operators, or null for all. */
  readonly operators: ReadonlySet<string> | null;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Parses `src` from `begin` to its end into a filter AST, or throws {@link FilterSyntaxError}. */
export function parseSource(src: string, begin: number, checks: ParserChecks): FilterNode {
  const parser = new Parser(src, begin, checks);
  return parser.parseFilter();
}

class Parser {
  private readonly src: string;
  private readonly len: number;
  private readonly fields: ReadonlySet<string> | null;
  private readonly operators: ReadonlySet<string> | null;
  private pos: number;
  private depth = 0;
  private tok = TOK_END;
  private tokStart = 0;
  private tokEnd = 0;
  /** Word text, unescaped string value, or literal text. */
  private tokText = '';
  private tokNumber = 0;
  /** Type and end of the previous token, to recognise an unescaped quote (`'O'Brien'`). */
  private prevTok = TOK_END;
  private prevEnd = 0;

  constructor(src: string, begin: number, checks: ParserChecks) {
    this.src = src;
    this.len = src.length;
    this.pos = begin;
    this.fields = checks.fields;
    this.operators = checks.operators;
  }

  parseFilter(): FilterNode {
    this.next();
    const node = this.parseOr();
    if (!this.at(TOK_END)) {
      this.fail(this.allowedOf(['and', 'or']).concat('end of input'));
    }
    return node;
  }

  // ---------------------------------------------------------------- tokenizer

  private next(): void {
    const src = this.src;
    const len = this.len;
    let pos = this.pos;
    this.prevTok = this.tok;
    this.prevEnd = this.tokEnd;
    while (pos < len && isWhitespace(src.charCodeAt(pos))) pos++;
    this.tokStart = pos;
    if (pos >= len) {
      this.tok = TOK_END;
      this.tokEnd = pos;
      this.pos = pos;
      return;
    }
    const code = src.charCodeAt(pos);
    if (code === 40 || code === 41 || code === 44) {
      this.tok = code === 40 ? TOK_LPAREN : code === 41 ? TOK_RPAREN : TOK_COMMA;
      this.tokEnd = this.pos = pos + 1;
      return;
    }
    if (code === 39) {
      this.scanString(pos);
      return;
    }
    const isDigit = isDigitCode(code);
    if ((isDigit || isWordChar(code)) && guidShapeAt(src, pos, len)) {
      // No identifier contains '-', so the shape alone makes it a GUID; `...89abx` is wrong at the x.
      this.endLiteral(pos + 36);
      this.tok = TOK_GUID;
      this.tokText = src.slice(pos, pos + 36);
      this.tokEnd = this.pos = pos + 36;
      return;
    }
    if (isDigit || code === 45) {
      this.scanNumberOrDate(pos);
      return;
    }
    if (isWordChar(code)) {
      let end = pos + 1;
      while (end < len && isWordChar(src.charCodeAt(end))) end++;
      this.tok = TOK_WORD;
      this.tokText = keywordAt(src, pos, end) ?? src.slice(pos, end);
      this.tokEnd = this.pos = end;
      return;
    }
    this.tok = TOK_INVALID;
    const cp = src.codePointAt(pos) ?? code;
    this.tokEnd = this.pos = pos + (cp > 0xffff ? 2 : 1);
  }

  private scanString(quote: number): void {
    const src = this.src;
    let from = quote + 1;
    let value = '';
    for (;;) {
      const close = src.indexOf("'", from);
      if (close < 0) {
        throw new FilterSyntaxError({
          input: src,
          offset: quote,
          expected: ["closing '"],
          found: 'end of input',
          reason: "Unterminated string literal (a quote inside a string is written '')",
        });
      }
      if (src.charCodeAt(close + 1) === 39) {
        value += src.slice(from, close + 1);
        from = close + 2;
        continue;
      }
      value += src.slice(from, close);
      this.tok = TOK_STRING;
      this.tokText = value;
      this.tokEnd = this.pos = close + 1;
      return;
    }
  }

  private scanNumberOrDate(start: number): void {
    const src = this.src;
    const len = this.len;
    if (dateShapeAt(src, start, len)) {
      if (!validDate(src, start)) {
        this.failAt(start, ['a valid date'], this.quoteText(start, start + 10), 'Invalid date');
      }
      let end = start + 10;
      let tok = TOK_DATE;
      if (end < len && src.charCodeAt(end) === 84) {
        const timeEnd = scanTime(src, end, len);
        if (timeEnd < 0) {
          this.failAt(
            end,
            ['a time such as T10:30:00Z'],
            this.describeChar(end + 1),
            'Invalid time in date-time',
          );
        }
        end = timeEnd;
        tok = TOK_DATETIME;
      }
      this.endLiteral(end);
      this.tok = tok;
      this.tokText = src.slice(start, end);
      this.tokEnd = this.pos = end;
      return;
    }
    let p = start;
    if (src.charCodeAt(p) === 45) p++;
    const intStart = p;
    while (p < len && isDigitCode(src.charCodeAt(p))) p++;
    if (p === intStart) {
      this.tok = TOK_INVALID;
      this.tokEnd = this.pos = start + 1;
      return;
    }
    if (p < len && src.charCodeAt(p) === 46) {
      p++;
      const fracStart = p;
      while (p < len && isDigitCode(src.charCodeAt(p))) p++;
      if (p === fracStart) this.failAt(p, ['a digit'], this.describeChar(p), 'Incomplete number');
    }
    const e = p < len ? src.charCodeAt(p) : 0;
    if (e === 101 || e === 69) {
      p++;
      const s = p < len ? src.charCodeAt(p) : 0;
      if (s === 43 || s === 45) p++;
      const expStart = p;
      while (p < len && isDigitCode(src.charCodeAt(p))) p++;
      if (p === expStart) this.failAt(p, ['a digit'], this.describeChar(p), 'Incomplete number exponent');
    }
    this.endLiteral(p);
    const value = Number(src.slice(start, p));
    if (!Number.isFinite(value)) {
      this.failAt(start, ['a finite number'], this.quoteText(start, p), 'Number out of range');
    }
    this.tok = TOK_NUMBER;
    this.tokNumber = value;
    this.tokEnd = this.pos = p;
  }

  /** A literal must not run straight into a word (`12abc`, `2024-01-01x`). */
  private endLiteral(end: number): void {
    if (end < this.len && isWordChar(this.src.charCodeAt(end))) {
      this.failAt(end, ['a space', ')', ','], this.describeChar(end), 'Unexpected character after a literal');
    }
  }

  // ---------------------------------------------------------------- grammar

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.at(TOK_WORD) && this.tokText === 'or') {
      this.checkOperator('or');
      this.next();
      const right = this.parseAnd();
      left = { kind: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.at(TOK_WORD) && this.tokText === 'and') {
      this.checkOperator('and');
      this.next();
      const right = this.parseUnary();
      left = { kind: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.at(TOK_WORD) && this.tokText === 'not') {
      this.checkOperator('not');
      const start = this.tokStart;
      this.enter();
      this.next();
      const operand = this.parseUnary();
      this.depth--;
      return { kind: 'not', operand, start, end: operand.end };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    if (this.at(TOK_LPAREN)) {
      const start = this.tokStart;
      this.enter();
      this.next();
      const inner = this.parseOr();
      if (!this.at(TOK_RPAREN)) this.fail(this.allowedOf(['and', 'or']).concat(')'));
      const end = this.tokEnd;
      this.depth--;
      this.next();
      return withRange(inner, start, end);
    }
    if (this.at(TOK_WORD) && functionNames.has(this.tokText) && this.peekChar() === 40) {
      return this.parseCall();
    }
    const left = this.parseOperand(true);
    if (this.at(TOK_WORD)) {
      const word = this.tokText;
      if (compareOperators.has(word)) {
        this.checkOperator(word as CompareOperator);
        this.next();
        const right = this.parseOperand(false);
        const node: CompareNode = {
          kind: 'compare',
          operator: word as CompareOperator,
          left,
          right,
          start: left.start,
          end: right.end,
        };
        return node;
      }
      if (word === 'in') {
        this.checkOperator('in');
        return this.parseInList(left);
      }
    }
    return this.fail(this.allowedOf(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in']));
  }

  private parseCall(): CallNode {
    const name = this.tokText as FunctionName;
    const start = this.tokStart;
    this.checkOperator(name);
    this.next(); // name
    this.next(); // (
    const first = this.parseOperand(false);
    if (!this.at(TOK_COMMA)) this.fail([',']);
    this.next();
    const second = this.parseOperand(false);
    if (!this.at(TOK_RPAREN)) this.fail([')']);
    const end = this.tokEnd;
    this.next();
    return { kind: 'call', name, args: [first, second], start, end };
  }

  private parseInList(left: OperandNode): InNode {
    this.next(); // in
    if (!this.at(TOK_LPAREN)) this.fail(['(']);
    this.next();
    const values: LiteralNode[] = [];
    for (;;) {
      values.push(this.parseLiteral());
      if (this.at(TOK_COMMA)) {
        this.next();
        continue;
      }
      if (this.at(TOK_RPAREN)) break;
      this.fail([',', ')']);
    }
    const end = this.tokEnd;
    this.next();
    return { kind: 'in', left, values, start: left.start, end };
  }

  private parseOperand(first: boolean): OperandNode {
    if (this.at(TOK_WORD) && !reservedWords.has(this.tokText)) {
      const name = this.tokText;
      const start = this.tokStart;
      const end = this.tokEnd;
      if (this.fields !== null && !this.fields.has(name)) {
        this.failAt(
          start,
          [...this.fields],
          `"${name}"`,
          `Unknown field "${name}" (allowed: ${[...this.fields].join(', ') || 'none'})`,
          'unknownField',
        );
      }
      this.next();
      const field: FieldNode = { kind: 'field', name, start, end };
      return field;
    }
    if (this.isLiteralToken()) return this.parseLiteral();
    const expected = ['a field name', 'a literal'];
    if (first) expected.push('(', ...this.allowedOf(['not', 'contains', 'startswith', 'endswith']));
    return this.fail(expected);
  }

  private isLiteralToken(): boolean {
    const tok = this.tok;
    if (tok === TOK_WORD) {
      const word = this.tokText;
      return word === 'true' || word === 'false' || word === 'null';
    }
    return tok >= TOK_STRING && tok <= TOK_GUID;
  }

  private parseLiteral(): LiteralNode {
    const start = this.tokStart;
    const end = this.tokEnd;
    let node: LiteralNode;
    switch (this.tok) {
      case TOK_STRING:
        node = { kind: 'literal', type: 'string', value: this.tokText, start, end };
        break;
      case TOK_NUMBER:
        node = { kind: 'literal', type: 'number', value: this.tokNumber, start, end };
        break;
      case TOK_DATE:
        node = { kind: 'literal', type: 'date', value: this.tokText, start, end };
        break;
      case TOK_DATETIME:
        node = { kind: 'literal', type: 'dateTime', value: this.tokText, start, end };
        break;
      case TOK_GUID:
        node = { kind: 'literal', type: 'guid', value: this.tokText, start, end };
        break;
      case TOK_WORD:
        if (this.tokText === 'null') {
          node = { kind: 'literal', type: 'null', value: null, start, end };
          break;
        }
        if (this.tokText === 'true' || this.tokText === 'false') {
          node = { kind: 'literal', type: 'boolean', value: this.tokText === 'true', start, end };
          break;
        }
        return this.fail(['a literal']);
      default:
        return this.fail(['a literal']);
    }
    this.next();
    return node;
  }

  // ---------------------------------------------------------------- helpers

  /** True when the current token is of `type` (a method, so TypeScript does not keep stale narrowing). */
  private at(type: number): boolean {
    return this.tok === type;
  }

  private peekChar(): number {
    let p = this.tokEnd;
    while (p < this.len && isWhitespace(this.src.charCodeAt(p))) p++;
    return p < this.len ? this.src.charCodeAt(p) : -1;
  }

  private enter(): void {
    if (++this.depth > maxDepth) {
      this.failAt(this.tokStart, [], this.describeToken(), `Filter nested deeper than ${maxDepth} levels`);
    }
  }

  private checkOperator(operator: FilterOperator): void {
    if (this.operators !== null && !this.operators.has(operator)) {
      const allowed = [...this.operators];
      this.failAt(
        this.tokStart,
        allowed,
        `"${operator}"`,
        `Operator "${operator}" is not allowed here (allowed: ${allowed.join(', ') || 'none'})`,
        'operatorNotAllowed',
      );
    }
  }

  /** The operators from `candidates` the caller allows, for expected-lists. */
  private allowedOf(candidates: readonly string[]): string[] {
    const operators = this.operators;
    return operators === null ? candidates.slice() : candidates.filter((c) => operators.has(c));
  }

  private describeToken(): string {
    if (this.at(TOK_END)) return 'end of input';
    return this.quoteText(this.tokStart, this.tokEnd);
  }

  private describeChar(at: number): string {
    if (at >= this.len) return 'end of input';
    return this.quoteText(at, at + 1);
  }

  private quoteText(from: number, to: number): string {
    const text = this.src.slice(from, to);
    return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
  }

  private fail(expected: readonly string[]): never {
    const tok = this.tok;
    if (
      this.prevTok === TOK_STRING &&
      this.tokStart === this.prevEnd &&
      tok !== TOK_END &&
      tok !== TOK_RPAREN &&
      tok !== TOK_COMMA
    ) {
      // `'O'Brien'`: the string ended at a quote that was meant to be part of it.
      return this.failAt(
        this.prevEnd - 1,
        ["''"],
        "'",
        "Unescaped quote inside a string literal (write '' for a quote)",
      );
    }
    return this.failAt(this.tokStart, expected, this.describeToken());
  }

  private failAt(
    offset: number,
    expected: readonly string[],
    found: string,
    reason?: string,
    code: FilterErrorCode = 'syntax',
  ): never {
    throw new FilterSyntaxError(
      reason === undefined
        ? { input: this.src, offset, expected, found, code }
        : { input: this.src, offset, expected, found, reason, code },
    );
  }
}
