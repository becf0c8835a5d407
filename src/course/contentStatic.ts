/**
 * The content checks that run no Python: walkthrough generation from disk, exercise manifests
 * (schema and cross-checks), Markdown links and media of walkthroughs and briefs, and the
 * contributed commands. Node only, no `vscode`; part of ./contentCheck.ts.
 */
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { isChapterId } from '../core/chapters';
import { BUILTIN_LINK_COMMANDS, COURSE_COMMANDS } from '../core/courseCommands';
import { parseFrontMatter } from '../core/frontMatter';
import { MARKER_FILE } from '../core/manifest';
import { checkMarkdown, LinkRules } from '../core/markdownCheck';
import { ExerciseInfo, generateWalkthroughs, GeneratedWalkthrough, GenResult, mediaPaths, STEP_FILE, WalkthroughFolder } from '../core/walkthroughGen';
import { Catalog, loadCatalog, readCheckFiles } from '../engine/catalog';
import { isDir, isFile, Problem, rel, subdirs } from './contentFiles';

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
    if (!isChapterId(chapter)) problems.push({ where: rel(root, chapterDir), message: `"${chapter}" is not a chapter id of the syllabus (f1-f5, p0, c01-c05, p1, c06-c23)` });
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
