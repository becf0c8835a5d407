// The CI check of the snippet library (npm run check:snippets):
//  - every snippet follows the rules of src/core/snippetBody.ts (prefix scheme, description,
//    tab stops 1..n in order, exactly one $0, choices, escapes) and prefixes are unique;
//  - every body, expanded with its defaults and with each further option of each choice,
//    parses: Python with ast, templates with Jinja2 and balanced HTML tags; all bodies go in one
//    JSON batch to ONE Python process (scripts/snippet_parse.py);
//  - the generated files are fresh and package.json contributes them for the right languages.
// Prints each failure with its prefix, then `snippets: N passed, M failed`; exits 1 on any failure.
//
//   node scripts/check-snippets.mjs [--src <dir>]
// --src checks another source folder (the unit test's deliberately broken snippets); the
// generated-file and package.json checks apply only to the repository's own sources.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pythonOf } from './python-env.mjs';
import { KINDS, ROOT, lintSources, loadSnippetBody, loadSources, renderOutputs, staleOutputs } from './snippets.mjs';

const PYTHON = process.env.FLASK_TUTOR_PYTHON || '/usr/bin/python3';
// Imports and library names are checked against what learners install (scripts/python-env.mjs).
const CURRENT_PYTHON = process.env.FLASK_TUTOR_SNIPPET_PYTHON || pythonOf('current');

function parseArgs(argv) {
  const i = argv.indexOf('--src');
  return { src: i >= 0 ? resolve(argv[i + 1]) : undefined };
}

/** Runs scripts/snippet_parse.py once for all items; returns id → error. */
function parseWithPython(items) {
  const run = spawnSync(PYTHON, [join(ROOT, 'scripts/snippet_parse.py')], {
    input: JSON.stringify(items),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error || run.status !== 0) {
    const reason = run.error ? run.error.message : run.stderr.trim() || `exit code ${run.status}`;
    throw new Error(`${PYTHON} could not parse the snippets: ${reason}`);
  }
  return new Map(JSON.parse(run.stdout).map((f) => [f.id, f.error]));
}

/** Runs scripts/snippet_imports.py in the current environment; returns [{id, error}]. */
function importProblems(items) {
  const run = spawnSync(CURRENT_PYTHON, [join(ROOT, 'scripts/snippet_imports.py')], {
    input: JSON.stringify(items),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error || run.status !== 0) {
    const reason = run.error ? run.error.message : run.stderr.trim() || `exit code ${run.status}`;
    throw new Error(`${CURRENT_PYTHON} could not check the snippets' imports: ${reason} (build it with: node scripts/python-env.mjs ensure)`);
  }
  // Several expansions of one snippet report the same problem once.
  const seen = new Set();
  return JSON.parse(run.stdout).filter((p) => {
    const key = `${p.id.split('#')[0]} ${p.error}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** package.json must contribute each generated file for exactly its kind's languages. */
function checkContributions() {
  const contributed = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes?.snippets ?? [];
  const problems = [];
  for (const info of Object.values(KINDS)) {
    const languages = contributed.filter((c) => c.path?.replace(/^\.\//, '') === info.file).map((c) => c.language).sort();
    if (JSON.stringify(languages) !== JSON.stringify([...info.languages].sort())) {
      problems.push(`package.json contributes ${info.file} for [${languages.join(', ')}], expected [${info.languages.join(', ')}]`);
    }
  }
  return problems;
}

async function main() {
  const { src } = parseArgs(process.argv.slice(2));
  const core = await loadSnippetBody();
  const sources = loadSources(core, src);
  const failures = new Map(); // prefix → problems
  const fail = (prefix, problem) => failures.set(prefix, [...(failures.get(prefix) ?? []), problem]);
  for (const p of [...sources.problems, ...lintSources(sources, core)]) fail(p.prefix, p.problem);

  const items = [];
  for (const s of sources.snippets) {
    let variants;
    try {
      variants = core.expansionVariants(s.body);
    } catch {
      continue; // a syntax error, already reported by the lint
    }
    variants.forEach((v, i) => items.push({ id: `${s.prefix}#${i}`, kind: s.kind, text: v.text, prefix: s.prefix, label: v.label }));
  }
  const errors = parseWithPython(items.map(({ id, kind, text }) => ({ id, kind, text })));
  for (const item of items) {
    const error = errors.get(item.id);
    if (error) fail(item.prefix, `${item.kind === 'python' ? 'Python' : 'Jinja/HTML'} (${item.label}): ${error}`);
  }

  // Library names: imports resolve and attribute chains exist in the current environment
  // (what learners install), so API drift breaks our build first.
  const pythonItems = items.filter((item) => item.kind === 'python');
  for (const { id, error } of importProblems(pythonItems.map(({ id, text }) => ({ id, text })))) {
    const item = pythonItems.find((i) => i.id === id);
    fail(item.prefix, `names (${item.label}) with ${CURRENT_PYTHON}: ${error}`);
  }

  const fileProblems = [];
  if (!src) {
    if (!sources.problems.length) {
      for (const path of staleOutputs(renderOutputs(sources, core))) fileProblems.push(`${path} is out of date: run node scripts/snippets.mjs`);
    }
    fileProblems.push(...checkContributions());
  }

  const chapterOf = new Map(sources.snippets.map((s) => [s.prefix, `${s.chapter}, ${s.kind}`]));
  for (const [prefix, problems] of failures) {
    for (const problem of problems) console.error(`FAIL ${prefix}${chapterOf.has(prefix) ? ` (${chapterOf.get(prefix)})` : ''}: ${problem}`);
  }
  for (const problem of fileProblems) console.error(`FAIL ${problem}`);
  const failed = sources.snippets.filter((s) => failures.has(s.prefix)).length;
  const other = [...failures.keys()].filter((k) => !chapterOf.has(k)).length;
  const passed = sources.snippets.length - failed;
  console.log(`checked ${items.length} expansions of ${sources.snippets.length} snippets with ${PYTHON}`);
  if (other || fileProblems.length) console.log(`(failed also counts ${other} source-file and ${fileProblems.length} generated-file problem(s))`);
  console.log(`snippets: ${passed} passed, ${failed + other + fileProblems.length} failed`);
  if (failures.size || fileProblems.length) process.exitCode = 1;
}

await main();
