/**
 * The code compiler: turns a filter into the source of one JavaScript function, so that every
 * field read is `row["serviceCode"]` with a constant key (a monomorphic property load) instead of
 * `row[name]` inside a shared closure (a megamorphic keyed load). Literal tests stay the closures
 * of comparands.ts, passed in as constants; no user text ever becomes code (keys go through
 * JSON.stringify, literals never appear in the source).
 */
import type { FilterNode, OperandNode } from '../ast.js';
import {
  type Comparand,
  comparandOf,
  compileCall,
  compileCompare,
  compileIn,
  type FilterPredicate,
  fieldReader,
  flipped,
  isInheritedName,
} from './comparands.js';

type Constant = FilterPredicate | Comparand['eq'] | Comparand['cmp'] | ReturnType<typeof fieldReader>;

class CodeBuilder {
  readonly constants: Constant[] = [];

  constant(value: Constant): string {
    this.constants.push(value);
    return `k[${this.constants.length - 1}]`;
  }

  /** Source of a boolean expression over `r` (the row) and `v` (a scratch variable). */
  expression(node: FilterNode): string {
    switch (node.kind) {
      case 'and':
      case 'or': {
        const parts: string[] = [];
        const stack: FilterNode[] = [node];
        while (stack.length > 0) {
          const current = stack.pop() as FilterNode;
          if (current.kind === node.kind) stack.push(current.right, current.left);
          else parts.push(this.expression(current));
        }
        return `(${parts.join(node.kind === 'and' ? ' && ' : ' || ')})`;
      }
      case 'not':
        return `!${this.expression(node.operand)}`;
      case 'compare':
        return this.compare(node.operator, node.left, node.right);
      case 'in':
        return `${this.constant(compileIn(node.left, node.values))}(r)`;
      case 'call':
        return `${this.constant(compileCall(node))}(r)`;
    }
  }

  private compare(
    operator: Extract<FilterNode, { kind: 'compare' }>['operator'],
    left: OperandNode,
    right: OperandNode,
  ): string {
    let field: string;
    let literal: OperandNode;
    let op = operator;
    if (left.kind === 'field' && right.kind === 'literal') {
      field = left.name;
      literal = right;
    } else if (left.kind === 'literal' && right.kind === 'field') {
      field = right.name;
      literal = left;
      op = flipped[operator];
    } else {
      return `${this.constant(compileCompare(operator, left, right))}(r)`;
    }
    if (literal.kind !== 'literal') return `${this.constant(compileCompare(operator, left, right))}(r)`;
    // An inherited name (`constructor`...) is read as an own property only, through a constant reader.
    const read = isInheritedName(field)
      ? `${this.constant(fieldReader(field))}(r)`
      : `r[${JSON.stringify(field)}]`;
    if (literal.type === 'null') {
      if (op === 'eq') return `(${read} === null)`;
      if (op === 'ne') return `((v = ${read}) !== null && v !== undefined)`;
      return 'false';
    }
    const { eq, cmp } = comparandOf(literal);
    switch (op) {
      case 'eq':
        return `${this.constant(eq)}(${read})`;
      case 'ne':
        return `((v = ${read}) !== undefined && !${this.constant(eq)}(v))`;
      case 'gt':
        return `(${this.constant(cmp)}(${read}) > 0)`;
      case 'ge':
        return `(${this.constant(cmp)}(${read}) >= 0)`;
      case 'lt':
        return `(${this.constant(cmp)}(${read}) < 0)`;
      case 'le':
        return `(${this.constant(cmp)}(${read}) <= 0)`;
    }
  }
}

/** Longest generated source we hand to the engine; larger filters use the closure compiler. */
const maxSourceLength = 200_000;

/**
 * Compiles `node` to a generated function, or returns undefined when code generation is not
 * possible here (`--disallow-code-generation-from-strings`, a CSP) or the filter is too large.
 */
export function compileToCode(node: FilterNode): FilterPredicate | undefined {
  const builder = new CodeBuilder();
  const body = builder.expression(node);
  if (body.length > maxSourceLength) return undefined;
  let factory: (constants: readonly Constant[]) => FilterPredicate;
  try {
    factory = new Function(
      'k',
      `"use strict"; return function filterPredicate(r) { var v; return ${body}; };`,
    ) as (constants: readonly Constant[]) => FilterPredicate;
  } catch (error) {
    // Code generation from strings is disabled: the caller falls back to closures.
    if (error instanceof EvalError) return undefined;
    throw error;
  }
  return factory(builder.constants);
}
