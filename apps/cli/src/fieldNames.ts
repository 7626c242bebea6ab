import type { FilterNode, FilterOperator, OperandNode } from '@pc/odata-query';
import { isFilterSyntaxError, parseFilter } from '@pc/odata-query';
import { UsageError } from './exitCodes.js';

/** Edit distance between two texts (Levenshtein, case-insensitive). */
export function editDistance(left: string, right: string): number {
  const a = left.toLowerCase();
  const b = right.toLowerCase();
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known name closest to `name` (case-insensitive edit distance at most a third of its length,
 * at least 2), or a known name that starts with it; `undefined` when nothing is close.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3))) return best;
  const lower = name.toLowerCase();
  return lower.length >= 3 ? known.find((candidate) => candidate.toLowerCase().startsWith(lower)) : undefined;
}

/**
 * Finds a field by name without regard to case (`customername` -> `customerName`).
 * @throws {@link UsageError} (exit 2) naming the flag, with "did you mean" when a name is close,
 * and the list of known fields.
 */
export function resolveFieldName(name: string, known: readonly string[], flag: string): string {
  const lower = name.toLowerCase();
  const found = known.find((candidate) => candidate.toLowerCase() === lower);
  if (found !== undefined) return found;
  const suggestion = closestName(name, known);
  throw new UsageError(
    `unknown field '${name}' in ${flag}${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`,
    `fields: ${known.join(', ')}`,
  );
}

function operandFields(operand: OperandNode, into: OperandNode[]): void {
  if (operand.kind === 'field') into.push(operand);
}

/** Every field reference of a filter, with its offsets in the text. */
function fieldNodes(node: FilterNode): OperandNode[] {
  const found: OperandNode[] = [];
  const stack: FilterNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as FilterNode;
    switch (current.kind) {
      case 'and':
      case 'or':
        stack.push(current.right, current.left);
        break;
      case 'not':
        stack.push(current.operand);
        break;
      case 'compare':
        operandFields(current.left, found);
        operandFields(current.right, found);
        break;
      case 'in':
        operandFields(current.left, found);
        break;
      case 'call':
        operandFields(current.args[0], found);
        operandFields(current.args[1], found);
        break;
    }
  }
  return found;
}

function caret(text: string, start: number, end: number): string {
  return `  ${text}\n  ${' '.repeat(start)}${'^'.repeat(Math.max(1, end - start))}`;
}

/**
 * Checks a filter (`--filter` or `--where`) against the known fields and operators, with field
 * names taken without regard to case; returns the text with each field spelled as the endpoint
 * spells it, and its AST.
 * @throws {@link UsageError} (exit 2): a syntax error or a refused operator with a caret, an unknown
 * field with "did you mean" and a caret.
 */
export function normalizeFilter(
  text: string,
  input: { fields: readonly string[]; operators?: readonly FilterOperator[]; flag: string; hint?: string },
): { text: string; node: FilterNode } {
  const fail = (error: unknown): never => {
    if (isFilterSyntaxError(error)) {
      throw new UsageError(`invalid ${input.flag}: ${error.message}`, input.hint);
    }
    throw error;
  };
  let node: FilterNode;
  try {
    node = parseFilter(text, input.operators === undefined ? {} : { operators: input.operators });
  } catch (error) {
    return fail(error);
  }
  const edits: { start: number; end: number; name: string }[] = [];
  for (const field of fieldNodes(node)) {
    if (field.kind !== 'field') continue;
    const lower = field.name.toLowerCase();
    const found = input.fields.find((candidate) => candidate.toLowerCase() === lower);
    if (found === undefined) {
      const suggestion = closestName(field.name, input.fields);
      const located = text.slice(field.start, field.end) === field.name;
      throw new UsageError(
        `invalid ${input.flag}: unknown field '${field.name}'${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}${located ? `\n${caret(text, field.start, field.end)}` : ''}`,
        input.hint ?? `fields: ${input.fields.join(', ')}`,
      );
    }
    if (found !== field.name && text.slice(field.start, field.end) === field.name) {
      edits.push({ start: field.start, end: field.end, name: found });
    }
  }
  if (edits.length === 0) return { text, node };
  let rewritten = text;
  for (const edit of edits.sort((left, right) => right.start - left.start)) {
    rewritten = rewritten.slice(0, edit.start) + edit.name + rewritten.slice(edit.end);
  }
  try {
    return { text: rewritten, node: parseFilter(rewritten, { fields: input.fields }) };
  } catch (error) {
    return fail(error);
  }
}

const guidPattern = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

/**
 * Checks a GUID flag value locally (a tenant or customer id), so a typo is refused before any
 * request. Accepts the 8-4-4-4-12 hex form, with or without braces; returns it without braces.
 * @throws {@link UsageError} (exit 2) naming the flag and the value.
 */
export function checkGuid(value: string, flag: string): string {
  const text = value.trim();
  if (!guidPattern.test(text)) {
    throw new UsageError(
      `${flag} must be a GUID such as 0112a436-9bf1-4a7a-9a54-c0e3b6a2d9f0, got '${value}'`,
    );
  }
  return text.replace(/^\{|\}$/g, '');
}
