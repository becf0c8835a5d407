/**
 * The course's chapters, as /work/shared/curriculum/SYLLABUS.md lists them. Chapter ids are
 * stable: they appear in exercise ids, walkthrough ids, context keys and progress records.
 * Pure: no `vscode`.
 */
export interface Part {
  id: number;
  title: string;
}

export interface Chapter {
  /** `f1`..`f5`, `p0`, the capstones `tm` `bp` `ec`, `c01`..`c23`, and `p1` (Part 1's project, after `c05`). */
  id: string;
  title: string;
  part: number;
  /** Position in the course (0-based), for sorting. */
  index: number;
}

export const PARTS: readonly Part[] = [
  { id: 0, title: 'Flask foundations' },
  { id: 1, title: 'Flask API fundamentals' },
  { id: 2, title: 'Advanced backend features' },
  { id: 3, title: 'Microservices and integration' },
  { id: 4, title: 'Data and analytics' },
  { id: 5, title: 'Production and operations' },
];

const TABLE: [id: string, part: number, title: string][] = [
  ['f1', 0, 'Flask fundamentals'],
  ['f2', 0, 'Working with data'],
  ['f3', 0, 'Database integration'],
  ['f4', 0, 'Authentication and security'],
  ['f5', 0, 'API development'],
  ['p0', 0, 'Part 0 project'],
  // Part 0's capstone projects (000's Part 6), after the Social Media API.
  ['tm', 0, 'Capstone: Task Manager'],
  ['bp', 0, 'Capstone: Blog Platform'],
  ['ec', 0, 'Capstone: E-commerce'],
  ['c01', 1, 'API development environment'],
  ['c02', 1, 'RESTful design with Swagger'],
  ['c03', 1, 'Database design for APIs'],
  ['c04', 1, 'API authentication and security'],
  ['c05', 1, 'Validation and serialization'],
  ['p1', 1, 'Part 1 project'],
  ['c06', 2, 'Asynchronous processing'],
  ['c07', 2, 'Caching'],
  ['c08', 2, 'Message queues and events'],
  ['c09', 2, 'File processing and storage'],
  ['c10', 2, 'Search and indexing'],
  // Part 2's project (001's second demo project).
  ['p2', 2, 'Part 2 project'],
  ['c11', 3, 'Microservices'],
  ['c12', 3, 'Third-party integrations'],
  ['c13', 3, 'GraphQL'],
  ['c14', 3, 'WebSockets and real-time'],
  ['c15', 3, 'API testing strategies'],
  ['c16', 4, 'Data pipelines'],
  ['c17', 4, 'Analytics and metrics'],
  ['c18', 4, 'ML integration'],
  ['c19', 5, 'API performance'],
  ['c20', 5, 'Monitoring and logging'],
  ['c21', 5, 'API security'],
  ['c22', 5, 'Deployment'],
  ['c23', 5, 'API documentation and SDKs'],
];

export const CHAPTERS: readonly Chapter[] = TABLE.map(([id, part, title], index) => ({ id, part, title, index }));

const BY_ID = new Map(CHAPTERS.map((c) => [c.id, c]));

export function chapterById(id: string): Chapter | undefined {
  return BY_ID.get(id);
}

export function isChapterId(id: string): boolean {
  return BY_ID.has(id);
}

/** `F1`, `P0`, `C07`: how chapters are named in short labels. */
export function chapterLabel(id: string): string {
  return id.toUpperCase();
}

/** `F1 · Flask fundamentals` (or the bare label for an unknown id). */
export function chapterDisplayName(id: string): string {
  const chapter = chapterById(id);
  return chapter ? `${chapterLabel(id)} · ${chapter.title}` : chapterLabel(id);
}

/** Course order; unknown ids after known ones, by name. */
export function compareChapterIds(a: string, b: string): number {
  const ia = BY_ID.get(a)?.index ?? Number.MAX_SAFE_INTEGER;
  const ib = BY_ID.get(b)?.index ?? Number.MAX_SAFE_INTEGER;
  return ia - ib || a.localeCompare(b, 'en', { numeric: true });
}

/** Exercise ids are `<chapter>-<slug>`, slugs lower-case kebab-case. */
export const EXERCISE_ID = /^([a-z][a-z0-9]*)-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

export function chapterOfExerciseId(id: string): string | undefined {
  const m = EXERCISE_ID.exec(id);
  if (!m) return undefined;
  // The chapter is the longest known chapter prefix (ids like `c01-...`).
  return isChapterId(m[1]) ? m[1] : undefined;
}
