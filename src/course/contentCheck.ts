/**
 * The content checker behind `npm run check:content` (scripts/check-content.mjs bundles this
 * module with esbuild and runs it) and `npm run gen:walkthroughs`. Node only, no `vscode`;
 * never part of the extension bundle.
 *
 * - manifests: the JSON schema (exercises/exercise.schema.json, with ajv) and what a schema
 *   cannot see: id = <chapter>-<folder>, unique ids and orders, referenced files present;
 * - Markdown (walkthrough steps, markdown media, briefs): links resolve, `command:` links name
 *   contributed commands with valid JSON-array arguments, media exist, images have alt text;
 * - walkthroughs: package.json's `contributes.walkthroughs` is what the generator makes;
 * - the golden path: every exercise's checks fail on the starter (check failures, not errors in
 *   the check code) and all pass on the solution, exercises run in parallel.
 */
import Ajv from 'ajv';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isChapterId } from '../core/chapters';
import { BUILTIN_LINK_COMMANDS, COURSE_COMMANDS } from '../core/courseCommands';
import { parseFrontMatter } from '../core/frontMatter';
import { MARKER_FILE } from '../core/manifest';
import { checkMarkdown, LinkRules } from '../core/markdownCheck';
import type { Outcome } from '../core/protocol';
import { CheckVerdict, RunResults } from '../core/results';
import { ExerciseInfo, generateWalkthroughs, GeneratedWalkthrough, GenResult, mediaPaths, STEP_FILE, WalkthroughFolder } from '../core/walkthroughGen';
import { Catalog, Exercise, loadCatalog, readCheckFiles } from '../engine/catalog';
import { runPytest } from '../engine/pytestRun';
import { judgeProbe, PROBE_SCRIPT } from '../core/pythonProbe';
import { describeUnmet, unmetRequirements } from '../core/requirements';
import { judgeMutant, MutantSpec, parseReqMarkers, parseRequirements, traceProblems, validateMutant, validateVariant, VariantSpec } from '../core/traceability';
export { describeUnmet, unmetRequirements } from '../core/requirements';

export interface Problem {
  /** Relative to the extension root. */
  where: string;
  message: string;
}

const posix = (p: string) => p.split(path.sep).join('/');

function rel(root: string, p: string): string {
  return posix(path.relative(root, p)) || '.';
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function subdirs(p: string): string[] {
  return isDir(p) ? fs.readdirSync(p, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];
}

// ---- walkthrough generation ---------------------------------------------------------------------

export function readWalkthroughFolders(walkthroughsDir: string): WalkthroughFolder[] {
  return subdirs(walkthroughsDir).map((name) => ({
    name,
    files: fs
      .readdirSync(path.join(walkthroughsDir, name), { withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith('.md'))
      .map((d) => ({ name: d.name, text: fs.readFileSync(path.join(walkthroughsDir, name, d.name), 'utf8') }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

export function exerciseInfos(catalog: Catalog, root: string): ExerciseInfo[] {
  return catalog.exercises.map((e) => ({
    id: e.id,
    title: e.title,
    chapter: e.chapter,
    order: e.order,
    summary: e.summary,
    minutes: e.minutes,
    briefPath: rel(root, e.briefPath),
  }));
}

export function generateFromDisk(root: string, exercisesDir: string, walkthroughsDir: string): GenResult & { catalog: Catalog } {
  const catalog = loadCatalog(exercisesDir);
  return { ...generateWalkthroughs(readWalkthroughFolders(walkthroughsDir), exerciseInfos(catalog, root)), catalog };
}

/** package.json text with `contributes.walkthroughs` replaced (the only key touched). */
export function withWalkthroughs(packageText: string, walkthroughs: GeneratedWalkthrough[]): string {
  const pkg = JSON.parse(packageText) as { contributes?: Record<string, unknown> };
  pkg.contributes ??= {};
  if (walkthroughs.length) pkg.contributes.walkthroughs = walkthroughs;
  else delete pkg.contributes.walkthroughs;
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export function walkthroughsUpToDate(pkg: { contributes?: { walkthroughs?: unknown } }, walkthroughs: GeneratedWalkthrough[]): boolean {
  const current = pkg.contributes?.walkthroughs ?? [];
  return JSON.stringify(current) === JSON.stringify(walkthroughs);
}

// ---- manifests ------------------------------------------------------------------------------------

export function checkManifests(root: string, exercisesDir: string, schema: object): { problems: Problem[]; catalog: Catalog } {
  const problems: Problem[] = [];
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  const ids = new Map<string, string>();
  const orders = new Map<string, string>();
  for (const chapter of subdirs(exercisesDir)) {
    const chapterDir = path.join(exercisesDir, chapter);
    if (!isChapterId(chapter)) problems.push({ where: rel(root, chapterDir), message: `"${chapter}" is not a chapter id of the syllabus (f1-f5, p0, c01-c23)` });
    for (const slug of subdirs(chapterDir)) {
      const dir = path.join(chapterDir, slug);
      const where = rel(root, dir);
      const manifestPath = path.join(dir, 'exercise.json');
      if (!isFile(manifestPath)) {
        problems.push({ where, message: 'no exercise.json' });
        continue;
      }
      let manifest: Record<string, unknown>;
      try {
        manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
      } catch (e) {
        problems.push({ where: rel(root, manifestPath), message: `not valid JSON: ${(e as Error).message}` });
        continue;
      }
      if (!validate(manifest)) {
        for (const err of validate.errors ?? []) {
          const extra = err.keyword === 'additionalProperties' ? ` ("${(err.params as { additionalProperty: string }).additionalProperty}")` : '';
          problems.push({ where: rel(root, manifestPath), message: `${err.instancePath || '(manifest)'} ${err.message ?? 'is invalid'}${extra}` });
        }
        continue;
      }
      const id = manifest.id as string;
      if (manifest.chapter !== chapter) problems.push({ where: rel(root, manifestPath), message: `"chapter" is ${String(manifest.chapter)} but the folder is in ${chapter}/` });
      if (id !== `${chapter}-${slug}`) problems.push({ where: rel(root, manifestPath), message: `"id" must be "${chapter}-${slug}" (<chapter>-<folder name>)` });
      const twin = ids.get(id);
      if (twin) problems.push({ where: rel(root, manifestPath), message: `id "${id}" is also used by ${twin}` });
      ids.set(id, where);
      const orderKey = `${chapter}#${String(manifest.order)}`;
      const sameOrder = orders.get(orderKey);
      if (sameOrder) problems.push({ where: rel(root, manifestPath), message: `"order" ${String(manifest.order)} is also used by ${sameOrder}` });
      orders.set(orderKey, where);
      const brief = path.join(dir, 'README.md');
      if (!isFile(brief) || !fs.readFileSync(brief, 'utf8').trim()) problems.push({ where, message: 'README.md (the brief) is missing or empty' });
      for (const sub of ['starter', 'solution', 'checks']) {
        if (!isDir(path.join(dir, sub))) problems.push({ where, message: `${sub}/ is missing` });
      }
      for (const file of manifest.open as string[]) {
        for (const sub of ['starter', 'solution']) {
          if (!isFile(path.join(dir, sub, ...file.split('/')))) problems.push({ where, message: `"open" names ${file}, which is not in ${sub}/` });
        }
      }
      for (const sub of ['starter', 'solution']) {
        if (fs.existsSync(path.join(dir, sub, MARKER_FILE))) problems.push({ where, message: `${sub}/ must not contain ${MARKER_FILE} (starting an exercise writes it)` });
      }
      const checkFiles = readCheckFiles({ checksDir: path.join(dir, 'checks') });
      if (!checkFiles.length) problems.push({ where, message: 'checks/ has no test_*.py file' });
      else if (!checkFiles.some((f) => f.checks.length)) problems.push({ where, message: 'checks/ has no check (def test_…)' });
    }
  }
  const catalog = loadCatalog(exercisesDir);
  catalog.problems.forEach((p) => problems.push({ where: rel(root, exercisesDir), message: p }));
  return { problems, catalog };
}

// ---- Markdown -------------------------------------------------------------------------------------

export interface MarkdownContext {
  root: string;
  commands: ReadonlySet<string>;
  exerciseIds: ReadonlySet<string>;
  snippetPrefixes?: ReadonlySet<string>;
}

function rulesFor(ctx: MarkdownContext, where: LinkRules['where'], baseDir: string): LinkRules {
  return {
    where,
    commands: ctx.commands,
    builtinCommands: BUILTIN_LINK_COMMANDS,
    exerciseIds: ctx.exerciseIds,
    snippetPrefixes: ctx.snippetPrefixes,
    fileExists: (relative) => {
      const target = path.resolve(baseDir, ...relative.split('/'));
      return !path.relative(ctx.root, target).startsWith('..') && fs.existsSync(target);
    },
  };
}

export function contributedCommands(pkg: { contributes?: { commands?: { command: string }[] } }): Set<string> {
  return new Set((pkg.contributes?.commands ?? []).map((c) => c.command));
}

export function checkBriefs(catalog: Catalog, ctx: MarkdownContext): Problem[] {
  const problems: Problem[] = [];
  for (const exercise of catalog.exercises) {
    if (!isFile(exercise.briefPath)) continue;
    const text = fs.readFileSync(exercise.briefPath, 'utf8');
    for (const p of checkMarkdown(text, rulesFor(ctx, 'document', exercise.dir))) problems.push({ where: rel(ctx.root, exercise.briefPath), message: p });
    exercise.hints.forEach((hint, i) => {
      for (const p of checkMarkdown(hint, rulesFor(ctx, 'document', exercise.dir))) problems.push({ where: `${rel(ctx.root, exercise.dir)}/exercise.json`, message: `hint ${i + 1}: ${p}` });
    });
  }
  return problems;
}

export function checkWalkthroughs(
  ctx: MarkdownContext,
  walkthroughsDir: string,
  gen: GenResult,
): Problem[] {
  const problems: Problem[] = gen.problems.map((p) => ({ where: p.file, message: p.message }));
  // Step sources: the description as written (with file lines).
  for (const folder of readWalkthroughFolders(walkthroughsDir)) {
    for (const file of folder.files) {
      if (!STEP_FILE.test(file.name)) continue;
      const fm = parseFrontMatter(file.text);
      const where = rel(ctx.root, path.join(walkthroughsDir, folder.name, file.name));
      const description = fm.data.get('description');
      for (const p of checkMarkdown(fm.body, rulesFor(ctx, 'step', path.dirname(path.join(walkthroughsDir, folder.name, file.name))), fm.bodyLine)) problems.push({ where, message: p });
      if (description) for (const p of checkMarkdown(description, rulesFor(ctx, 'step', walkthroughsDir))) problems.push({ where, message: `description: ${p}` });
    }
  }
  // Generated exercise steps: their Start and Verify buttons.
  const checkedMarkdown = new Set<string>();
  for (const w of gen.walkthroughs) {
    for (const step of w.steps.filter((s) => s.id.startsWith('exercise-'))) {
      for (const p of checkMarkdown(step.description, rulesFor(ctx, 'step', ctx.root))) {
        problems.push({ where: `${w.id} › ${step.id}`, message: p.replace(/^line \d+: /, '') });
      }
    }
  }
  for (const media of mediaPaths(gen.walkthroughs)) {
    const file = path.resolve(ctx.root, ...media.path.split('/'));
    const where = `${media.walkthrough} › ${media.step}`;
    if (path.relative(ctx.root, file).startsWith('..') || !isFile(file)) {
      problems.push({ where, message: `media ${media.path} does not exist` });
      continue;
    }
    if (file.endsWith('.md') && !checkedMarkdown.has(file)) {
      checkedMarkdown.add(file);
      for (const p of checkMarkdown(fs.readFileSync(file, 'utf8'), rulesFor(ctx, 'document', path.dirname(file)))) problems.push({ where: rel(ctx.root, file), message: p });
    }
    if (file.endsWith('.svg')) {
      const svg = fs.readFileSync(file, 'utf8');
      if (!/<svg[\s>]/.test(svg)) problems.push({ where: rel(ctx.root, file), message: 'not an SVG file' });
      if (/<script[\s>]/i.test(svg)) problems.push({ where: rel(ctx.root, file), message: 'SVG media must not contain scripts' });
    }
  }
  return problems;
}

/** Our commands must be contributed (palette, walkthrough links). */
export function checkCommandsContributed(commands: ReadonlySet<string>): Problem[] {
  return Object.values(COURSE_COMMANDS)
    .filter((id) => !commands.has(id))
    .map((id) => ({ where: 'package.json', message: `contributes.commands lacks ${id}` }));
}

// ---- the golden path ------------------------------------------------------------------------------

export interface TreeRun {
  /** Verdict per check key. */
  verdicts: CheckVerdict[];
  appError?: string;
  endReason: string;
  ms: number;
}

export interface TreeVerdict {
  name: string;
  /** Undefined when it did what it must (a mutant caught, a variant passing). */
  problem?: string;
  /** Why it was not run here (its libraries are not installed). */
  skipped?: string;
}

export interface GoldenResult {
  id: string;
  starter?: TreeRun;
  solution?: TreeRun;
  mutants?: TreeVerdict[];
  variants?: TreeVerdict[];
  ms: number;
  problems: string[];
}

export interface GoldenOptions {
  python: string;
  pluginDir: string;
  /** Exercises run at once (default 2). */
  jobs?: number;
  checkTimeoutSec?: number;
  runTimeoutSec?: number;
  onResult?: (result: GoldenResult) => void;
  /** The interpreter's distributions (name → version): a mutant or variant needing more is skipped. */
  installed?: Readonly<Record<string, string>>;
}

const count = (run: TreeRun | undefined, outcome: Outcome) => run?.verdicts.filter((v) => v.outcome === outcome).length ?? 0;

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0].slice(0, 200);
}

/**
 * Runs an exercise's checks against a copy of `sourceDir` (the starter, the solution, a variant),
 * after `prepare` changed the copy (a mutant's overlay).
 */
export async function runTree(exercise: Exercise, sourceDir: string, options: GoldenOptions, prepare?: (appDir: string) => void): Promise<TreeRun> {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flask-tutor-golden-'));
  const appDir = path.join(tmp, exercise.id);
  try {
    fs.cpSync(sourceDir, appDir, { recursive: true, filter: (src) => !/(^|[\\/])(mutant|variant)\.json$/.test(src) });
    prepare?.(appDir);
    const keys = readCheckFiles(exercise).flatMap((f) => f.checks.map((c) => `${f.name}::${c.name}`));
    const results = new RunResults();
    const handle = runPytest({
      python: options.python,
      pluginDir: options.pluginDir,
      checksDir: exercise.checksDir,
      appDir,
      appTarget: exercise.app,
      checkTimeoutSec: options.checkTimeoutSec ?? 10,
      runTimeoutSec: options.runTimeoutSec ?? 120,
      onEvent: (event) => results.add(event),
    });
    const end = await handle.done;
    const reason = end.reason.kind === 'completed' ? 'completed' : `${end.reason.kind}${'detail' in end.reason ? `: ${end.reason.detail}` : ''}`;
    return {
      verdicts: results.verdicts(keys, end.reason),
      appError: results.appError ? `${results.appError.code}: ${firstLine(results.appError.message)}` : undefined,
      endReason: reason,
      ms: Date.now() - started,
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** What is wrong with one exercise's golden path. */
export function judgeGolden(starter: TreeRun, solution: TreeRun): string[] {
  const problems: string[] = [];
  if (!starter.verdicts.length) problems.push('no checks');
  if (starter.appError) problems.push(`starter: the app does not load (${starter.appError}); a starter must import and run`);
  if (starter.endReason !== 'completed') problems.push(`starter: the run ended early (${starter.endReason})`);
  for (const v of starter.verdicts.filter((x) => x.outcome === 'errored')) {
    problems.push(`starter: ${v.key} errored (the check itself broke, or the starter cannot run it): ${firstLine(v.messages[0]?.text)}`);
  }
  if (starter.verdicts.length && !starter.verdicts.some((v) => v.outcome === 'failed')) problems.push('starter: no check fails (the starter already does the task?)');
  if (solution.appError) problems.push(`solution: the app does not load (${solution.appError})`);
  if (solution.endReason !== 'completed') problems.push(`solution: the run ended early (${solution.endReason})`);
  for (const v of solution.verdicts.filter((x) => x.outcome !== 'passed')) {
    problems.push(`solution: ${v.key} ${v.outcome}: ${firstLine(v.messages[0]?.text)}`);
  }
  return problems;
}

/** Runs the golden path of the exercises, `jobs` at a time, in catalog order. */
export async function goldenPath(exercises: readonly Exercise[], options: GoldenOptions): Promise<GoldenResult[]> {
  const results: GoldenResult[] = new Array(exercises.length);
  let next = 0;
  const worker = async () => {
    while (next < exercises.length) {
      const index = next++;
      const exercise = exercises[index];
      const started = Date.now();
      let result: GoldenResult;
      try {
        const starter = await runTree(exercise, exercise.starterDir, options);
        const solution = await runTree(exercise, exercise.solutionDir, options);
        const problems = judgeGolden(starter, solution);
        const { mutants, variants } = await runMutantsAndVariants(exercise, options);
        for (const m of mutants) if (m.problem) problems.push(`mutant ${m.name}: ${m.problem}`);
        for (const v of variants) if (v.problem) problems.push(`variant ${v.name}: ${v.problem}`);
        result = { id: exercise.id, starter, solution, mutants, variants, ms: Date.now() - started, problems };
      } catch (error) {
        result = { id: exercise.id, ms: Date.now() - started, problems: [`could not run: ${error instanceof Error ? error.message : String(error)}`] };
      }
      results[index] = result;
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs ?? 2, exercises.length)) }, worker));
  return results;
}

function treeCell(list: readonly TreeVerdict[] | undefined): string {
  if (!list || !list.length) return '-';
  const ran = list.filter((t) => !t.skipped);
  const skipped = list.length - ran.length;
  return `${ran.filter((t) => !t.problem).length}/${ran.length}${skipped ? ` (${skipped} skipped)` : ''}`;
}

export function goldenTable(results: readonly GoldenResult[]): string {
  const rows = results.map((r) => [
    r.id,
    r.starter ? `${count(r.starter, 'failed')}/${r.starter.verdicts.length}${count(r.starter, 'errored') ? ` (${count(r.starter, 'errored')} errored)` : ''}` : '-',
    r.solution ? `${count(r.solution, 'passed')}/${r.solution.verdicts.length}` : '-',
    treeCell(r.mutants),
    treeCell(r.variants),
    String(r.ms),
    r.problems.length ? 'FAIL' : 'ok',
  ]);
  const header = ['exercise', 'starter failed/total', 'solution passed/total', 'mutants caught', 'variants pass', 'ms', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// ---- requirements, mutants, variants (issue: check strength) -----------------------------------

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

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return { __error: error instanceof Error ? error.message : String(error) };
  }
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

/** Checks that `python` can run the checks, with the same probe and verdicts as the extension. */
export function probePython(python: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(python, ['-c', PROBE_SCRIPT], { timeout: 20000 }, (error, stdout) => {
      const notFound = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
      const verdict = judgeProbe(python, stdout, notFound ? 'not found' : undefined);
      resolve(verdict.ok ? undefined : `${python} cannot run the checks: ${verdict.message}`);
    });
  });
}
