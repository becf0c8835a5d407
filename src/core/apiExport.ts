/**
 * Exports of a Flask app's routes, for trying the API outside Verify: a Postman collection (v2.1),
 * cURL commands, an `.http` file (REST Client / JetBrains HTTP Client), a Locust file and an
 * OpenAPI 3 skeleton. Input: the routes the language server read from the code (no code is run,
 * so exports work in Restricted Mode). Pure: no `vscode`.
 */

export interface ApiRoute {
  endpoint: string;
  /** Flask rule with converters: `/todos/<int:todo_id>`. */
  rule: string;
  methods: string[];
}

export type ExportFormat = 'postman' | 'curl' | 'http' | 'locust' | 'openapi';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:5000';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface Variable {
  name: string;
  converter: string;
}

/** The variables of a rule, with their converters (`string` when none is written). */
export function ruleVariables(rule: string): Variable[] {
  return [...rule.matchAll(/<(?:([a-z]+)(?:\([^)]*\))?:)?([A-Za-z_]\w*)>/g)].map((m) => ({ name: m[2], converter: m[1] ?? 'string' }));
}

/** An example value for a converter: 1 for int, 1.5 for float, "example" otherwise. */
const sample = (converter: string): string => (converter === 'int' ? '1' : converter === 'float' ? '1.5' : converter === 'uuid' ? '00000000-0000-0000-0000-000000000001' : 'example');

/** The rule as a path with sample values: `/todos/<int:todo_id>` → `/todos/1`. */
export function samplePath(rule: string): string {
  return rule.replace(/<(?:([a-z]+)(?:\([^)]*\))?:)?([A-Za-z_]\w*)>/g, (_m, converter: string | undefined) => sample(converter ?? 'string'));
}

/** Every (method, route) pair, HEAD and OPTIONS left out, in a stable order. */
export function requests(routes: ApiRoute[]): { method: string; route: ApiRoute }[] {
  const out = routes.flatMap((route) => route.methods.filter((m) => m !== 'HEAD' && m !== 'OPTIONS').map((method) => ({ method, route })));
  const rank = (m: string) => (ORDER.includes(m) ? ORDER.indexOf(m) : ORDER.length);
  return out.sort((a, b) => a.route.rule.localeCompare(b.route.rule) || rank(a.method) - rank(b.method));
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function toCurl(routes: ApiRoute[], baseUrl = DEFAULT_BASE_URL): string {
  const lines = ['#!/bin/sh', `# cURL commands for every route (${baseUrl}); replace the sample values (1, "example").`, ''];
  for (const { method, route } of requests(routes)) {
    const parts = ['curl', '-i', '-X', method, shellQuote(`${baseUrl}${samplePath(route.rule)}`)];
    if (BODY_METHODS.has(method)) parts.push('-H', shellQuote('Content-Type: application/json'), '-d', shellQuote('{}'));
    lines.push(`# ${route.endpoint}`, parts.join(' '), '');
  }
  return lines.join('\n');
}

export function toHttpFile(routes: ApiRoute[], baseUrl = DEFAULT_BASE_URL): string {
  const lines = [`@baseUrl = ${baseUrl}`, ''];
  for (const { method, route } of requests(routes)) {
    lines.push(`### ${method} ${route.rule} (${route.endpoint})`, `${method} {{baseUrl}}${samplePath(route.rule)}`);
    if (BODY_METHODS.has(method)) lines.push('Content-Type: application/json', '', '{}');
    lines.push('');
  }
  return lines.join('\n');
}

export function toPostman(routes: ApiRoute[], name: string, baseUrl = DEFAULT_BASE_URL): object {
  const item = requests(routes).map(({ method, route }) => {
    const variables = ruleVariables(route.rule);
    const pathParts = route.rule
      .split('/')
      .filter(Boolean)
      .map((part) => part.replace(/<(?:[a-z]+(?:\([^)]*\))?:)?([A-Za-z_]\w*)>/g, ':$1'));
    const request: Record<string, unknown> = {
      method,
      header: BODY_METHODS.has(method) ? [{ key: 'Content-Type', value: 'application/json' }] : [],
      url: {
        raw: `{{baseUrl}}/${pathParts.join('/')}${route.rule.endsWith('/') && pathParts.length ? '/' : ''}`,
        host: ['{{baseUrl}}'],
        path: pathParts,
        ...(variables.length ? { variable: variables.map((v) => ({ key: v.name, value: sample(v.converter), description: `${v.converter} (from ${route.rule})` })) } : {}),
      },
    };
    if (BODY_METHODS.has(method)) request.body = { mode: 'raw', raw: '{}', options: { raw: { language: 'json' } } };
    return { name: `${method} ${route.rule}`, request };
  });
  return {
    info: { name, description: `The routes of ${name}, exported by Flask Backend Tutor.`, schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item,
    variable: [{ key: 'baseUrl', value: baseUrl, type: 'string' }],
  };
}

/** A Locust file: one task per GET route; a server error (5xx) or no answer is a failure. */
export function toLocust(routes: ApiRoute[]): string {
  const gets = requests(routes).filter((r) => r.method === 'GET');
  const lines = [
    '"""Load test of the app\'s GET routes, exported by Flask Backend Tutor.',
    '',
    'Run it against your running app, for example:',
    '    locust -f locustfile.py --headless -u 5 -r 5 -t 10s --host http://127.0.0.1:5000',
    'A route that answers 4xx (no such id, not logged in) counts as a success here; a 5xx is a failure.',
    '"""',
    'from locust import HttpUser, between, task',
    '',
    '',
    'class ApiUser(HttpUser):',
    '    wait_time = between(0.1, 0.5)',
  ];
  if (!gets.length) lines.push('', '    @task', '    def nothing(self):', '        pass  # the app has no GET route');
  gets.forEach(({ route }, i) => {
    lines.push(
      '',
      '    @task',
      `    def get_${i}_${route.endpoint.replace(/\W/g, '_')}(self):`,
      `        with self.client.get(${JSON.stringify(samplePath(route.rule))}, name=${JSON.stringify(route.rule)}, catch_response=True) as response:`,
      '            if response.status_code >= 500 or response.status_code == 0:',
      '                response.failure(f"{response.status_code}")',
      '            else:',
      '                response.success()',
    );
  });
  return `${lines.join('\n')}\n`;
}

/** An OpenAPI 3.0 skeleton: every path and operation, parameters from the rule, one 200 response. */
export function toOpenApi(routes: ApiRoute[], title: string): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, route } of requests(routes)) {
    const path = route.rule.replace(/<(?:[a-z]+(?:\([^)]*\))?:)?([A-Za-z_]\w*)>/g, '{$1}');
    const parameters = ruleVariables(route.rule).map((v) => ({
      name: v.name,
      in: 'path',
      required: true,
      schema: v.converter === 'int' ? { type: 'integer' } : v.converter === 'float' ? { type: 'number' } : { type: 'string' },
    }));
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      operationId: `${route.endpoint.replace(/\W/g, '_')}_${method.toLowerCase()}`,
      summary: `${method} ${route.rule}`,
      ...(parameters.length ? { parameters } : {}),
      ...(BODY_METHODS.has(method) ? { requestBody: { content: { 'application/json': { schema: { type: 'object' } } } } } : {}),
      responses: { '200': { description: 'OK' } },
    };
  }
  return { openapi: '3.0.3', info: { title, version: '1.0.0' }, paths };
}

export function exportApi(format: ExportFormat, routes: ApiRoute[], name: string, baseUrl = DEFAULT_BASE_URL): string {
  switch (format) {
    case 'postman':
      return `${JSON.stringify(toPostman(routes, name, baseUrl), null, 2)}\n`;
    case 'openapi':
      return `${JSON.stringify(toOpenApi(routes, name), null, 2)}\n`;
    case 'curl':
      return toCurl(routes, baseUrl);
    case 'http':
      return toHttpFile(routes, baseUrl);
    case 'locust':
      return toLocust(routes);
  }
}
