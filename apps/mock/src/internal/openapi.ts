import { columnKinds, type EndpointDescriptor, type QueryOptionName } from '@pc/models';
import {
  formatSwitchValue,
  type MockProfile,
  mockProfiles,
  profileDefaults,
  type Realism,
  switchDocs,
} from './profiles.js';

type Schema = Record<string, unknown>;

function rowSchema(descriptor: EndpointDescriptor): Schema {
  const properties: Record<string, Schema> = {};
  for (const column of descriptor.columns) {
    properties[column.name] = { ...columnKinds[column.kind].jsonSchema, description: column.description };
  }
  const always = descriptor.columns.filter((column) => column.optional !== true).map((column) => column.name);
  if (descriptor.groupable.length === 0) return { type: 'object', properties, required: always };
  // A grouped row holds only the group fields, the summed measures and processedDateTime.
  return {
    type: 'object',
    description:
      'Without groupby a row holds every field; with groupby, the group fields, the summed measures and processedDateTime.',
    properties,
    required: always.filter((name) => descriptor.measures.includes(name) || name === 'processedDateTime'),
  };
}

function pageSchema(descriptor: EndpointDescriptor): Schema {
  const row = { $ref: `#/components/schemas/${descriptor.id}Row` };
  if (descriptor.envelope === 'odata') {
    return {
      type: 'object',
      properties: {
        Value: { type: 'array', items: row },
        '@nextLink': {
          type: ['string', 'null'],
          description:
            'The same query with skip advanced by the rows returned (absolute, relative or relative-raw: see info.x-pc-mock-switches); null on the last page.',
        },
        TotalCount: {
          type: 'integer',
          description: 'Rows of the whole (filtered, grouped) result, not of the page (A7).',
        },
      },
      required: ['Value', '@nextLink', 'TotalCount'],
    };
  }
  return {
    type: 'object',
    properties: {
      totalCount: { type: 'integer' },
      items: { type: 'array', items: row },
      attributes: { type: 'object', properties: { objectType: { const: 'Collection' } } },
    },
    required: ['totalCount', 'items'],
  };
}

/** The OpenAPI entry of each query parameter; `top` follows the endpoint's own `maxPageSize`. */
const queryParameterDocs = (descriptor: EndpointDescriptor): Readonly<Record<QueryOptionName, Schema>> => ({
  filter: {
    description: "Rows to keep: `field eq|ne 'value'` joined by and/or, with parentheses.",
    schema: { type: 'string' },
  },
  groupby: {
    description: 'Comma-separated fields; the measures are summed per group.',
    schema: { type: 'string' },
  },
  top: {
    description: `Rows per page (1..${descriptor.maxPageSize}, default ${descriptor.maxPageSize}); a page cap may send fewer (A6, A7).`,
    schema: { type: 'integer', minimum: 1, maximum: descriptor.maxPageSize },
  },
  skip: { description: 'Rows to skip.', schema: { type: 'integer', minimum: 0 } },
  processedDateTime: {
    description: 'The processing snapshot (a date); the latest by default.',
    schema: { type: 'string', format: 'date-time' },
  },
});

function errorResponses(): Record<string, Schema> {
  const error = {
    content: { 'application/json': { schema: { $ref: '#/components/schemas/PartnerCenterError' } } },
  };
  return {
    '400': { description: 'Invalid request input (bad filter, groupby, top, skip or id).', ...error },
    '401': {
      description: 'Missing, malformed, badly signed or expired token, or no MFA claim (code 900421).',
      ...error,
    },
    '403': { description: 'App-only tokens are refused.', ...error },
    '429': {
      description: 'Throttled: wait Retry-After seconds.',
      headers: { 'Retry-After': { schema: { type: 'integer' } } },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ThrottleError' } } },
    },
  };
}

function operation(descriptor: EndpointDescriptor): Schema {
  const docs = queryParameterDocs(descriptor);
  const parameters: Schema[] = [
    ...descriptor.pathParams.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...descriptor.queryOptions.map((name) => ({
      name,
      in: 'query',
      required: false,
      ...docs[name],
    })),
  ];
  const responses: Record<string, Schema> = {
    '200': {
      description: 'One page of rows.',
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${descriptor.id}Page` } } },
    },
    ...errorResponses(),
  };
  if (descriptor.pathParams.length > 0) {
    responses['404'] = {
      description: 'Unknown customer.',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/PartnerCenterError' } } },
    };
  }
  const filterNote =
    descriptor.filterable.length === 0
      ? ''
      : `\n\nFilterable: ${descriptor.filterable.join(', ')} (operators ${descriptor.filterOperators.join(', ')}). Groupable: ${descriptor.groupable.join(', ')}. Measures: ${descriptor.measures.join(', ')}.`;
  return {
    operationId: descriptor.id,
    summary: descriptor.title,
    description: `${descriptor.description}${filterNote}`,
    ...(descriptor.deprecated ? { deprecated: true } : {}),
    ...(descriptor.docs === undefined ? {} : { externalDocs: { url: descriptor.docs } }),
    security: [{ bearer: [] }],
    parameters,
    responses,
  };
}

/** The OpenAPI 3.1 document of what the mock serves, generated from the endpoint descriptors. */
export function buildOpenApi(options: {
  readonly serverUrl: string;
  readonly served: readonly EndpointDescriptor[];
  readonly legacy: readonly EndpointDescriptor[];
  /** The profile and switches this server runs with (listed under `info.x-pc-mock-switches`). */
  readonly profile?: MockProfile;
  readonly realism?: Realism;
}): Schema {
  const paths: Record<string, Schema> = {};
  const schemas: Record<string, Schema> = {
    PartnerCenterError: {
      type: 'object',
      properties: {
        code: { type: ['integer', 'string'] },
        description: { type: 'string', maxLength: 1024 },
        data: { type: 'array', items: {} },
        source: { type: 'string' },
      },
      required: ['code', 'description'],
    },
    ThrottleError: {
      type: 'object',
      properties: { statusCode: { type: 'integer' }, message: { type: 'string' } },
      required: ['statusCode', 'message'],
    },
    EntraError: {
      type: 'object',
      properties: {
        error: { type: 'string' },
        error_description: { type: 'string' },
        error_codes: { type: 'array', items: { type: 'integer' } },
      },
      required: ['error'],
    },
  };
  for (const descriptor of [...options.served, ...options.legacy]) {
    schemas[`${descriptor.id}Row`] = rowSchema(descriptor);
    schemas[`${descriptor.id}Page`] = pageSchema(descriptor);
    descriptor.alternatePaths.forEach((path, index) => {
      paths[path] = {
        get: { ...operation(descriptor), operationId: `${descriptor.id}Alternate${index + 1}` },
      };
    });
    paths[descriptor.path] = { get: operation(descriptor) };
  }
  const tokenOperation = (version: 'v1' | 'v2'): Schema => ({
    post: {
      operationId: `token${version.toUpperCase()}`,
      summary: `Entra ID token endpoint (${version})`,
      parameters: [{ name: 'tenant', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: {
        content: {
          'application/x-www-form-urlencoded': {
            schema: {
              type: 'object',
              properties: {
                grant_type: { enum: ['refresh_token', 'client_credentials'] },
                client_id: { type: 'string' },
                client_secret: { type: 'string' },
                refresh_token: { type: 'string' },
                ...(version === 'v1' ? { resource: { type: 'string' } } : { scope: { type: 'string' } }),
              },
              required: ['grant_type', 'client_id'],
            },
          },
        },
      },
      responses: {
        '200': { description: 'A token response.' },
        '400': {
          description: 'invalid_grant, invalid_request, ...',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/EntraError' } } },
        },
        '401': {
          description: 'invalid_client',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/EntraError' } } },
        },
      },
    },
  });
  paths['/{tenant}/oauth2/token'] = tokenOperation('v1');
  paths['/{tenant}/oauth2/v2.0/token'] = tokenOperation('v2');
  return {
    openapi: '3.1.0',
    info: {
      title: 'pc-mock: Partner Center licenses analytics',
      version: '1.0.0',
      description: 'What the pc-mock server serves, generated from the @pc/models endpoint descriptors.',
      ...(options.profile === undefined ? {} : { 'x-pc-mock-profile': options.profile }),
      // Each behaviour switch: its value here, in each profile, and the evidence row it follows.
      'x-pc-mock-switches': switchDocs.map((doc) => ({
        option: doc.option,
        flag: doc.flag,
        meaning: doc.meaning,
        evidence: doc.evidence,
        ...(options.realism === undefined ? {} : { value: formatSwitchValue(options.realism[doc.option]) }),
        profiles: Object.fromEntries(
          mockProfiles.map((profile) => [profile, formatSwitchValue(profileDefaults[profile][doc.option])]),
        ),
      })),
    },
    servers: [{ url: options.serverUrl }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'App+User token with an MFA claim.',
        },
      },
    },
  };
}
