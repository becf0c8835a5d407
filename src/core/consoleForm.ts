/**
 * The request console's form (media/console/console.js posts it) → a console request, with the
 * learner's mistakes named (a body that is not JSON, a header line without a colon); and a
 * response → what the panel shows (pretty JSON, the status's class). Pure: no `vscode`.
 */
import type { ConsoleRequest, ConsoleResponse } from './protocol';

export interface ConsoleForm {
  method: string;
  path: string;
  /** "Name: value" per line. */
  headers: string;
  bodyKind: 'none' | 'json' | 'form' | 'text';
  /** JSON or text; for a form, "name=value" per line. */
  body: string;
  /** A token for `Authorization: Bearer …` (empty: none). */
  bearer: string;
}

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export type Built = { request: Omit<ConsoleRequest, 'id'> } | { error: string };

export function buildRequest(form: ConsoleForm): Built {
  const method = form.method.trim().toUpperCase();
  if (!METHODS.includes(method)) return { error: `Unknown method ${JSON.stringify(form.method)}: use one of ${METHODS.join(', ')}.` };
  let path = form.path.trim();
  if (!path) return { error: 'Type a path, for example /todos.' };
  if (/^https?:\/\//i.test(path)) {
    const url = new URL(path);
    path = `${url.pathname}${url.search}`;
  }
  if (!path.startsWith('/')) path = `/${path}`;
  const headers: Record<string, string> = {};
  for (const [i, raw] of form.headers.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `Header line ${i + 1} (${JSON.stringify(line)}) needs a name, a colon and a value, like "Accept: application/json".` };
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  if (form.bearer.trim()) headers.Authorization = `Bearer ${form.bearer.trim()}`;
  const request: Omit<ConsoleRequest, 'id'> = { method, path, headers };
  if (form.bodyKind === 'json' && form.body.trim()) {
    try {
      JSON.parse(form.body);
    } catch (e) {
      return { error: `The body is not valid JSON: ${e instanceof Error ? e.message : String(e)}.` };
    }
    request.body = { kind: 'json', text: form.body };
  } else if (form.bodyKind === 'text' && form.body) {
    request.body = { kind: 'text', text: form.body };
  } else if (form.bodyKind === 'form' && form.body.trim()) {
    const fields: Record<string, string> = {};
    for (const line of form.body.split(/\r?\n/)) {
      if (!line.trim()) continue;
      const eq = line.indexOf('=');
      if (eq <= 0) return { error: `Form line ${JSON.stringify(line.trim())} needs name=value.` };
      fields[line.slice(0, eq).trim()] = line.slice(eq + 1);
    }
    request.body = { kind: 'form', fields };
  }
  return { request };
}

export interface ShownResponse {
  statusLine: string;
  /** "success" 2xx, "redirect" 3xx, "client" 4xx, "server" 5xx. */
  statusClass: 'success' | 'redirect' | 'client' | 'server';
  /** The body as shown: JSON indented, text as is, binary described. */
  body: string;
  headers: string;
  ms: string;
}

export function showResponse(r: ConsoleResponse): ShownResponse {
  let body: string;
  if (r.bodyEncoding === 'base64') body = `(${Math.floor((r.body.length * 3) / 4)} bytes of binary data)`;
  else if (r.isJson) {
    try {
      body = JSON.stringify(JSON.parse(r.body), null, 2);
    } catch {
      body = r.body;
    }
  } else body = r.body;
  if (r.truncated) body += '\n… (cut at 1 MiB)';
  const statusClass = r.status >= 500 ? 'server' : r.status >= 400 ? 'client' : r.status >= 300 ? 'redirect' : 'success';
  return { statusLine: r.statusText, statusClass, body, headers: r.headers.map(([k, v]) => `${k}: ${v}`).join('\n'), ms: `${r.ms} ms` };
}

/** The form a route opens with: its method, its rule with sample values, a JSON body when it takes one. */
export function formForRoute(method: string, samplePath: string): ConsoleForm {
  const takesBody = ['POST', 'PUT', 'PATCH'].includes(method);
  return { method, path: samplePath, headers: '', bodyKind: takesBody ? 'json' : 'none', body: takesBody ? '{\n  \n}' : '', bearer: '' };
}
