import { FilterSyntaxError } from '@pc/odata-query';
import { PartnerCenterError } from '@pc/transport';
import { describe, expect, it } from 'vitest';
import { CliError, ExitCode, reportError, UsageError } from './exitCodes.js';

const pc = (init: ConstructorParameters<typeof PartnerCenterError>[0]) => new PartnerCenterError(init);

describe('reportError', () => {
  it('maps Partner Center errors to the documented exit codes', () => {
    const code = (error: unknown, interrupted = false) => reportError(error, { interrupted }).exitCode;
    expect(code(pc({ code: 'AUTH', message: 'x', status: 401 }))).toBe(ExitCode.auth);
    expect(code(pc({ code: 'AUTH', message: 'x', status: 403 }))).toBe(ExitCode.auth);
    expect(code(pc({ code: 'THROTTLED', message: 'x', status: 429 }))).toBe(ExitCode.throttled);
    expect(code(pc({ code: 'HTTP_ERROR', message: 'x', status: 404 }))).toBe(ExitCode.notFound);
    expect(code(pc({ code: 'INVALID_REQUEST', message: 'x' }))).toBe(ExitCode.usage);
    expect(code(pc({ code: 'HTTP_ERROR', message: 'x', status: 500 }))).toBe(ExitCode.error);
    expect(code(pc({ code: 'NETWORK', message: 'x' }))).toBe(ExitCode.error);
    expect(code(pc({ code: 'ABORTED', message: 'x' }), true)).toBe(ExitCode.interrupted);
    expect(code(pc({ code: 'ABORTED', message: 'x' }), false)).toBe(ExitCode.error);
    expect(code(new UsageError('bad'))).toBe(ExitCode.usage);
    expect(code(new CliError('no', { exitCode: ExitCode.auth }))).toBe(ExitCode.auth);
    expect(code(new Error('boom'))).toBe(ExitCode.error);
  });
  it('writes the Partner Center code, description and request id in at most two lines', () => {
    const report = reportError(
      pc({
        code: 'HTTP_ERROR',
        message: 'GET /x failed: 404',
        status: 404,
        pcCode: 600001,
        description: 'Not found',
        requestId: 'r-1',
      }),
      { interrupted: false },
    );
    expect(report.lines).toHaveLength(2);
    expect(report.lines.join('\n')).toContain('600001');
    expect(report.lines.join('\n')).toContain('Not found');
    expect(report.lines.join('\n')).toContain('r-1');
  });
  it('shows a filter error with its caret', () => {
    const error = new FilterSyntaxError({
      input: "a eq 'b' nd c",
      offset: 9,
      expected: ['and'],
      found: '"nd"',
    });
    const report = reportError(error, { interrupted: false });
    expect(report.exitCode).toBe(ExitCode.usage);
    expect(report.lines.join('\n')).toMatch(/\n\s+\^/);
  });
});
