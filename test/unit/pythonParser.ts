/** Tree-sitter's Python parser as the unit tests load it: the WASM files from node_modules. */
import * as path from 'path';
import { loadPythonParser, PythonParser } from '../../src/flask/syntax';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export const loadTestParser = (): Promise<PythonParser> =>
  loadPythonParser(path.join(ROOT, 'node_modules/web-tree-sitter/tree-sitter.wasm'), path.join(ROOT, 'node_modules/tree-sitter-python/tree-sitter-python.wasm'));
