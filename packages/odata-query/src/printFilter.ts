import type { FilterNode, LiteralNode, OperandNode } from './ast.js';
import { dateShapeAt, guidAt, scanTime, validDate } from './internal/literals.js';
import { reservedWords } from './internal/parser.js';

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Field names already checked, so printing a hot filter does not re-run the pattern (bounded). */
const checkedFields = new Set<string>();

function printField(name: string): string {
  if (checkedFields.has(name)) return name;
  if (!identifier.test(name) || reservedWords.has(name)) {
    throw new TypeError(
      `Cannot print field name ${JSON.stringify(name)}: not an identifier the grammar accepts`,
    );
  }
  if (checkedFields.size < 1024) checkedFields.add(name);
  return name;
}

/** Single-quotes a string, doubling every quote inside it. */
export function quoteString(value: string): string {
  let quote = value.indexOf("'");
  if (quote < 0) return `'${value}'`;
  // A slice loop: String.prototype.replaceAll is several times slower here.
  let out = "'";
  let from = 0;
  while (quote >= 0) {
    out += `${value.slice(from, quote)}''`;
    from = quote + 1;
    quote = value.indexOf("'", from);
  }
  return `${out}${value.slice(from)}'`;
}

function checkedDateTime(value: string, withTime: boolean): string {
  const end = value.length;
  const ok =
    dateShapeAt(value, 0, end) &&
    validDate(value, 0) &&
    (withTime ? value.charCodeAt(10) === 84 && scanTime(value, 10, end) === end : end === 10);
  if (!ok)
    throw new TypeError(`Cannot print ${JSON.stringify(value)} as a ${withTime ? 'date-time' : 'date'}`);
  return value;
}

/** Prints one literal in canonical form. */
export function printLiteral(node: LiteralNode): string {
  switch (node.type) {
    case 'string':
      return quoteString(node.value);
    case 'number':
      if (!Number.isFinite(node.value)) throw new TypeError(`Cannot print the number ${node.value}`);
      return String(node.value);
    case 'boolean':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'date':
      return checkedDateTime(node.value, false);
    case 'dateTime':
      return checkedDateTime(node.value, true);
    case 'guid':
      if (node.value.length !== 36 || !guidAt(node.value, 0, 36)) {
        throw new TypeError(`Cannot print ${JSON.stringify(node.value)} as a GUID`);
      }
      return node.value;
  }
}

function printOperand(node: OperandNode): string {
  return node.kind === 'field' ? printField(node.name) : printLiteral(node);
}

/** Collects the operands of a chain of the same binary operator, left to right, without recursion on the chain. */
function flatten(node: FilterNode, kind: 'and' | 'or', into: FilterNode[]): void {
  const stack: FilterNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as FilterNode;
    if (current.kind === kind) {
      stack.push(current.right, current.left);
    } else {
      into.push(current);
    }
  }
}

function print(node: FilterNode): string {
  switch (node.kind) {
    case 'or': {
      if (node.left.kind !== 'or' && node.right.kind !== 'or')
        return `${print(node.left)} or ${print(node.right)}`;
      const parts: FilterNode[] = [];
      flatten(node, 'or', parts);
      let out = print(parts[0] as FilterNode);
      for (let i = 1; i < parts.length; i++) out += ` or ${print(parts[i] as FilterNode)}`;
      return out;
    }
    case 'and': {
      const { left, right } = node;
      if (left.kind !== 'and' && right.kind !== 'and') {
        const l = left.kind === 'or' ? `(${print(left)})` : print(left);
        const r = right.kind === 'or' ? `(${print(right)})` : print(right);
        return `${l} and ${r}`;
      }
      const parts: FilterNode[] = [];
      flatten(node, 'and', parts);
      let out = '';
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i] as FilterNode;
        const text = part.kind === 'or' ? `(${print(part)})` : print(part);
        out = i === 0 ? text : `${out} and ${text}`;
      }
      return out;
    }
    case 'not': {
      const operand = node.operand;
      // A call or another `not` needs no parentheses; a comparison does, because under OData's
      // precedence (`not` above relational) `not a eq 1` would mean `(not a) eq 1`.
      return operand.kind === 'call' || operand.kind === 'not'
        ? `not ${print(operand)}`
        : `not (${print(operand)})`;
    }
    case 'compare':
      return `${printOperand(node.left)} ${node.operator} ${printOperand(node.right)}`;
    case 'in': {
      if (node.values.length === 0) throw new TypeError('Cannot print an empty in-list');
      let list = printLiteral(node.values[0] as LiteralNode);
      for (let i = 1; i < node.values.length; i++) list += `, ${printLiteral(node.values[i] as LiteralNode)}`;
      return `${printOperand(node.left)} in (${list})`;
    }
    case 'call':
      return `${node.name}(${printOperand(node.args[0])}, ${printOperand(node.args[1])})`;
  }
}

/**
 * Prints a filter AST as canonical text: single spaces, the fewest parentheses that keep the
 * meaning, `''` inside strings. The output is plain text, never URL-encoded (the transport encodes
 * once). `printFilter(parseFilter(printFilter(x)))` equals `printFilter(x)`.
 *
 * @throws TypeError when the AST holds something the grammar cannot express (a field name that is
 * not an identifier, a non-finite number, a malformed date or GUID, an empty in-list).
 */
export function printFilter(node: FilterNode): string {
  return print(node);
}
