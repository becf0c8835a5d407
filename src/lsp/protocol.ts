/**
 * The contract between the extension and the Flask language server, beyond standard LSP: one
 * module both sides import (docs/architecture.md lists it). Bump the version on any change.
 *
 * - initializationOptions: {@link InitOptions}
 * - settings, pushed with workspace/didChangeConfiguration as `{ flaskTutor: { diagnostics } }`
 * - request `flaskTutor/routes` → {@link RouteInfo}[]: every route of the workspace's app;
 *   notification `flaskTutor/routesChanged` (server → client) when that list changes.
 * - CodeLenses above route decorators run `flaskTutor.routes.focus` (the Routes view) and
 *   `flaskTutor.tryRoute` with `[method, rule]` (the request console).
 * - quick fixes of type "Learn why" run the client command `flaskTutor.openWalkthrough`
 *   with `[chapterId, stepId]`.
 */
import { NotificationType, RequestType0 } from 'vscode-languageserver-protocol';

export const LSP_PROTOCOL_VERSION = 1;

/**
 * Node options the server runs with (the client passes them; scripts/bench-lsp.mjs reads this
 * line, so the benchmark measures the server as it runs): --expose-gc to collect garbage when
 * idle; --max-semi-space-size=1 (MB) keeps V8's young generation small: the server's
 * allocations are short-lived and small, and the default 16 MB semi-spaces stay resident;
 * --optimize-for-size: on Node 24 (code-server's extension host) the heap kept at rest fell from
 * 48 to 22 MB and the process from 140 to 100 MB RSS, with no first-analysis time lost that the
 * benchmark could see.
 */
export const SERVER_EXEC_ARGV = ['--expose-gc', '--max-semi-space-size=1', '--optimize-for-size'];

export interface InitOptions {
  protocolVersion: number;
  /** Folder holding tree-sitter.wasm and tree-sitter-python.wasm (default: the server's folder). */
  wasmDir?: string;
  settings?: { enabled: boolean; severity: Record<string, string> };
}

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface RouteInfo {
  endpoint: string;
  blueprint?: string;
  /** The full rule, with the blueprint's prefix. */
  rule: string;
  methods: string[];
  uri: string;
  /** The view function's name. */
  range: LspRange;
  /** The route decorator (a CodeLens goes above it). */
  decoratorRange: LspRange;
}

export const RoutesRequest = new RequestType0<RouteInfo[], void>('flaskTutor/routes');

export const RoutesChangedNotification = new NotificationType<{ count: number }>('flaskTutor/routesChanged');
