import { describe, expect, it } from 'vitest';
import type { FilterNode } from './ast.js';
import { FilterSyntaxError, isFilterSyntaxError } from './filterSyntaxError.js';
import { parseFilter } from './parseFilter.js';

/** A compact S-expression of the tree, to assert structure without offsets. */
function shape(node: FilterNode): string {
  const operand = (o: { kind: string; name?: string; type?: string; value?: unknown }): string =>
    o.kind === 'field' ? String(o.name) : `${o.type}:${JSON.stringify(o.value)}`;
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${node.kind} ${shape(node.left)} ${shape(node.right)})`;
    case 'not':
      return `(not ${shape(node.operand)})`;
    case 'compare':
      return `(${node.operator} ${operand(node.left)} ${operand(node.right)})`;
    case 'in':
      return `(in ${operand(node.left)} ${node.values.map(operand).join(' ')})`;
    case 'call':
      return `(${node.name} ${operand(node.args[0])} ${operand(node.args[1])})`;
  }
}

function fails(text: string, options?: Parameters<typeof parseFilter>[1]): FilterSyntaxError {
  try {
    parseFilter(text, options);
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe('parseFilter: comparisons', () => {
  it.each(['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const)('parses %s', (op) => {
    expect(shape(parseFilter(`licenses ${op} 5`))).toBe(`(${op} licenses number:5)`);
  });

  it('accepts a literal on the left and a field on the right', () => {
    expect(shape(parseFilter("'O365' eq serviceCode"))).toBe('(eq string:"O365" serviceCode)');
  });

  it('rejects chained comparisons', () => {
    const error = fails('a eq 1 eq 2');
    expect(error.offset).toBe(7);
    expect(error.expected).toEqual(['and', 'or', 'end of input']);
  });
});

describe('parseFilter: literals', () => {
  it('unescapes doubled quotes', () => {
    const node = parseFilter("customerName eq 'O''Brien'");
    expect(node.kind === 'compare' && node.right).toMatchObject({ type: 'string', value: "O'Brien" });
  });

  it('keeps raw &, % and " inside strings', () => {
    expect(shape(parseFilter(`name eq 'A&B 100% "x"'`))).toBe(`(eq name string:"A&B 100% \\"x\\"")`);
  });

  it('parses empty strings and strings made of quotes', () => {
    expect(shape(parseFilter("a eq ''"))).toBe('(eq a string:"")');
    expect(shape(parseFilter("a eq ''''''"))).toBe(`(eq a string:"''")`);
  });

  it.each([
    ['0', 0],
    ['42', 42],
    ['-7', -7],
    ['3.25', 3.25],
    ['1e3', 1000],
    ['-2.5E-2', -0.025],
  ])('parses the number %s', (text, value) => {
    expect(shape(parseFilter(`n eq ${text}`))).toBe(`(eq n number:${value})`);
  });

  it('parses true, false and null', () => {
    expect(shape(parseFilter('a eq true or b eq false or c eq null'))).toBe(
      '(or (or (eq a boolean:true) (eq b boolean:false)) (eq c null:null))',
    );
  });

  it('parses dates and date-times as written', () => {
    expect(shape(parseFilter('d ge 2024-02-29'))).toBe('(ge d date:"2024-02-29")');
    for (const text of [
      '2024-01-31T10:00Z',
      '2024-01-31T10:00:59Z',
      '2024-01-31T10:00:59.1234567+02:00',
      '2024-01-31T23:59:59-05:30',
      '2024-01-31T10:00:00',
    ]) {
      expect(shape(parseFilter(`d lt ${text}`))).toBe(`(lt d dateTime:"${text}")`);
    }
  });

  it('parses GUIDs, also ones starting with a letter', () => {
    for (const text of ['8d6c4d5e-1234-4abc-9def-0123456789ab', 'ABCDEF01-1234-4ABC-9DEF-0123456789AB']) {
      expect(shape(parseFilter(`id eq ${text}`))).toBe(`(eq id guid:"${text}")`);
    }
  });

  it('reports a GUID glued to a word at the first character after the GUID', () => {
    const error = fails('id eq 8d6c4d5e-1234-4abc-9def-0123456789abx');
    expect(error.offset).toBe(42);
    expect(error.found).toBe('"x"');
  });

  it('rejects impossible dates and times at the literal', () => {
    expect(fails('d eq 2023-02-29').offset).toBe(5);
    expect(fails('d eq 2024-13-01').offset).toBe(5);
    expect(fails('d eq 2024-01-01T25:00Z').offset).toBe(15);
  });

  it('rejects a literal glued to a word', () => {
    const error = fails('n eq 12abc');
    expect(error.offset).toBe(7);
  });

  it('rejects numbers that are out of range or incomplete', () => {
    expect(fails('n eq 1e999').message).toMatch(/out of range/);
    expect(fails('n eq 1.').offset).toBe(7);
    expect(fails('n eq 1e').offset).toBe(7);
    expect(fails('n eq -').offset).toBe(5);
  });
});

describe('parseFilter: in, functions, not, parentheses', () => {
  it('parses in-lists', () => {
    expect(shape(parseFilter("code in ('A', 'B','C')"))).toBe('(in code string:"A" string:"B" string:"C")');
    expect(shape(parseFilter('n in (1)'))).toBe('(in n number:1)');
  });

  it('rejects an empty or unclosed in-list', () => {
    expect(fails('n in ()').offset).toBe(6);
    expect(fails('n in (1, 2').expected).toEqual([',', ')']);
    expect(fails('n in 1').expected).toEqual(['(']);
  });

  it.each(['contains', 'startswith', 'endswith'] as const)('parses %s', (name) => {
    expect(shape(parseFilter(`${name}(customerName, 'Con')`))).toBe(`(${name} customerName string:"Con")`);
  });

  it('rejects a call with a missing argument', () => {
    expect(fails("contains(name 'x')").expected).toEqual([',']);
    expect(fails("contains(name, 'x'").expected).toEqual([')']);
  });

  it('parses not over a call, a group and a comparison', () => {
    expect(shape(parseFilter("not contains(a, 'x')"))).toBe('(not (contains a string:"x"))');
    expect(shape(parseFilter('not (a eq 1 or b eq 2)'))).toBe('(not (or (eq a number:1) (eq b number:2)))');
    expect(shape(parseFilter('not a eq 1 and b eq 2'))).toBe('(and (not (eq a number:1)) (eq b number:2))');
    expect(shape(parseFilter('not not a eq 1'))).toBe('(not (not (eq a number:1)))');
  });

  it('gives and precedence over or, left to right', () => {
    expect(shape(parseFilter('a eq 1 and b eq 2 or c eq 3'))).toBe(
      '(or (and (eq a number:1) (eq b number:2)) (eq c number:3))',
    );
    expect(shape(parseFilter('a eq 1 or b eq 2 and c eq 3'))).toBe(
      '(or (eq a number:1) (and (eq b number:2) (eq c number:3)))',
    );
    expect(shape(parseFilter('a eq 1 or b eq 2 or c eq 3'))).toBe(
      '(or (or (eq a number:1) (eq b number:2)) (eq c number:3))',
    );
  });

  it('lets parentheses override precedence', () => {
    expect(shape(parseFilter('a eq 1 and (b eq 2 or c eq 3)'))).toBe(
      '(and (eq a number:1) (or (eq b number:2) (eq c number:3)))',
    );
    expect(shape(parseFilter('((a eq 1))'))).toBe('(eq a number:1)');
  });

  it('tolerates any whitespace between tokens', () => {
    expect(shape(parseFilter("\t a  eq\n'x'  and(b eq 1) "))).toBe('(and (eq a string:"x") (eq b number:1))');
  });

  it('treats keywords as case-sensitive', () => {
    const error = fails("a eq 'x' AND b eq 1");
    expect(error.offset).toBe(9);
    expect(error.found).toBe('"AND"');
  });

  it('refuses nesting deeper than the limit', () => {
    const deep = `${'('.repeat(500)}a eq 1${')'.repeat(500)}`;
    expect(fails(deep).message).toMatch(/nested deeper/);
    expect(fails(`${'not '.repeat(500)}a eq 1`).message).toMatch(/nested deeper/);
  });
});

describe('parseFilter: offsets', () => {
  it('gives every node its start and end', () => {
    const text = "x eq 'a' and not (y in (1, 2) or contains(z, 'q'))";
    const node = parseFilter(text);
    if (node.kind !== 'and' || node.right.kind !== 'not') throw new Error('unexpected shape');
    expect([node.start, node.end]).toEqual([0, text.length]);
    expect(text.slice(node.left.start, node.left.end)).toBe("x eq 'a'");
    expect(text.slice(node.right.start, node.right.end)).toBe("not (y in (1, 2) or contains(z, 'q'))");
    const inner = node.right.operand;
    expect(text.slice(inner.start, inner.end)).toBe("(y in (1, 2) or contains(z, 'q'))");
    if (inner.kind !== 'or' || inner.right.kind !== 'call') throw new Error('unexpected shape');
    expect(text.slice(inner.right.args[1].start, inner.right.args[1].end)).toBe("'q'");
  });
});

describe('parseFilter: raw query strings', () => {
  it('accepts $filter= and filter= prefixes, with offsets into the whole text', () => {
    for (const prefix of ['$filter=', 'filter=']) {
      const text = `${prefix}a eq 1`;
      const node = parseFilter(text);
      expect(shape(node)).toBe('(eq a number:1)');
      expect(node.start).toBe(prefix.length);
    }
  });

  it('decodes percent-encoded input and maps offsets back', () => {
    const text = 'serviceCode%20eq%20%27O%27%27Brien%27';
    const node = parseFilter(text);
    expect(shape(node)).toBe(`(eq serviceCode string:"O'Brien")`);
    expect(node.end).toBe(text.length);
    expect(shape(parseFilter("$filter=name%20eq%20'a%26b'"))).toBe('(eq name string:"a&b")');
    expect(shape(parseFilter('filter=a%20in%20(%27x%27%2C%27y%27)'))).toBe('(in a string:"x" string:"y")');
  });

  it('reports errors in encoded input at the offset in the encoded text', () => {
    const text = '$filter=a%20eq%20%27x';
    const error = fails(text);
    expect(error.offset).toBe(text.indexOf('%27'));
    expect(error.input).toBe(text);
  });

  it('reads the filters shown in the Partner Center docs', () => {
    expect(
      shape(parseFilter('filter=customerTenantId%20eq%20%270112A436-B14E-4888-967B-CA4BB2CF1234%27')),
    ).toBe('(eq customerTenantId string:"0112A436-B14E-4888-967B-CA4BB2CF1234")');
    expect(shape(parseFilter("filter=serviceCode eq 'O365'"))).toBe('(eq serviceCode string:"O365")');
    expect(shape(parseFilter("filter=serviceCode eq 'O365' or (channel eq 'Reseller')"))).toBe(
      '(or (eq serviceCode string:"O365") (eq channel string:"Reseller"))',
    );
  });

  it('keeps the reason of an error in encoded input intact, whatever the input holds', () => {
    const error = fails("$filter=a%20eq%20'x%20at%20offset%209'%20zz");
    expect(error.offset).toBe(41);
    expect(error.message.split('\n')[0]).toBe(
      'Expected and, or or end of input but found "zz" at offset 41:',
    );
  });

  it('parses a very long encoded and-chain without exhausting the stack', () => {
    const plain = Array.from({ length: 30_000 }, (_, i) => `a eq ${i}`).join(' and ');
    const encoded = `filter=${plain.replaceAll(' ', '%20')}`;
    const node = parseFilter(encoded);
    expect(node.start).toBe(7);
    expect(node.end).toBe(encoded.length);
    expect(node.kind === 'and' && node.right.start).toBe(encoded.lastIndexOf('a%20eq'));
  });

  it('leaves a raw % alone in plain text', () => {
    expect(shape(parseFilter("a eq '100%20'"))).toBe('(eq a string:"100%20")');
  });
});

describe('parseFilter: errors', () => {
  it('points at an unescaped quote, not at the end of the parsed prefix', () => {
    const error = fails("customerName eq 'O'Brien'");
    expect(error.offset).toBe(18);
    expect(error.message).toMatch(/Unescaped quote/);
    expect(error.message).toContain("\n  customerName eq 'O'Brien'\n                    ^");
  });

  it('reports an unterminated string at its opening quote', () => {
    const error = fails("a eq 'abc");
    expect(error).toMatchObject({ offset: 5, found: 'end of input', expected: ["closing '"] });
  });

  it('reports a missing operand at the end of input', () => {
    expect(fails('a eq')).toMatchObject({ offset: 4, found: 'end of input' });
    expect(fails('')).toMatchObject({ offset: 0, found: 'end of input' });
    expect(fails('a eq 1 and')).toMatchObject({ offset: 10 });
  });

  it('reports a missing operator after a field', () => {
    const error = fails("serviceCode 'O365'");
    expect(error.offset).toBe(12);
    expect(error.expected).toEqual(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in']);
  });

  it('reports an unknown character', () => {
    expect(fails('a eq 1 && b eq 2')).toMatchObject({ offset: 7, found: '"&"' });
    expect(fails('a eq "x"')).toMatchObject({ offset: 5, found: '"\\""' });
  });

  it('reports a missing closing parenthesis and a stray one', () => {
    expect(fails('(a eq 1').expected).toEqual(['and', 'or', ')']);
    expect(fails('a eq 1)')).toMatchObject({ offset: 6, found: '")"' });
  });

  it('throws errors that the guard recognises', () => {
    const error = fails('a eq');
    expect(error.name).toBe('FilterSyntaxError');
    expect(error).toBeInstanceOf(Error);
    expect(isFilterSyntaxError(error)).toBe(true);
  });
});

describe('parseFilter: options', () => {
  const licenses = { fields: ['serviceCode', 'channel'], operators: ['eq', 'ne', 'and', 'or'] } as const;

  it('accepts what the endpoint allows', () => {
    expect(shape(parseFilter("(serviceCode eq 'O365' or channel ne 'x')", licenses))).toBe(
      '(or (eq serviceCode string:"O365") (ne channel string:"x"))',
    );
  });

  it('refuses an unknown field at the field, naming the allowed ones', () => {
    const error = fails("channel eq 'x' and serviceCod eq 'O365'", licenses);
    expect(error).toMatchObject({ offset: 19, found: '"serviceCod"', expected: ['serviceCode', 'channel'] });
    expect(error.message).toContain('Unknown field "serviceCod" (allowed: serviceCode, channel)');
  });

  it('refuses an operator the endpoint does not document, at the operator', () => {
    expect(fails('channel gt 1', licenses)).toMatchObject({ offset: 8, expected: ['eq', 'ne', 'and', 'or'] });
    expect(fails("not channel eq 'x'", licenses).offset).toBe(0);
    expect(fails("contains(channel, 'x')", licenses).offset).toBe(0);
    expect(fails("channel in ('x')", licenses).offset).toBe(8);
  });

  it('lists only allowed operators as expected', () => {
    expect(fails("channel eq 'x' xor", licenses).expected).toEqual(['and', 'or', 'end of input']);
    expect(fails('channel', licenses).expected).toEqual(['eq', 'ne']);
  });
});
