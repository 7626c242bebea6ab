import type { FilterNode, OperandNode } from './ast.js';

/** The distinct field names a filter references, in order of first appearance. */
export function filterFields(node: FilterNode): string[] {
  const seen = new Set<string>();
  const visitOperand = (operand: OperandNode): void => {
    if (operand.kind === 'field') seen.add(operand.name);
  };
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
        visitOperand(current.left);
        visitOperand(current.right);
        break;
      case 'in':
        visitOperand(current.left);
        break;
      case 'call':
        visitOperand(current.args[0]);
        visitOperand(current.args[1]);
        break;
    }
  }
  return [...seen];
}
