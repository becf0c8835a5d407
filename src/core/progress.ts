/**
 * The learner's progress: per exercise not started / started / passed, attempts, hints used,
 * first pass time. Pure: a reducer over plain JSON, serialization with a schema version, and
 * validation of imported files. The adapter (src/course/progressStore.ts) keeps the state in
 * the extension's global state, synced with Settings Sync.
 *
 * Records are keyed by exercise id (ids are stable), never by position or content hash, so a
 * content update never loses progress; records of ids the catalog no longer has are kept.
 */
import { EXERCISE_ID } from './chapters';

/** Version of the stored and exported shape; bump on an incompatible change and migrate. */
export const PROGRESS_SCHEMA = 1;
/** The `globalState` key (also registered with `setKeysForSync`). */
export const PROGRESS_STATE_KEY = 'flaskTutor.progress';
/** `format` of an exported file. */
export const EXPORT_FORMAT = 'flask-tutor-progress';

export type ExerciseStatus = 'not-started' | 'started' | 'passed';

export interface CheckCounts {
  passed: number;
  total: number;
}

export interface ExerciseProgress {
  status: 'started' | 'passed';
  /** ISO time. */
  startedAt: string;
  /** Verifies that ran (whole exercise or a selection of checks). */
  attempts: number;
  /** Verifies in which at least one check did not pass. */
  failedAttempts: number;
  /** Hints revealed (the ladder in hints.ts). */
  hintsUsed: number;
  /** Verifies that did not pass since the last hint was revealed. */
  failsSinceHint: number;
  firstPassAt?: string;
  lastVerifyAt?: string;
  /** Checks of the last verify. */
  lastChecks?: CheckCounts;
  /** The last verify found an app that does not load (a syntax error...): not an attempt at the task. */
  lastAppError?: boolean;
  /** Content hash of the learner's files at the last verify: an unchanged re-verify is no new attempt. */
  lastFingerprint?: string;
  solutionViewedAt?: string;
}

export interface ProgressState {
  schema: number;
  /**
   * Incremented whenever records are removed or replaced (reset, import that replaces). Each
   * machine remembers the epoch it last applied to VS Code's own walkthrough ticks; a new
   * epoch tells it to clear the ticks of exercises that are no longer passed.
   */
  epoch: number;
  exercises: Record<string, ExerciseProgress>;
}

export type ProgressEvent =
  | { type: 'started'; id: string; at: string }
  | {
      type: 'verified';
      id: string;
      at: string;
      /** Every check of the exercise ran and passed. */
      passed: boolean;
      /** At least one check that ran did not pass. */
      failed: boolean;
      checks: CheckCounts;
      /** The app did not load, so no check could judge the learner's work. */
      appError?: boolean;
      /** Content hash of the learner's files (see `fingerprint` in course/files.ts). */
      fingerprint?: string;
    }
  /** The learner revealed the next hint; ignored unless the ladder allows it (see hints.ts). */
  | { type: 'hintRevealed'; id: string; at: string; allowed: boolean }
  | { type: 'solutionViewed'; id: string; at: string }
  /** Reset or Restore replaced the learner's files: the last verify no longer describes them. */
  | { type: 'filesReplaced'; id: string }
  /** Forget the records of `ids` (all records when absent). */
  | { type: 'reset'; ids?: readonly string[] }
  | { type: 'import'; incoming: ProgressState; mode: 'merge' | 'replace' };

export function emptyProgress(): ProgressState {
  return { schema: PROGRESS_SCHEMA, epoch: 0, exercises: {} };
}

function newRecord(at: string): ExerciseProgress {
  return { status: 'started', startedAt: at, attempts: 0, failedAttempts: 0, hintsUsed: 0, failsSinceHint: 0 };
}

function withRecord(state: ProgressState, id: string, record: ExerciseProgress): ProgressState {
  return { ...state, exercises: { ...state.exercises, [id]: record } };
}

/** Applies one event. Returns the same object when nothing changes. */
export function reduceProgress(state: ProgressState, event: ProgressEvent): ProgressState {
  switch (event.type) {
    case 'started': {
      if (state.exercises[event.id]) return state;
      return withRecord(state, event.id, newRecord(event.at));
    }
    case 'verified': {
      const old = state.exercises[event.id] ?? newRecord(event.at);
      // An attempt is new code judged: re-verifying unchanged files is not one (hints must not
      // unlock by clicking Verify again), and an app that does not load is not a failed attempt
      // at the task (the learner needs the error, not a hint).
      const unchanged = event.fingerprint !== undefined && event.fingerprint === old.lastFingerprint;
      const notPassing = !event.passed && event.failed && !event.appError && !unchanged;
      const record: ExerciseProgress = {
        ...old,
        attempts: old.attempts + (unchanged ? 0 : 1),
        failedAttempts: old.failedAttempts + (notPassing ? 1 : 0),
        failsSinceHint: old.failsSinceHint + (notPassing ? 1 : 0),
        lastVerifyAt: event.at,
        lastChecks: { passed: event.checks.passed, total: event.checks.total },
        lastAppError: event.appError ? true : undefined,
        lastFingerprint: event.fingerprint ?? old.lastFingerprint,
      };
      if (!record.lastAppError) delete record.lastAppError;
      if (record.lastFingerprint === undefined) delete record.lastFingerprint;
      if (event.passed) {
        record.status = 'passed';
        record.firstPassAt ??= event.at;
      }
      return withRecord(state, event.id, record);
    }
    case 'hintRevealed': {
      if (!event.allowed) return state;
      const old = state.exercises[event.id] ?? newRecord(event.at);
      return withRecord(state, event.id, { ...old, hintsUsed: old.hintsUsed + 1, failsSinceHint: 0 });
    }
    case 'solutionViewed': {
      const old = state.exercises[event.id] ?? newRecord(event.at);
      if (old.solutionViewedAt) return state;
      return withRecord(state, event.id, { ...old, solutionViewedAt: event.at });
    }
    case 'filesReplaced': {
      const old = state.exercises[event.id];
      if (!old || (old.lastChecks === undefined && old.lastAppError === undefined && old.lastFingerprint === undefined)) return state;
      const record = { ...old };
      delete record.lastChecks;
      delete record.lastAppError;
      delete record.lastFingerprint;
      return withRecord(state, event.id, record);
    }
    case 'reset': {
      const ids = event.ids ?? Object.keys(state.exercises);
      const removed = ids.filter((id) => state.exercises[id]);
      if (!removed.length) return state;
      const exercises = { ...state.exercises };
      removed.forEach((id) => delete exercises[id]);
      return { ...state, epoch: state.epoch + 1, exercises };
    }
    case 'import': {
      if (event.mode === 'replace') return { ...state, epoch: state.epoch + 1, exercises: { ...event.incoming.exercises } };
      const exercises = { ...state.exercises };
      for (const [id, record] of Object.entries(event.incoming.exercises)) {
        exercises[id] = exercises[id] ? mergeRecords(exercises[id], record) : record;
      }
      return { ...state, exercises };
    }
  }
}

const earliest = (a?: string, b?: string) => (a && b ? (a < b ? a : b) : (a ?? b));
const latest = (a?: string, b?: string) => (a && b ? (a > b ? a : b) : (a ?? b));

/** Two records of the same exercise (this machine and an imported file): keep the most progress. */
export function mergeRecords(a: ExerciseProgress, b: ExerciseProgress): ExerciseProgress {
  const newer = (b.lastVerifyAt ?? '') > (a.lastVerifyAt ?? '') ? b : a;
  const merged: ExerciseProgress = {
    status: a.status === 'passed' || b.status === 'passed' ? 'passed' : 'started',
    startedAt: earliest(a.startedAt, b.startedAt) ?? a.startedAt,
    attempts: Math.max(a.attempts, b.attempts),
    failedAttempts: Math.max(a.failedAttempts, b.failedAttempts),
    hintsUsed: Math.max(a.hintsUsed, b.hintsUsed),
    failsSinceHint: newer.failsSinceHint,
  };
  const firstPassAt = earliest(a.firstPassAt, b.firstPassAt);
  const lastVerifyAt = latest(a.lastVerifyAt, b.lastVerifyAt);
  const solutionViewedAt = earliest(a.solutionViewedAt, b.solutionViewedAt);
  if (firstPassAt) merged.firstPassAt = firstPassAt;
  if (lastVerifyAt) merged.lastVerifyAt = lastVerifyAt;
  if (newer.lastChecks) merged.lastChecks = newer.lastChecks;
  if (solutionViewedAt) merged.solutionViewedAt = solutionViewedAt;
  return merged;
}

export function exerciseStatus(state: ProgressState, id: string): ExerciseStatus {
  return state.exercises[id]?.status ?? 'not-started';
}

export interface ProgressCounts {
  total: number;
  started: number;
  passed: number;
}

/** Counts per chapter (and `''` for the whole course) over the given exercises. */
export function summarize(state: ProgressState, exercises: readonly { id: string; chapter: string }[]): Map<string, ProgressCounts> {
  const counts = new Map<string, ProgressCounts>();
  const bump = (key: string, status: ExerciseStatus) => {
    const c = counts.get(key) ?? { total: 0, started: 0, passed: 0 };
    c.total += 1;
    if (status === 'passed') c.passed += 1;
    if (status === 'started') c.started += 1;
    counts.set(key, c);
  };
  for (const e of exercises) {
    const status = exerciseStatus(state, e.id);
    bump(e.chapter, status);
    bump('', status);
  }
  return counts;
}

// ---- reading, validating, exporting ----------------------------------------------------------

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e9;
}

function isTime(v: unknown): v is string {
  return typeof v === 'string' && ISO_TIME.test(v) && !Number.isNaN(Date.parse(v));
}

/** Checks one record; returns it cleaned (known fields only) or the problems. */
export function readRecord(raw: unknown): { record?: ExerciseProgress; problems: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problems: ['not an object'] };
  const r = raw as Record<string, unknown>;
  const problems: string[] = [];
  if (r.status !== 'started' && r.status !== 'passed') problems.push('"status" must be "started" or "passed"');
  if (!isTime(r.startedAt)) problems.push('"startedAt" must be an ISO time');
  for (const key of ['attempts', 'failedAttempts', 'hintsUsed', 'failsSinceHint'] as const) {
    if (!isCount(r[key])) problems.push(`"${key}" must be a whole number ≥ 0`);
  }
  for (const key of ['firstPassAt', 'lastVerifyAt', 'solutionViewedAt'] as const) {
    if (r[key] !== undefined && !isTime(r[key])) problems.push(`"${key}" must be an ISO time`);
  }
  if (r.status === 'passed' && r.firstPassAt === undefined) problems.push('a passed exercise needs "firstPassAt"');
  const checks = r.lastChecks as Record<string, unknown> | undefined;
  if (checks !== undefined && (typeof checks !== 'object' || checks === null || !isCount(checks.passed) || !isCount(checks.total) || checks.passed > checks.total)) {
    problems.push('"lastChecks" must be {"passed": n, "total": m} with n ≤ m');
  }
  if (problems.length) return { problems };
  const record: ExerciseProgress = {
    status: r.status as ExerciseProgress['status'],
    startedAt: r.startedAt as string,
    attempts: r.attempts as number,
    failedAttempts: r.failedAttempts as number,
    hintsUsed: r.hintsUsed as number,
    failsSinceHint: r.failsSinceHint as number,
  };
  if (r.firstPassAt !== undefined) record.firstPassAt = r.firstPassAt as string;
  if (r.lastVerifyAt !== undefined) record.lastVerifyAt = r.lastVerifyAt as string;
  if (checks) record.lastChecks = { passed: checks.passed as number, total: checks.total as number };
  if (r.solutionViewedAt !== undefined) record.solutionViewedAt = r.solutionViewedAt as string;
  if (r.lastAppError === true) record.lastAppError = true;
  if (typeof r.lastFingerprint === 'string' && /^[0-9a-f]{16,128}$/.test(r.lastFingerprint)) record.lastFingerprint = r.lastFingerprint;
  return { record, problems };
}

export interface StoredRead {
  state: ProgressState;
  /**
   * The stored state was written by a newer version of the extension (a higher schema, for
   * example synced from another machine). Read what we understand, but never write over it.
   */
  newer: boolean;
  /** Records dropped because they were damaged (logged, never shown as an error). */
  problems: string[];
}

/** Reads what `globalState` holds, forgivingly: a damaged record is dropped, not the rest. */
export function readStoredProgress(raw: unknown): StoredRead {
  if (raw === undefined || raw === null) return { state: emptyProgress(), newer: false, problems: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { state: emptyProgress(), newer: false, problems: ['stored progress is not an object; starting afresh'] };
  const r = raw as Record<string, unknown>;
  const schema = typeof r.schema === 'number' ? r.schema : 0;
  const newer = schema > PROGRESS_SCHEMA;
  const problems: string[] = [];
  const exercises: Record<string, ExerciseProgress> = {};
  const source = typeof r.exercises === 'object' && r.exercises !== null && !Array.isArray(r.exercises) ? (r.exercises as Record<string, unknown>) : {};
  for (const [id, value] of Object.entries(source)) {
    const { record, problems: p } = readRecord(value);
    if (record) exercises[id] = record;
    else problems.push(`${id}: ${p.join('; ')}`);
  }
  return { state: { schema: PROGRESS_SCHEMA, epoch: isCount(r.epoch) ? r.epoch : 0, exercises }, newer, problems };
}

export interface ProgressExport {
  format: typeof EXPORT_FORMAT;
  schema: number;
  exportedAt: string;
  exercises: Record<string, ExerciseProgress>;
}

export function exportProgress(state: ProgressState, now: string): string {
  const sorted: Record<string, ExerciseProgress> = {};
  for (const id of Object.keys(state.exercises).sort()) sorted[id] = state.exercises[id];
  const file: ProgressExport = { format: EXPORT_FORMAT, schema: PROGRESS_SCHEMA, exportedAt: now, exercises: sorted };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Validates an imported file strictly: any problem rejects the whole file (a learner should
 * not half-import). Accepts an export (`format: "flask-tutor-progress"`).
 */
export function validateImport(text: string): { state?: ProgressState; errors: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { errors: [`The file is not valid JSON (${(e as Error).message}).`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { errors: ['The file does not hold a JSON object.'] };
  const r = raw as Record<string, unknown>;
  if (r.format !== EXPORT_FORMAT) return { errors: [`This is not a Flask Backend Tutor progress file ("format" is not "${EXPORT_FORMAT}").`] };
  if (typeof r.schema !== 'number' || !Number.isInteger(r.schema) || r.schema < 1) return { errors: ['"schema" must be a whole number ≥ 1.'] };
  if (r.schema > PROGRESS_SCHEMA) {
    return { errors: [`The file was written by a newer Flask Backend Tutor (progress schema ${r.schema}; this version reads ${PROGRESS_SCHEMA}). Update the extension, then import again.`] };
  }
  if (typeof r.exercises !== 'object' || r.exercises === null || Array.isArray(r.exercises)) return { errors: ['"exercises" must be an object keyed by exercise id.'] };
  const errors: string[] = [];
  const exercises: Record<string, ExerciseProgress> = {};
  for (const [id, value] of Object.entries(r.exercises as Record<string, unknown>)) {
    if (!EXERCISE_ID.test(id)) {
      errors.push(`"${id}" is not an exercise id.`);
      continue;
    }
    const { record, problems } = readRecord(value);
    if (record) exercises[id] = record;
    else errors.push(`${id}: ${problems.join('; ')}.`);
  }
  if (errors.length) return { errors };
  return { state: { schema: PROGRESS_SCHEMA, epoch: 0, exercises }, errors };
}

// ---- context keys ----------------------------------------------------------------------------

export const PASSED_KEY_PREFIX = 'flaskTutor.passed.';

/**
 * The context key that is true when an exercise has passed: `flaskTutor.passed.<id>`.
 *
 * VS Code's when-clause scanner (src/vs/platform/contextkey/common/scanner.ts) reads a key as
 * one token while it sees letters, digits or any of `_ - . / \ : * ? % + [ ] ^ , # @ ; "`, so
 * exercise ids (`[a-z0-9-]`) are used as they are. Any other character (never in a valid id)
 * is written as `_<hex>_`, and `_` itself is escaped, so the mapping stays one-to-one.
 */
export function passedContextKey(exerciseId: string): string {
  const safe = Array.from(exerciseId)
    .map((ch) => (/[a-z0-9.-]/.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16)}_`))
    .join('');
  return PASSED_KEY_PREFIX + safe;
}
