/**
 * Check strength: requirements traced to checks (`## Requirements` in the brief, `req` markers
 * on checks), and the mutants (the solution with a deliberate bug: the checks must catch it) and
 * variants (another correct solution: the checks must pass) each exercise brings. Node only, no
 * `vscode`; part of ./contentCheck.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describeUnmet, unmetRequirements } from '../core/requirements';
import { judgeMutant, MutantSpec, parseReqMarkers, parseRequirements, traceProblems, validateMutant, validateVariant, VariantSpec } from '../core/traceability';
import { Catalog, Exercise, readCheckFiles } from '../engine/catalog';
import { isFile, Problem, readJson, rel, subdirs } from './contentFiles';
import { firstLine, GoldenOptions, runTree, TreeVerdict } from './contentRun';

/** The check markers of an exercise: `test_x.py::test_a` and `test_a` → requirement numbers. */
function exerciseMarkers(exercise: Exercise): Map<string, number[] | undefined> {
  const markers = new Map<string, number[] | undefined>();
  for (const f of readCheckFiles(exercise)) {
    for (const [name, numbers] of parseReqMarkers(fs.readFileSync(f.file, 'utf8'))) markers.set(name, numbers);
  }
  return markers;
}

interface TreeSpecs {
  mutants: { name: string; dir: string; spec?: MutantSpec; problems: string[] }[];
  variants: { name: string; dir: string; spec?: VariantSpec; problems: string[] }[];
}

export function readTreeSpecs(exercise: Exercise): TreeSpecs {
  const mutantsDir = path.join(exercise.dir, 'mutants');
  const variantsDir = path.join(exercise.dir, 'variants');
  return {
    mutants: subdirs(mutantsDir).map((name) => {
      const dir = path.join(mutantsDir, name);
      const json = readJson(path.join(dir, 'mutant.json'));
      const { spec, problems } = validateMutant(json);
      return { name, dir, spec, problems: (json as { __error?: string }).__error ? [`mutant.json: ${(json as { __error: string }).__error}`] : problems };
    }),
    variants: subdirs(variantsDir).map((name) => {
      const dir = path.join(variantsDir, name);
      const json = readJson(path.join(dir, 'variant.json'));
      const { spec, problems } = validateVariant(json);
      return { name, dir, spec, problems: (json as { __error?: string }).__error ? [`variant.json: ${(json as { __error: string }).__error}`] : problems };
    }),
  };
}

/** Exercises that declare numbered requirements must trace them, and bring at least this many. */
export const MIN_MUTANTS = 3;
export const MIN_VARIANTS = 2;

/**
 * Traceability of every exercise: a `## Requirements` section in the brief, numbering, every
 * requirement checked, every check marked, mutant/variant declarations valid and numerous
 * enough. Returns the problems and the ids of exercises whose brief has no such section.
 */
export function checkTraceability(catalog: Catalog, root: string): { problems: Problem[]; untraced: string[] } {
  const problems: Problem[] = [];
  const untraced: string[] = [];
  for (const e of catalog.exercises) {
    const where = rel(root, e.dir);
    const parsed = isFile(e.briefPath) ? parseRequirements(fs.readFileSync(e.briefPath, 'utf8')) : undefined;
    const specs = readTreeSpecs(e);
    for (const t of [...specs.mutants, ...specs.variants]) for (const p of t.problems) problems.push({ where: `${where}/${t.dir.includes(`${path.sep}mutants${path.sep}`) ? 'mutants' : 'variants'}/${t.name}`, message: p });
    if (!parsed) {
      untraced.push(e.id);
      problems.push({ where: `${where}/README.md`, message: 'the brief has no "## Requirements" section: number every testable sentence (docs/exercise-format.md)' });
      continue;
    }
    for (const p of parsed.problems) problems.push({ where: `${where}/README.md`, message: p });
    for (const p of traceProblems(parsed.requirements, exerciseMarkers(e))) problems.push({ where: `${where}/checks`, message: p });
    const known = new Set(parsed.requirements.map((r) => r.n));
    for (const m of specs.mutants) {
      if (m.spec && !known.has(m.spec.requirement)) problems.push({ where: `${where}/mutants/${m.name}`, message: `requirement ${m.spec.requirement} is not in the brief` });
    }
    if (specs.mutants.length < MIN_MUTANTS) problems.push({ where, message: `${specs.mutants.length} mutant(s): at least ${MIN_MUTANTS} (mutants/<name>/ with mutant.json), each one typical mistake` });
    if (specs.variants.length < MIN_VARIANTS) problems.push({ where, message: `${specs.variants.length} variant(s): at least ${MIN_VARIANTS} (variants/<name>/ with variant.json), each correct in another style` });
  }
  return { problems, untraced };
}

function overlay(from: string, to: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === 'mutant.json' || entry.name === 'variant.json') continue;
    const src = path.join(from, entry.name);
    const dest = path.join(to, entry.name);
    if (entry.isDirectory()) {
      fs.mkdirSync(dest, { recursive: true });
      overlay(src, dest);
    } else fs.copyFileSync(src, dest);
  }
}

/** Runs every mutant (solution + overlay: must be caught as declared) and variant (must pass). */
export async function runMutantsAndVariants(exercise: Exercise, options: GoldenOptions): Promise<{ mutants: TreeVerdict[]; variants: TreeVerdict[] }> {
  const specs = readTreeSpecs(exercise);
  const markers = exerciseMarkers(exercise);
  const hasMarkers = [...markers.values()].some((n) => n?.length);
  const unmet = (extra: string[] | undefined) => (options.installed && extra?.length ? unmetRequirements(extra, options.installed) : []);
  const mutants: TreeVerdict[] = [];
  for (const m of specs.mutants) {
    if (!m.spec) continue; // reported by checkTraceability
    const missing = unmet(m.spec.requirements);
    if (missing.length) {
      mutants.push({ name: m.name, skipped: `needs ${describeUnmet(missing)}` });
      continue;
    }
    const spec = m.spec;
    const run = await runTree(exercise, exercise.solutionDir, options, (appDir) => {
      overlay(m.dir, appDir);
      for (const gone of spec.delete ?? []) fs.rmSync(path.join(appDir, gone), { recursive: true, force: true });
    });
    const outcomes = run.verdicts.map((v) => ({ key: v.key, outcome: v.outcome, message: v.messages.map((x) => x.text).join('\n') }));
    mutants.push({ name: m.name, problem: judgeMutant(spec, outcomes, hasMarkers ? markers : undefined) });
  }
  const variants: TreeVerdict[] = [];
  for (const v of specs.variants) {
    if (!v.spec) continue;
    const missing = unmet(v.spec.requirements);
    if (missing.length) {
      variants.push({ name: v.name, skipped: `needs ${describeUnmet(missing)}` });
      continue;
    }
    const run = await runTree(exercise, v.dir, options);
    const bad = run.verdicts.filter((x) => x.outcome !== 'passed');
    variants.push({
      name: v.name,
      problem: run.appError
        ? `the app does not load (${run.appError})`
        : bad.length
          ? bad.map((x) => `${x.key} ${x.outcome}: ${firstLine(x.messages[0]?.text)}`).join('; ')
          : undefined,
    });
  }
  return { mutants, variants };
}
