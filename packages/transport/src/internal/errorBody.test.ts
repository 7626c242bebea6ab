import { describe, expect, it } from 'vitest';
import { readErrorBody } from './errorBody.js';

describe('readErrorBody: the server own explanation from every body shape', () => {
  it.each([
    [
      'Partner Center',
      '{"code":2000,"description":"Account Id has to be set.","data":[],"source":"PartnerFD"}',
      { pcCode: 2000, description: 'Account Id has to be set.' },
    ],
    [
      'analytics (code/message/innererror)',
      JSON.stringify({
        code: 'BadRequest',
        data: [],
        details: [],
        innererror: {
          code: 'InvalidQueryParameters',
          data: ['top parameter cannot be more than 10000'],
          details: [],
          message: 'One or More Query Parameters has invalid values.',
          source: 'AnalyticsAPI',
        },
        message: 'The calling client sent a bad request to the service.',
        source: 'AnalyticsAPI',
      }),
      {
        pcCode: 'BadRequest',
        description:
          'The calling client sent a bad request to the service. (InvalidQueryParameters: One or More Query Parameters has invalid values.; top parameter cannot be more than 10000)',
      },
    ],
    [
      'Graph-style',
      '{"error":{"code":"Forbidden","message":"User does not have the required permissions"}}',
      { pcCode: 'Forbidden', description: 'User does not have the required permissions' },
    ],
    [
      'Graph-style with innerError',
      '{"error":{"code":"BadRequest","message":"Bad","innerError":{"code":"X","message":"why"}}}',
      { pcCode: 'BadRequest', description: 'Bad (X: why)' },
    ],
    [
      '{"error":"text"}',
      '{"error":"invalid_grant"}',
      { pcCode: 'invalid_grant', description: 'invalid_grant' },
    ],
    [
      'OAuth-style with a description',
      '{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret."}',
      { pcCode: 'invalid_client', description: 'AADSTS7000215: Invalid client secret.' },
    ],
    [
      'ASP.NET',
      '{"Message":"An error has occurred.","ExceptionMessage":"Tenant not found"}',
      { description: 'An error has occurred. (Tenant not found)' },
    ],
    [
      'ASP.NET, lower case',
      '{"message":"Authorization has been denied for this request."}',
      {
        description: 'Authorization has been denied for this request.',
      },
    ],
    [
      'throttle',
      '{"statusCode":429,"message":"Rate limit is exceeded."}',
      {
        pcCode: 429,
        description: 'Rate limit is exceeded.',
      },
    ],
    ['plain text', 'Service Unavailable\r\n', { description: 'Service Unavailable' }],
    ['a JSON string', '"upstream timed out"', { description: 'upstream timed out' }],
    ['empty', '', {}],
  ])('%s', (_name, body, expected) => {
    expect(readErrorBody(body)).toEqual(expected);
  });

  it('gives a short, sanitized excerpt of an HTML page: its title and heading, no markup or scripts', () => {
    const html = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title><script>alert(1)</script></head>
      <body><h1>Bad Gateway</h1><p>${'x'.repeat(5000)}</p></body></html>`;
    expect(readErrorBody(html, 'text/html')).toEqual({ description: '502 Bad Gateway: Bad Gateway' });
    const bare = `<html><body><p>The   proxy\u001b[2J refused &amp; closed</p></body></html>`;
    expect(readErrorBody(bare)).toEqual({ description: 'The proxy?[2J refused & closed' });
  });

  it('caps long text and strips control characters that could drive a terminal', () => {
    const long = readErrorBody(JSON.stringify({ description: `a\u001b]0;title\u0007${'y'.repeat(5000)}` }));
    expect(long.description?.length).toBeLessThanOrEqual(1024);
    expect([...(long.description ?? '')].some((char) => char.charCodeAt(0) < 0x20)).toBe(false);
    expect(readErrorBody('z'.repeat(5000)).description?.length).toBeLessThanOrEqual(200);
  });
});
