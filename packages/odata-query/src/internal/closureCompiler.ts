/** The closure compiler: one closure per node, chains flattened, no tree walked per row. */
import type { FilterNode } from '../ast.js';
import { compileCall, compileCompare, compileIn, type FilterPredicate } from './comparands.js';

function collect(node: FilterNode, kind: 'and' | 'or'): FilterNode[] {
  const parts: FilterNode[] = [];
  const stack: FilterNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as FilterNode;
    if (current.kind === kind) stack.push(current.right, current.left);
    else parts.push(current);
  }
  return parts;
}

export function compileNode(node: FilterNode): FilterPredicate {
  switch (node.kind) {
    case 'and': {
      const parts = collect(node, 'and').map(compileNode);
      if (parts.length === 2) {
        const [a, b] = parts as [FilterPredicate, FilterPredicate];
        return (row) => a(row) && b(row);
      }
      return (row) => {
        for (let i = 0; i < parts.length; i++) if (!(parts[i] as FilterPredicate)(row)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = collect(node, 'or').map(compileNode);
      if (parts.length === 2) {
        const [a, b] = parts as [FilterPredicate, FilterPredicate];
        return (row) => a(row) || b(row);
      }
      return (row) => {
        for (let i = 0; i < parts.length; i++) if ((parts[i] as FilterPredicate)(row)) return true;
        return false;
      };
    }
    case 'not': {
      const operand = compileNode(node.operand);
      return (row) => !operand(row);
    }
    case 'compare':
      return compileCompare(node.operator, node.left, node.right);
    case 'in':
      return compileIn(node.left, node.values);
    case 'call':
      return compileCall(node);
  }
}
