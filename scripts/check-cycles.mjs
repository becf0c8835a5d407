// `npm run check:cycles`: no import cycle in src/ (TypeScript), python/flask_tutor_pytest nor python/tests.
// Every import counts, also function-level Python imports and type-only TypeScript imports: a
// cycle is a layering problem even when the runtime tolerates it. Prints each cycle as a path
// and `cycles: N passed, N failed` (one unit per language).
//   node scripts/check-cycles.mjs
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function walk(dir, ext) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, ext));
    else if (e.name.endsWith(ext)) out.push(p);
  }
  return out;
}

/** TypeScript: relative imports and exports (`import ... from './x'`, `export ... from`, `import('./x')`). */
function tsGraph(srcDir) {
  const files = walk(srcDir, '.ts');
  const graph = new Map();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const deps = new Set();
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2];
      const base = path.resolve(path.dirname(file), spec);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((p) => fs.existsSync(p));
      if (target) deps.add(target);
    }
    graph.set(file, deps);
  }
  return graph;
}

/**
 * Python: every import of a module of the package, at any indentation (function-level included):
 * `from .x import`, `from ..x import` (subpackages), `from . import a, b` and its parenthesised
 * multi-line form, `from <pkg>.x import`, `from <pkg> import x`, `import <pkg>.x`, a name that
 * comes from a package's `__init__` (an edge to `__init__.py`), script-style sibling imports
 * (`import _launch` in a file run as a script), and module names in strings that import:
 * `pytest_plugins = [...]`, `importlib.import_module("…")`, `__import__("…")`. The implicit
 * import of a module's parent package is not an edge (every submodule has it). `pkg` null: a flat
 * folder of modules (python/tests), only sibling imports, not recursive.
 */
export function pyGraph(pkgDir, pkg) {
  const files = pkg ? walk(pkgDir, '.py') : fs.readdirSync(pkgDir).filter((f) => f.endsWith('.py')).map((f) => path.join(pkgDir, f));
  const graph = new Map();
  /** Parts below pkgDir → the module's file (`x.py` or `x/__init__.py`), if it is ours. */
  const resolve = (parts) => {
    const base = path.join(pkgDir, ...parts);
    return [`${base}.py`, path.join(base, '__init__.py')].find((p) => fs.existsSync(p));
  };
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const here = pkg ? path.relative(pkgDir, path.dirname(file)).split(path.sep).filter(Boolean) : [];
    const deps = new Set();
    const add = (target) => {
      if (target && target !== file) deps.add(target);
    };
    /** A dotted absolute name → parts below pkgDir, or undefined when it is not ours. */
    const ours = (dotted) => {
      const parts = dotted.split('.');
      if (pkg && parts[0] === pkg) return parts.slice(1);
      // script-style: a sibling module of this file (`import _launch` beside it)
      if (parts.length === 1 && fs.existsSync(path.join(path.dirname(file), `${parts[0]}.py`))) {
        return [...here, parts[0]];
      }
      return undefined;
    };
    const names = (list) =>
      list
        .replace(/#[^\n]*/g, '')
        .replace(/[()\\]/g, ' ')
        .split(',')
        .map((s) => s.trim().split(/\s+as\s+/)[0].trim())
        .filter(Boolean);
    for (const m of text.matchAll(/^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)/gm)) {
      const [, dots, dotted, list] = m;
      let base;
      if (dots) {
        if (!pkg) continue;
        base = here.slice(0, here.length - (dots.length - 1));
        if (dotted) base = [...base, ...dotted.split('.')];
      } else {
        base = ours(dotted);
        if (!base) continue;
      }
      let fromInit = false;
      for (const name of names(list)) {
        const sub = name !== '*' && resolve([...base, name]);
        if (sub) add(sub);
        else fromInit = true;
      }
      if (fromInit) add(resolve(base));
    }
    for (const m of text.matchAll(/^[ \t]*import[ \t]+([^\n]+)/gm)) {
      for (const name of names(m[1])) {
        const parts = ours(name);
        if (parts) add(resolve(parts));
      }
    }
    const dynamic = [
      ...[...text.matchAll(/pytest_plugins\s*=\s*(\[[^\]]*\]|\([^)]*\)|["'][^"'\n]*["'])/g)].flatMap((m) =>
        [...m[1].matchAll(/["']([\w.]+)["']/g)].map((s) => s[1]),
      ),
      ...[...text.matchAll(/(?:import_module|__import__)\(\s*["']([\w.]+)["']/g)].map((m) => m[1]),
    ];
    for (const name of dynamic) {
      const parts = ours(name);
      if (parts) add(resolve(parts));
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Every elementary cycle found by DFS (one per back edge), as file lists. */
export function findCycles(graph) {
  const cycles = [];
  const state = new Map(); // 1 visiting, 2 done
  const stack = [];
  const visit = (node) => {
    state.set(node, 1);
    stack.push(node);
    for (const dep of graph.get(node) ?? []) {
      if (state.get(dep) === 1) cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (!state.get(dep)) visit(dep);
    }
    stack.pop();
    state.set(node, 2);
  };
  for (const node of [...graph.keys()].sort()) if (!state.get(node)) visit(node);
  return cycles;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const units = [
    ['src (TypeScript)', tsGraph(path.join(root, 'src'))],
    ['python/flask_tutor_pytest', pyGraph(path.join(root, 'python', 'flask_tutor_pytest'), 'flask_tutor_pytest')],
    ['python/tests', pyGraph(path.join(root, 'python', 'tests'), null)],
  ];
  let failed = 0;
  for (const [name, graph] of units) {
    const cycles = findCycles(graph);
    if (cycles.length) failed++;
    console.log(`${cycles.length ? '✘' : '✔'} ${name}: ${graph.size} modules, ${cycles.length} cycle(s)`);
    for (const c of cycles) console.log(`    ${c.map((f) => path.relative(root, f)).join(' → ')}`);
  }
  console.log(`cycles: ${units.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
