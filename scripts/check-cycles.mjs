// `npm run check:cycles`: no import cycle in src/ (TypeScript) nor in python/flask_tutor_pytest.
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

/** Python: `from .x import`, `from . import x`, `import flask_tutor_pytest.x`, at any indentation. */
function pyGraph(pkgDir, pkg) {
  const files = walk(pkgDir, '.py');
  const graph = new Map();
  const modFile = (name) => {
    const p = path.join(pkgDir, `${name}.py`);
    return fs.existsSync(p) ? p : undefined;
  };
  for (const file of files) {
    const deps = new Set();
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      let m = /^\s*from\s+\.(\w+)\s+import\s/.exec(line) ?? new RegExp(`^\\s*from\\s+${pkg}\\.(\\w+)\\s+import\\s`).exec(line) ?? new RegExp(`^\\s*import\\s+${pkg}\\.(\\w+)`).exec(line);
      if (m) {
        const target = modFile(m[1]);
        if (target) deps.add(target);
        continue;
      }
      m = /^\s*from\s+\.\s+import\s+(.+)$/.exec(line);
      if (m) {for (const name of m[1].split(',').map((s) => s.trim().split(/\s+as\s+/)[0])) {
        const target = modFile(name);
        if (target) deps.add(target);
      }}
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
