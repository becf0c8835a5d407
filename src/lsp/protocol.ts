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
 * line, so the benchmark measures the server as it runs): --expose-gc to give memory back when
 * idle (src/lsp/server.ts); --max-semi-space-size=2 (MB) keeps V8's young generation small (the
 * server's allocations are short-lived; the default 16 MB semi-spaces stay resident). Measured
 * with bench:lsp (first analysis / memory above idle Node): Node 22 32 ms / 30 MB, Node 24
 * 37 ms / 43 MB; --optimize-for-size saved no more memory once the server collects with
 * `flavor: 'last-resort'` at rest, and made the first analysis 64 ms instead of 33.
 */
export const SERVER_EXEC_ARGV = ['--expose-gc', '--max-semi-space-size=2'];

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
