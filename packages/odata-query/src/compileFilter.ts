import type { FilterNode } from './ast.js';
import { compileNode } from './internal/closureCompiler.js';
import { compileToCode } from './internal/codeCompiler.js';
import type { FilterPredicate, FilterRow } from './internal/comparands.js';
import { type ParseFilterOptions, parseFilter } from './parseFilter.js';
import { printFilter } from './printFilter.js';

export type { FilterPredicate, FilterRow };

/**
 * Compiles a filter (text or AST) once into a predicate over rows: one generated function whose
 * field reads use constant keys, calling precomputed literal tests (closures only, where code
 * generation is disabled). No tree is walked per row.
 *
 * Semantics (decisions/0010-filter-semantics.md): strings compare without regard to case (`eq`,
 * `ne`, `in`, order and the string functions); a GUID literal equals a string holding the same GUID in any case;
 * dates and date-times compare as instants against ISO strings (no offset means UTC) or `Date`s;
 * numbers compare numerically; any comparison with a missing (`undefined`) field is false;
 * `null` follows OData (`x eq null` only for null, `x ne 'a'` true for null, order comparisons false).
 *
 * With `options`, text is parsed with those restrictions, and an AST is checked against them.
 * @throws {@link FilterSyntaxError} when the text does not parse or breaks the restrictions.
 */
export function compileFilter(filter: FilterNode | string, options?: ParseFilterOptions): FilterPredicate {
  let node: FilterNode;
  if (typeof filter === 'string') {
    node = parseFilter(filter, options);
  } else if (options !== undefined && (options.fields !== undefined || options.operators !== undefined)) {
    node = parseFilter(printFilter(filter), options);
  } else {
    node = filter;
  }
  return compileToCode(node) ?? compileNode(node);
}
