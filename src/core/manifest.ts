/**
 * Exercise manifests (`exercises/<chapter>/<slug>/exercise.json`) and the marker a started
 * exercise leaves in the learner's folder (`.flasktutor.json`). The JSON schema in
 * exercises/exercise.schema.json is the full rule set (checked by `npm run check:content`);
 * here we only read what the extension needs, defensively.
 */
export const MARKER_FILE = '.flasktutor.json';

export interface ExerciseManifest {
  id: string;
  title: string;
  chapter: string;
  order: number;
  summary: string;
  minutes: number;
  app?: string;
  open: string[];
  requirements: string[];
  hints: string[];
  /** The reference solution reads DATABASE_URL and its checks also pass on PostgreSQL (check:content runs them there too). */
  postgres?: boolean;
}

export interface Marker {
  version: 1;
  exercise: string;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** Reads a manifest; returns the problems instead of throwing so one bad file cannot hide the rest. */
export function readManifest(text: string): { manifest?: ExerciseManifest; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { problems: [`not valid JSON: ${(e as Error).message}`] };
  }
  if (typeof raw !== 'object' || raw === null) return { problems: ['not a JSON object'] };
  const m = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of ['id', 'title', 'chapter', 'summary'] as const) {
    if (typeof m[key] !== 'string' || !(m[key] as string).trim()) problems.push(`"${key}" must be a non-empty string`);
  }
  for (const key of ['order', 'minutes'] as const) {
    if (typeof m[key] !== 'number' || !Number.isFinite(m[key])) problems.push(`"${key}" must be a number`);
  }
  for (const key of ['open', 'requirements', 'hints'] as const) {
    if (!isStringArray(m[key])) problems.push(`"${key}" must be a list of strings`);
  }
  if (m.app !== undefined && (typeof m.app !== 'string' || !/^[\w.]+(:\w+)?$/.test(m.app))) problems.push('"app" must look like module:attr');
  if (problems.length) return { problems };
  return { manifest: m as unknown as ExerciseManifest, problems };
}

export function readMarker(text: string): Marker | undefined {
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    if (raw && raw.version === 1 && typeof raw.exercise === 'string' && raw.exercise) return { version: 1, exercise: raw.exercise };
  } catch {
    /* not a marker */
  }
  return undefined;
}

export function markerText(exerciseId: string): string {
  return `${JSON.stringify({ version: 1, exercise: exerciseId }, null, 2)}\n`;
}
