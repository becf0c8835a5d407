/**
 * The course's exercises as shipped inside the extension (`exercises/<chapter>/<slug>/`).
 * Node only, no `vscode`: used by the extension, the content checker and the benchmark.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compareChapterIds } from '../core/chapters';
import { parseChecks, ParsedCheck } from '../core/checkParser';
import { ExerciseManifest, readManifest } from '../core/manifest';

export interface Exercise extends ExerciseManifest {
  /** `exercises/<chapter>/<slug>` inside the extension. */
  dir: string;
  checksDir: string;
  starterDir: string;
  solutionDir: string;
  briefPath: string;
}

export interface CheckFile {
  file: string;
  /** `test_x.py` */
  name: string;
  checks: ParsedCheck[];
}

export interface Catalog {
  exercises: Exercise[];
  byId: Map<string, Exercise>;
  problems: string[];
}

export function loadCatalog(exercisesDir: string): Catalog {
  const exercises: Exercise[] = [];
  const problems: string[] = [];
  const dirs = (p: string) =>
    fs.existsSync(p) ? fs.readdirSync(p, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];
  for (const chapter of dirs(exercisesDir)) {
    for (const slug of dirs(path.join(exercisesDir, chapter))) {
      const dir = path.join(exercisesDir, chapter, slug);
      const manifestPath = path.join(dir, 'exercise.json');
      if (!fs.existsSync(manifestPath)) continue;
      const { manifest, problems: p } = readManifest(fs.readFileSync(manifestPath, 'utf8'));
      if (!manifest) {
        problems.push(...p.map((x) => `${path.relative(exercisesDir, manifestPath)}: ${x}`));
        continue;
      }
      exercises.push({
        ...manifest,
        dir,
        checksDir: path.join(dir, 'checks'),
        starterDir: path.join(dir, 'starter'),
        solutionDir: path.join(dir, 'solution'),
        briefPath: path.join(dir, 'README.md'),
      });
    }
  }
  // Course order (F1…F5, P0, then C01…), as the syllabus lists the chapters: pickers, the Test
  // Explorer and "next exercise" follow it.
  exercises.sort((a, b) => compareChapterIds(a.chapter, b.chapter) || a.order - b.order);
  return { exercises, byId: new Map(exercises.map((e) => [e.id, e])), problems };
}

/** The check files of an exercise and the checks in each, parsed without Python. */
export function readCheckFiles(exercise: Pick<Exercise, 'checksDir'>): CheckFile[] {
  if (!fs.existsSync(exercise.checksDir)) return [];
  return fs
    .readdirSync(exercise.checksDir)
    .filter((f) => /^test_.*\.py$|_test\.py$/.test(f))
    .sort()
    .map((name) => {
      const file = path.join(exercise.checksDir, name);
      return { file, name, checks: parseChecks(fs.readFileSync(file, 'utf8')) };
    });
}
