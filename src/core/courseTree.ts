/**
 * The Course view's tree (activity bar → Flask Tutor → Course): Part → chapter → exercise,
 * with each exercise's status, verifies and hints used, and the chapters still to come shown as
 * upcoming (never a dead end). Pure data, no wording: the VS Code adapter
 * (src/course/courseView.ts) words it through vscode.l10n.
 */
import { CHAPTERS, chapterLabel, PARTS } from './chapters';
import { exerciseStatus, type CheckCounts, type ExerciseStatus, type ProgressState } from './progress';

export interface TreeExercise {
  id: string;
  title: string;
  chapter: string;
  minutes?: number;
  hints: readonly unknown[];
}

export interface ExerciseNode {
  kind: 'exercise';
  id: string;
  title: string;
  minutes?: number;
  status: ExerciseStatus;
  attempts: number;
  hintsUsed: number;
  hints: number;
  lastChecks?: CheckCounts;
}

export interface ChapterNode {
  kind: 'chapter';
  id: string;
  /** "F3", "C01" */
  label: string;
  title: string;
  /** No exercise of it has shipped yet. */
  upcoming: boolean;
  /** Where the learner is: the chapter of the exercise they touched last, unless it is all
   *  passed; else the first chapter not all passed. The view opens this one. */
  current: boolean;
  passed: number;
  children: ExerciseNode[];
}

export interface PartNode {
  kind: 'part';
  id: string;
  part: number;
  title: string;
  passed: number;
  total: number;
  children: ChapterNode[];
}

export type CourseNode = PartNode | ChapterNode | ExerciseNode;

/** The whole tree. `exercises` in course order (the catalog's). */
export function courseTree(exercises: readonly TreeExercise[], state: ProgressState): PartNode[] {
  const current = currentChapter(exercises, state);
  return PARTS.map((part) => {
    const children: ChapterNode[] = CHAPTERS.filter((c) => c.part === part.id).map((c) => {
      const list: ExerciseNode[] = exercises
        .filter((e) => e.chapter === c.id)
        .map((e) => {
          const r = state.exercises[e.id];
          return {
            kind: 'exercise',
            id: e.id,
            title: e.title,
            minutes: e.minutes,
            status: exerciseStatus(state, e.id),
            attempts: r?.attempts ?? 0,
            hintsUsed: r?.hintsUsed ?? 0,
            hints: e.hints.length,
            lastChecks: r?.lastChecks,
          };
        });
      return { kind: 'chapter', id: c.id, label: chapterLabel(c.id), title: c.title, upcoming: list.length === 0, current: c.id === current, passed: list.filter((e) => e.status === 'passed').length, children: list };
    });
    const all = children.flatMap((c) => c.children);
    return { kind: 'part', id: `part-${part.id}`, part: part.id, title: part.title, passed: all.filter((e) => e.status === 'passed').length, total: all.length, children };
  });
}

function currentChapter(exercises: readonly TreeExercise[], state: ProgressState): string | undefined {
  const done = (chapter: string) => exercises.filter((e) => e.chapter === chapter).every((e) => exerciseStatus(state, e.id) === 'passed');
  let latest: { chapter: string; at: string } | undefined;
  for (const e of exercises) {
    const r = state.exercises[e.id];
    const at = r ? (r.lastVerifyAt ?? r.startedAt) : undefined;
    if (at && (!latest || at > latest.at)) latest = { chapter: e.chapter, at };
  }
  if (latest && !done(latest.chapter)) return latest.chapter;
  return CHAPTERS.find((c) => exercises.some((e) => e.chapter === c.id) && !done(c.id))?.id;
}
