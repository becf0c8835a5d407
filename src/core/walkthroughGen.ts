/**
 * Builds `contributes.walkthroughs` from the walkthrough folders and the exercise manifests.
 * Pure: input is the folder listing with file texts, output the JSON VS Code reads. Used by
 * scripts/gen-walkthroughs.mjs (writes package.json, `--check` fails when it is stale), by the
 * content checker, and by the extension for the step ids it unticks after a progress reset.
 *
 * Sources (documented in docs/exercise-format.md, "Walkthroughs"):
 *   walkthroughs/start/            the "Start here" walkthrough (id `flaskTutor.start`)
 *   walkthroughs/<chapter>/        one walkthrough per chapter (id `flaskTutor.<chapter>`)
 *     index.md                     optional front matter: title, description, when, featuredFor
 *     NN-<step>.md                 a step: front matter + the step's description (Markdown)
 * Every exercise of a chapter gets a step with Start and Verify buttons that is ticked when the
 * exercise passes; a step file with `exercise: <id>` places and words it, otherwise it is
 * generated after the chapter's other steps.
 */
import { CHAPTERS, chapterById, chapterDisplayName, chapterLabel, compareChapterIds, isChapterId, PARTS } from './chapters';
import { parseFrontMatter } from './frontMatter';
import type { ExerciseManifest } from './manifest';
import { passedContextKey } from './progress';
import { descriptionProblems, toStepDescription, toVsCodeInline } from './stepDescription';

export { toStepDescription, toVsCodeInline } from './stepDescription';

export const START_FOLDER = 'start';
export const WALKTHROUGH_PREFIX = 'flaskTutor.';
export const STEP_FILE = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;
export const INDEX_FILE = 'index.md';

export const STEP_KEYS = ['title', 'id', 'description', 'svg', 'image', 'markdown', 'alt', 'completion', 'exercise', 'when'] as const;
export const INDEX_KEYS = ['title', 'description', 'when', 'featuredFor'] as const;
export const COMPLETION_KINDS = ['onCommand', 'onLink', 'onView', 'onSettingChanged', 'onContext', 'onExtensionInstalled', 'onStepSelected'] as const;

export interface SourceFile {
  /** File name inside the folder (`01-routes.md`, `index.md`). */
  name: string;
  text: string;
}

export interface WalkthroughFolder {
  /** `start` or a chapter id. */
  name: string;
  files: SourceFile[];
}

/** What a walkthrough needs of an exercise: its manifest's identity fields and where its brief is. */
export type ExerciseInfo = Pick<ExerciseManifest, 'id' | 'title' | 'chapter' | 'order' | 'summary' | 'minutes'> & {
  /** The brief, relative to the extension root with `/` (`exercises/f1/first-app/README.md`). */
  briefPath: string;
};

export type StepMedia = { svg: string; altText: string } | { image: string; altText: string } | { markdown: string };

export interface GeneratedStep {
  id: string;
  title: string;
  description: string;
  media: StepMedia;
  completionEvents?: string[];
  when?: string;
}

export interface GeneratedWalkthrough {
  id: string;
  title: string;
  description: string;
  when?: string;
  featuredFor?: string[];
  steps: GeneratedStep[];
}

export interface GenProblem {
  /** Relative to the extension root (`walkthroughs/f1/01-routes.md`). */
  file: string;
  message: string;
}

export interface GenResult {
  walkthroughs: GeneratedWalkthrough[];
  problems: GenProblem[];
}

export function walkthroughId(folder: string): string {
  return WALKTHROUGH_PREFIX + folder;
}

export function exerciseStepId(exerciseId: string): string {
  return `exercise-${exerciseId}`;
}

/** The id `welcome.markStepIncomplete` takes: `<extension id>#<walkthrough id>#<step id>`. */
export function fullStepId(extensionId: string, chapter: string, exerciseId: string): string {
  return `${extensionId}#${walkthroughId(chapter)}#${exerciseStepId(exerciseId)}`;
}

export function commandLink(label: string, command: string, args?: unknown[]): string {
  return `[${label}](command:${command}${args ? `?${JSON.stringify(args)}` : ''})`;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function validCompletion(event: string): boolean {
  if (event === 'onStepSelected') return true;
  const sep = event.indexOf(':');
  if (sep <= 0) return false;
  return (COMPLETION_KINDS as readonly string[]).includes(event.slice(0, sep)) && event.slice(sep + 1).trim().length > 0;
}

interface ParsedStep {
  file: string;
  order: string;
  slug: string;
  data: Map<string, string>;
  description: string;
  exercise?: string;
}

function mediaFrom(data: Map<string, string>, file: string, problems: GenProblem[]): StepMedia | undefined {
  const svg = data.get('svg');
  const image = data.get('image');
  const markdown = data.get('markdown');
  const alt = data.get('alt')?.trim();
  const given = [svg, image, markdown].filter((v) => v !== undefined).length;
  if (given > 1) problems.push({ file, message: 'give only one of "svg", "image", "markdown"' });
  if (svg !== undefined) {
    if (!alt) problems.push({ file, message: '"svg" media needs "alt" text (what the picture shows, for screen readers)' });
    if (!/\.svg$/i.test(svg)) problems.push({ file, message: `"svg" must name an .svg file: ${svg}` });
    return { svg, altText: alt ?? '' };
  }
  if (image !== undefined) {
    if (!alt) problems.push({ file, message: '"image" media needs "alt" text (what the picture shows, for screen readers)' });
    if (!/\.(png|jpe?g|gif|webp)$/i.test(image)) problems.push({ file, message: `"image" must name a .png, .jpg, .gif or .webp file: ${image}` });
    return { image, altText: alt ?? '' };
  }
  if (markdown !== undefined) {
    if (!/\.md$/i.test(markdown)) problems.push({ file, message: `"markdown" must name a .md file: ${markdown}` });
    if (alt) problems.push({ file, message: '"alt" is only for "svg" and "image" media' });
    return { markdown };
  }
  if (alt) problems.push({ file, message: '"alt" is only for "svg" and "image" media' });
  return undefined;
}

/** Media paths are relative to the extension root, with `/`, inside it. */
export function isSafeRelativePath(p: string): boolean {
  return !!p && !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.includes('\\') && !p.split('/').includes('..');
}

function exerciseStep(exercise: ExerciseInfo, parsed: ParsedStep | undefined, problems: GenProblem[]): GeneratedStep {
  const file = parsed?.file ?? `exercises/${exercise.chapter}`;
  const data = parsed?.data ?? new Map<string, string>();
  if (data.has('id')) problems.push({ file, message: 'an exercise step\'s id is fixed (exercise-<id>); remove "id"' });
  if (data.has('completion')) problems.push({ file, message: 'an exercise step is ticked when the exercise passes; remove "completion"' });
  const intro = parsed?.description || toVsCodeInline(`${exercise.summary} (about ${exercise.minutes} min)`);
  const description = [
    intro,
    commandLink('Start exercise', 'flaskTutor.startExercise', [exercise.id]),
    commandLink('Verify exercise', 'flaskTutor.verifyExercise', [exercise.id]),
  ].join('\n');
  const step: GeneratedStep = {
    id: exerciseStepId(exercise.id),
    title: data.get('title') || `Exercise: ${exercise.title}`,
    description,
    media: (parsed && mediaFrom(data, file, problems)) ?? { markdown: exercise.briefPath },
    completionEvents: [`onContext:${passedContextKey(exercise.id)}`],
  };
  const when = data.get('when');
  if (when) step.when = when;
  return step;
}

function conceptStep(parsed: ParsedStep, problems: GenProblem[]): GeneratedStep | undefined {
  const { data, file } = parsed;
  const title = data.get('title');
  if (!title) problems.push({ file, message: '"title" is required' });
  if (!parsed.description) problems.push({ file, message: 'the step needs a description: the Markdown after the front matter, or "description"' });
  const media = mediaFrom(data, file, problems);
  if (!media) problems.push({ file, message: 'the step needs media: "svg" + "alt", "image" + "alt", or "markdown"' });
  const id = data.get('id') ?? parsed.slug;
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) problems.push({ file, message: `step id "${id}" must be lower-case kebab-case` });
  if (id.startsWith('exercise-')) problems.push({ file, message: 'step ids starting with "exercise-" are reserved for exercise steps' });
  const completion = splitList(data.get('completion'));
  completion.filter((e) => !validCompletion(e)).forEach((e) => problems.push({ file, message: `unknown completion event "${e}" (one of ${COMPLETION_KINDS.join(', ')})` }));
  if (!title || !media) return undefined;
  const step: GeneratedStep = { id, title, description: parsed.description, media };
  if (completion.length) step.completionEvents = completion;
  const when = data.get('when');
  if (when) step.when = when;
  return step;
}

function parseStep(folder: string, file: SourceFile, problems: GenProblem[]): ParsedStep | undefined {
  const path = `walkthroughs/${folder}/${file.name}`;
  const m = STEP_FILE.exec(file.name);
  if (!m) return undefined;
  const fm = parseFrontMatter(file.text);
  if (!fm.present) problems.push({ file: path, message: 'a step file starts with a front matter block ("---" lines)' });
  fm.problems.forEach((message) => problems.push({ file: path, message }));
  for (const key of fm.data.keys()) {
    if (!(STEP_KEYS as readonly string[]).includes(key)) problems.push({ file: path, message: `unknown front matter key "${key}" (known: ${STEP_KEYS.join(', ')})` });
  }
  for (const key of ['svg', 'image', 'markdown'] as const) {
    const v = fm.data.get(key);
    if (v !== undefined && !isSafeRelativePath(v)) problems.push({ file: path, message: `"${key}" must be a path relative to the extension root, with "/": ${v}` });
  }
  const bodyText = fm.body.trim();
  const frontDescription = fm.data.get('description')?.trim();
  if (bodyText && frontDescription) problems.push({ file: path, message: 'give the description either as "description" or as the Markdown body, not both' });
  descriptionProblems(fm.body, fm.bodyLine).forEach((message) => problems.push({ file: path, message }));
  return {
    file: path,
    order: m[1],
    slug: m[2],
    data: fm.data,
    description: bodyText ? toStepDescription(fm.body) : toVsCodeInline(frontDescription ?? ''),
    exercise: fm.data.get('exercise')?.trim() || undefined,
  };
}

function walkthroughMeta(folder: WalkthroughFolder, problems: GenProblem[]): Map<string, string> {
  const index = folder.files.find((f) => f.name === INDEX_FILE);
  if (!index) return new Map();
  const path = `walkthroughs/${folder.name}/${INDEX_FILE}`;
  const fm = parseFrontMatter(index.text);
  fm.problems.forEach((message) => problems.push({ file: path, message }));
  for (const key of fm.data.keys()) {
    if (!(INDEX_KEYS as readonly string[]).includes(key)) problems.push({ file: path, message: `unknown front matter key "${key}" (known: ${INDEX_KEYS.join(', ')})` });
  }
  return fm.data;
}

/** Generates every walkthrough: "Start here" first, then the chapters in course order. */
/**
 * The course as it ships, for step text: `{{courseMap}}` lists the chapters that are here and the
 * Parts still to come; `{{nextPart}}` says where to go after a Part (or that it is coming). Made
 * from the chapters that have exercises, so the map fills in as Parts land and never promises a
 * chapter that is not in the picker.
 */
export function courseMapText(shipped: ReadonlySet<string>): { courseMap: string; nextPart: (part: number) => string } {
  const byPart = new Map<number, typeof CHAPTERS[number][]>();
  for (const c of CHAPTERS) byPart.set(c.part, [...(byPart.get(c.part) ?? []), c]);
  // Numbered chapters as a range, a part's projects (`p0`, `p1`, the capstones `tm`, `bp`, `ec`)
  // named after it: `C01–C05, P1`.
  const range = (list: readonly { id: string }[]) => {
    const numbered = (id: string) => /^[fc]\d+$/.test(id);
    const chapters = list.filter((c) => numbered(c.id));
    const projects = list.filter((c) => !numbered(c.id)).map((c) => chapterLabel(c.id));
    const span = chapters.length > 1 ? [`${chapterLabel(chapters[0].id)}–${chapterLabel(chapters[chapters.length - 1].id)}`] : chapters.map((c) => chapterLabel(c.id));
    return [...span, ...projects].join(', ');
  };
  const ready: string[] = [];
  const coming: string[] = [];
  for (const part of PARTS) {
    const list = byPart.get(part.id) ?? [];
    const here = list.filter((c) => shipped.has(c.id));
    if (here.length) ready.push(`Part ${part.id}, ${part.title}: ${here.map((c) => chapterLabel(c.id)).join(', ')}`);
    const later = list.filter((c) => !shipped.has(c.id));
    if (later.length) coming.push(`Part ${part.id}, ${part.title} (${range(later)})`);
  }
  const courseMap = [`**In the course now:** ${ready.join('; ')}.`, ...(coming.length ? [`**Coming later** (they appear here as they ship): ${coming.join('; ')}.`] : [])].join('\n');
  const nextPart = (part: number) => {
    const next = (byPart.get(part + 1) ?? []).filter((c) => shipped.has(c.id));
    const info = PARTS.find((p) => p.id === part + 1);
    if (!info) return 'This is the end of the course.';
    return next.length
      ? `Part ${info.id}, ${info.title}, goes on from ${chapterDisplayName(next[0].id)}.`
      : `Part ${info.id}, ${info.title}, is coming: its chapters appear in the walkthroughs when they ship.`;
  };
  return { courseMap, nextPart };
}

function fillCourseMap(step: GeneratedStep, map: ReturnType<typeof courseMapText>, chapter?: string): GeneratedStep {
  if (!step.description.includes('{{')) return step;
  const part = chapter ? (chapterById(chapter)?.part ?? 0) : 0;
  return { ...step, description: step.description.replace(/\{\{courseMap\}\}/g, map.courseMap).replace(/\{\{nextPart\}\}/g, map.nextPart(part)) };
}

export function generateWalkthroughs(folders: readonly WalkthroughFolder[], exercises: readonly ExerciseInfo[]): GenResult {
  const problems: GenProblem[] = [];
  const byName = new Map(folders.map((f) => [f.name, f]));
  for (const f of folders) {
    if (f.name !== START_FOLDER && !isChapterId(f.name)) problems.push({ file: `walkthroughs/${f.name}`, message: `"${f.name}" is neither "start" nor a chapter id of the syllabus` });
    for (const file of f.files) {
      if (file.name.endsWith('.md') && file.name !== INDEX_FILE && !STEP_FILE.test(file.name)) {
        problems.push({ file: `walkthroughs/${f.name}/${file.name}`, message: 'step files are named NN-<step>.md (two digits, lower-case kebab-case); put other Markdown under media/' });
      }
    }
  }
  const chapters = new Set<string>([...folders.map((f) => f.name).filter(isChapterId), ...exercises.map((e) => e.chapter).filter(isChapterId)]);
  const map = courseMapText(new Set(exercises.map((e) => e.chapter)));
  const walkthroughs: GeneratedWalkthrough[] = [];

  const start = byName.get(START_FOLDER);
  if (start) {
    const meta = walkthroughMeta(start, problems);
    const steps = start.files
      .filter((f) => STEP_FILE.test(f.name))
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((f) => {
        const parsed = parseStep(START_FOLDER, f, problems);
        if (!parsed) return [];
        if (parsed.exercise) problems.push({ file: parsed.file, message: '"exercise" steps belong in a chapter walkthrough' });
        const step = conceptStep(parsed, problems);
        return step ? [fillCourseMap(step, map)] : [];
      });
    if (!meta.get('title') || !meta.get('description')) problems.push({ file: `walkthroughs/${START_FOLDER}/${INDEX_FILE}`, message: 'the "Start here" walkthrough needs index.md with "title" and "description"' });
    walkthroughs.push(withMeta({ id: walkthroughId(START_FOLDER), title: meta.get('title') ?? 'Flask Backend Tutor: start here', description: toVsCodeInline(meta.get('description') ?? ''), steps }, meta, problems, `walkthroughs/${START_FOLDER}/${INDEX_FILE}`));
  }

  for (const chapter of [...chapters].sort(compareChapterIds)) {
    const folder = byName.get(chapter) ?? { name: chapter, files: [] };
    const meta = walkthroughMeta(folder, problems);
    const chapterExercises = exercises.filter((e) => e.chapter === chapter).sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
    const known = new Map(chapterExercises.map((e) => [e.id, e]));
    const placed = new Set<string>();
    const steps: GeneratedStep[] = [];
    const files = folder.files.filter((f) => STEP_FILE.test(f.name)).sort((a, b) => a.name.localeCompare(b.name));
    const orders = new Map<string, string>();
    for (const f of files) {
      const parsed = parseStep(chapter, f, problems);
      if (!parsed) continue;
      const twin = orders.get(parsed.order);
      if (twin) problems.push({ file: parsed.file, message: `two steps are numbered ${parsed.order} (${twin}); number them in the order they are shown` });
      orders.set(parsed.order, f.name);
      if (parsed.exercise) {
        const exercise = known.get(parsed.exercise);
        if (!exercise) {
          problems.push({ file: parsed.file, message: `"exercise: ${parsed.exercise}" is not an exercise of chapter ${chapter}` });
          continue;
        }
        if (placed.has(exercise.id)) {
          problems.push({ file: parsed.file, message: `exercise ${exercise.id} already has a step` });
          continue;
        }
        placed.add(exercise.id);
        steps.push(exerciseStep(exercise, parsed, problems));
      } else {
        const step = conceptStep(parsed, problems);
        if (step) steps.push(fillCourseMap(step, map, chapter));
      }
    }
    for (const exercise of chapterExercises) if (!placed.has(exercise.id)) steps.push(exerciseStep(exercise, undefined, problems));
    const seen = new Set<string>();
    for (const step of steps) {
      if (seen.has(step.id)) problems.push({ file: `walkthroughs/${chapter}`, message: `two steps have the id "${step.id}"` });
      seen.add(step.id);
    }
    if (!steps.length) continue;
    const info = chapterById(chapter);
    const count = chapterExercises.length;
    const defaultDescription = `${info ? info.title : chapter}: ${count} exercise${count === 1 ? '' : 's'}, each verified by real checks.`;
    walkthroughs.push(
      withMeta(
        {
          id: walkthroughId(chapter),
          title: meta.get('title') ?? `Flask Tutor ${chapterLabel(chapter)}: ${info?.title ?? chapter}`,
          description: toVsCodeInline(meta.get('description') ?? defaultDescription),
          steps,
        },
        meta,
        problems,
        `walkthroughs/${chapter}/${INDEX_FILE}`,
      ),
    );
  }
  return { walkthroughs, problems };
}

function withMeta(w: GeneratedWalkthrough, meta: Map<string, string>, problems?: GenProblem[], file?: string): GeneratedWalkthrough {
  if (meta.has('featuredFor') && problems && file) {
    // VS Code registers a walkthrough with featuredFor only after searching the workspace for its
    // globs: featured ones land on the Welcome page in the order their searches end (seen: F4,
    // F5, F3, F2, "Start here" eighth), and one whose globs match nothing comes last. Without
    // it, the order is VS Code's ranking of new walkthroughs (by when each registered), which
    // varies from run to run; the Course view is the course's own ordered entry.
    problems.push({ file, message: 'featuredFor scrambles the Welcome page order (VS Code lists featured walkthroughs as its workspace searches end): leave it out' });
  }
  const when = meta.get('when');
  const featuredFor = splitList(meta.get('featuredFor'));
  // Key order is the order package.json shows.
  return {
    id: w.id,
    title: w.title,
    description: w.description,
    ...(when ? { when } : {}),
    ...(featuredFor.length ? { featuredFor } : {}),
    steps: w.steps,
  };
}

/** Every media path the walkthroughs reference (relative to the extension root). */
export function mediaPaths(walkthroughs: readonly GeneratedWalkthrough[]): { walkthrough: string; step: string; path: string }[] {
  return walkthroughs.flatMap((w) =>
    w.steps.map((s) => ({
      walkthrough: w.id,
      step: s.id,
      path: 'svg' in s.media ? s.media.svg : 'image' in s.media ? s.media.image : s.media.markdown,
    })),
  );
}
