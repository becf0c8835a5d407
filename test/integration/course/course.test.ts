/**
 * The course engine inside the real VS Code: start an exercise (files appear, nothing is
 * overwritten), the hint ladder, verify (progress → passed, context key set), compare with the
 * solution (a diff editor, no file changed), reset (backup kept) and restore, progress reset,
 * export and import. Real pytest with the real plugin (/usr/bin/python3, set in the fixture's
 * settings), on the fixture exercises of test/fixtures/course/exercises.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { COURSE_COMMANDS as COMMANDS } from '../../../src/core/courseCommands';
import type { HintAvailability } from '../../../src/core/hints';
import { passedContextKey } from '../../../src/core/progress';
import type { CourseApi } from '../../../src/course';
import type { Prompts } from '../../../src/course/ui';
import { loadCatalog } from '../../../src/engine/catalog';
import { activate, workspaceFolder } from '../helpers';
import { repoRoot } from '../scenarios';

const FIXTURE_EXERCISES = path.join(repoRoot, 'test', 'fixtures', 'course', 'exercises');
const HELLO = path.join(FIXTURE_EXERCISES, 'f1', 'hello');
const ID = 'f1-hello';

/** What the engine asked, and how the test answers: confirmations pick `confirmWith` (default: the first action). */
interface Script {
  asked: string[];
  confirmWith?: string;
  pickIndex: number;
  openDialog?: vscode.Uri[];
  saveDialog?: vscode.Uri;
}

function scriptedPrompts(script: Script): Prompts {
  return {
    confirm: async (message, _detail, ...actions) => {
      script.asked.push(`confirm: ${message}`);
      return script.confirmWith ?? actions[0];
    },
    info: async (message) => {
      script.asked.push(`info: ${message}`);
      return undefined;
    },
    warn: async (message) => {
      script.asked.push(`warn: ${message}`);
      return undefined;
    },
    pick: async (items) => items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator)[script.pickIndex],
    openDialog: async () => script.openDialog,
    saveDialog: async () => script.saveDialog,
    workspaceFolder: async () => vscode.workspace.workspaceFolders?.[0],
  };
}

function read(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out[r] = fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

describe('course engine', function () {
  this.timeout(120_000);
  let course: CourseApi;
  const script: Script = { asked: [], pickIndex: 0 };
  const exerciseDir = () => path.join(workspaceFolder().uri.fsPath, 'flask-tutor', ID);
  const record = () => course.progress.record(ID);

  before(async () => {
    const api = await activate();
    const maybe = (api as unknown as { course?: CourseApi }).course;
    assert.ok(maybe, 'activate() does not return `course`: src/extension.ts must call registerCourse and return its API');
    course = maybe;
    // The fixture exercises join the catalog the verify engine and the course engine share.
    for (const exercise of loadCatalog(FIXTURE_EXERCISES).exercises) {
      if (course.catalog.byId.has(exercise.id)) continue;
      course.catalog.exercises.push(exercise);
      course.catalog.byId.set(exercise.id, exercise);
    }
    course.prompts = scriptedPrompts(script);
    await vscode.commands.executeCommand(COMMANDS.resetProgress, 'all');
  });

  beforeEach(() => {
    script.asked.length = 0;
    script.confirmWith = undefined;
    script.pickIndex = 0;
  });

  it('start copies the starter, writes the marker, opens the main file and the brief, and keeps an existing file', async () => {
    // The learner already has an app.py there: it must survive.
    fs.mkdirSync(exerciseDir(), { recursive: true });
    const mine = `# mine\n${fs.readFileSync(path.join(HELLO, 'starter', 'app.py'), 'utf8')}`;
    fs.writeFileSync(path.join(exerciseDir(), 'app.py'), mine);

    const folder = await vscode.commands.executeCommand<vscode.Uri>(COMMANDS.startExercise, ID);
    assert.strictEqual(folder?.fsPath, exerciseDir());
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(exerciseDir(), '.flasktutor.json'), 'utf8')), { version: 1, exercise: ID });
    assert.strictEqual(fs.readFileSync(path.join(exerciseDir(), 'app.py'), 'utf8'), mine, 'an existing file was overwritten');
    assert.ok(script.asked.some((m) => m.includes('kept as they are') && m.includes('app.py')), script.asked.join('\n'));
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(exerciseDir(), 'app.py'));
    assert.strictEqual(course.brief.current?.exercise.id, ID);
    assert.strictEqual(record()?.status, 'started');
    assert.match(course.statusBarText() ?? '', /Say hello · F1 0\/\d+/);
  });

  it('starting again reopens the same folder and creates nothing', async () => {
    const before = read(path.dirname(exerciseDir()));
    const folder = await vscode.commands.executeCommand<vscode.Uri>(COMMANDS.startExercise, ID);
    assert.strictEqual(folder?.fsPath, exerciseDir());
    assert.deepStrictEqual(read(path.dirname(exerciseDir())), before);
  });

  it('the first hint is locked before any verify', async () => {
    const a = await vscode.commands.executeCommand<HintAvailability>(COMMANDS.showHint, ID);
    assert.deepStrictEqual(a, { kind: 'locked', next: 1, total: 3, shown: 0 });
    assert.strictEqual(record()?.hintsUsed, 0);
  });

  it('verify on the starter: an attempt, not passed, no context key, hint 1 unlocked', async () => {
    assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.verifyExercise, ID), true);
    const r = record();
    assert.strictEqual(r?.status, 'started');
    assert.strictEqual(r?.attempts, 1);
    assert.deepStrictEqual(r?.lastChecks, { passed: 0, total: 1 });
    assert.notStrictEqual(course.contextKeys.get(passedContextKey(ID)), true);
    const a = await vscode.commands.executeCommand<HintAvailability>(COMMANDS.showHint, ID);
    assert.deepStrictEqual(a, { kind: 'available', next: 1, total: 3, shown: 0 });
    assert.strictEqual(record()?.hintsUsed, 1);
    const again = await vscode.commands.executeCommand<HintAvailability>(COMMANDS.showHint, ID);
    assert.strictEqual(again?.kind, 'locked', 'hint 2 needs another verify that does not pass');
  });

  it('verifying unchanged code again is no new attempt and unlocks no hint', async () => {
    assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.verifyExercise, ID), true);
    assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.verifyExercise, ID), true);
    assert.strictEqual(record()?.attempts, 1, 'the same files were verified: still one attempt');
    const a = await vscode.commands.executeCommand<HintAvailability>(COMMANDS.showHint, ID);
    assert.strictEqual(a?.kind, 'locked', 'hint 2 stays locked until the code changes');
  });

  it('verify with an unrelated file active says which exercise it verifies', async () => {
    const readme = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'flask-tutor-unrelated.txt');
    fs.writeFileSync(readme, 'not an exercise\n');
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(readme));
      script.asked.length = 0;
      assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.verifyExercise), true);
      assert.ok(script.asked.some((m) => m.includes('Verifying "Say hello", the exercise you worked on last')), script.asked.join('\n'));
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      fs.rmSync(readme, { force: true });
    }
  });

  it('an app that does not load is said plainly, offers no hint and unlocks none', async () => {
    const app = path.join(exerciseDir(), 'app.py');
    const starter = fs.readFileSync(app, 'utf8');
    fs.writeFileSync(app, `${starter}\ndef broken(:\n`);
    script.asked.length = 0;
    try {
      assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.verifyExercise, ID), true);
      const r = record();
      assert.strictEqual(r?.lastAppError, true);
      assert.strictEqual(r?.attempts, 2, 'a verify of changed code');
      assert.strictEqual(r?.failsSinceHint, 0, 'but not a failed attempt at the task');
      const said = script.asked.join('\n');
      assert.match(said, /your app does not load, so no check could run/);
      assert.doesNotMatch(said, /checks pass/);
      const a = await vscode.commands.executeCommand<HintAvailability>(COMMANDS.showHint, ID);
      assert.strictEqual(a?.kind, 'locked');
    } finally {
      fs.writeFileSync(app, starter);
    }
  });

  it('compare with solution opens a read-only diff and changes no file', async () => {
    const before = read(exerciseDir());
    script.confirmWith = 'Show solution';
    const left = await vscode.commands.executeCommand<vscode.Uri>(COMMANDS.compareWithSolution, ID);
    assert.strictEqual(left?.scheme, 'flask-tutor-solution');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, `the active tab is not a diff: ${tab?.label}`);
    // The learner's file on the left, the solution on the right (the added, green side).
    assert.strictEqual(tab.input.original.fsPath, path.join(exerciseDir(), 'app.py'));
    assert.strictEqual(tab.input.modified.scheme, 'flask-tutor-solution');
    assert.match(tab.label, /yours → reference solution/);
    const solution = await vscode.workspace.openTextDocument(tab.input.modified);
    assert.strictEqual(solution.getText(), fs.readFileSync(path.join(HELLO, 'solution', 'app.py'), 'utf8'));
    assert.deepStrictEqual(read(exerciseDir()), before, 'comparing changed the learner\'s files');
    assert.ok(record()?.solutionViewedAt);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('compare asks first and does nothing when cancelled', async () => {
    script.confirmWith = 'Cancel';
    const left = await vscode.commands.executeCommand(COMMANDS.compareWithSolution, ID);
    assert.strictEqual(left, undefined);
    assert.ok(script.asked.some((m) => m.includes('This shows the reference solution')));
  });

  it('verify after the fix: passed, first pass time, context key set, status bar counts it', async () => {
    fs.copyFileSync(path.join(HELLO, 'solution', 'app.py'), path.join(exerciseDir(), 'app.py'));
    assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.verifyExercise, ID), true);
    const r = record();
    assert.strictEqual(r?.status, 'passed');
    assert.ok(r?.firstPassAt);
    assert.strictEqual(r?.attempts, 3, 'the starter, the broken app, the fix (unchanged re-verifies do not count)');
    assert.strictEqual(r?.lastAppError, undefined);
    assert.strictEqual(course.contextKeys.get(passedContextKey(ID)), true);
    assert.match(course.statusBarText() ?? '', /F1 1\/\d+/);
    assert.ok(script.asked.some((m) => m.includes('"Say hello" passed')), script.asked.join('\n'));
  });

  it('reset backs the learner files up, restores the starter and keeps the progress', async () => {
    const solutionText = fs.readFileSync(path.join(HELLO, 'solution', 'app.py'), 'utf8');
    fs.writeFileSync(path.join(exerciseDir(), 'notes.txt'), 'my notes');
    // The learner has their file open: after the reset the editor must show the starter.
    const open = await vscode.window.showTextDocument(vscode.Uri.file(path.join(exerciseDir(), 'app.py')));
    const starterText = fs.readFileSync(path.join(HELLO, 'starter', 'app.py'), 'utf8');
    assert.notStrictEqual(open.document.getText(), starterText, 'the editor must show something else than the starter before the reset');
    const backup = await vscode.commands.executeCommand<{ dir: string; name: string }>(COMMANDS.resetExercise, ID);
    assert.ok(backup, 'no backup');
    assert.strictEqual(path.dirname(backup.dir), path.join(exerciseDir(), '.flasktutor-backups'));
    assert.strictEqual(fs.readFileSync(path.join(backup.dir, 'app.py'), 'utf8'), solutionText);
    assert.strictEqual(fs.readFileSync(path.join(backup.dir, 'notes.txt'), 'utf8'), 'my notes');
    assert.ok(!fs.existsSync(path.join(backup.dir, '.flasktutor.json')), 'a backup must not hold a marker');
    assert.strictEqual(fs.readFileSync(path.join(exerciseDir(), 'app.py'), 'utf8'), fs.readFileSync(path.join(HELLO, 'starter', 'app.py'), 'utf8'));
    assert.ok(!fs.existsSync(path.join(exerciseDir(), 'notes.txt')));
    assert.ok(fs.existsSync(path.join(exerciseDir(), '.flasktutor.json')));
    assert.strictEqual(record()?.status, 'passed');
    for (let i = 0; i < 50 && open.document.getText() !== starterText; i++) await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual(open.document.getText(), starterText, 'the open editor still shows the old code');
    assert.strictEqual(record()?.lastChecks, undefined, 'the brief must not keep describing the old code ("1 of 1 checks pass")');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('restore brings a backup back (after backing up the current files)', async () => {
    const solutionText = fs.readFileSync(path.join(HELLO, 'solution', 'app.py'), 'utf8');
    const restored = await vscode.commands.executeCommand<{ name: string }>(COMMANDS.restoreBackup, ID);
    assert.ok(restored);
    assert.strictEqual(fs.readFileSync(path.join(exerciseDir(), 'app.py'), 'utf8'), solutionText);
    assert.strictEqual(fs.readFileSync(path.join(exerciseDir(), 'notes.txt'), 'utf8'), 'my notes');
    assert.strictEqual(fs.readdirSync(path.join(exerciseDir(), '.flasktutor-backups')).length, 2);
  });

  it('the Course view: Parts, the exercise with its status, upcoming chapters; its menu commands take the tree node', async () => {
    await vscode.commands.executeCommand('flaskTutor.course.focus'); // the view is contributed and opens
    const parts = course.tree.getChildren();
    assert.deepStrictEqual(parts.map((p) => (p.kind === 'part' ? p.part : -1)), [0, 1, 2, 3, 4, 5]);
    const chapters = parts.flatMap((p) => (p.kind === 'part' ? p.children : []));
    const chapter = chapters.find((c) => c.children.some((e) => e.id === ID));
    assert.ok(chapter, `no chapter lists ${ID}`);
    const node = chapter.children.find((e) => e.id === ID)!;
    assert.strictEqual(node.status, 'passed');
    const item = course.tree.getTreeItem(node);
    assert.match(String(item.description), /^passed · \d+ verifies/);
    assert.strictEqual(item.contextValue, 'exercise-started');
    assert.deepStrictEqual(item.command && { command: item.command.command, arguments: item.command.arguments }, { command: COMMANDS.openBrief, arguments: [ID] });
    const upcoming = chapters.find((c) => c.upcoming);
    assert.ok(upcoming, 'a chapter still to come is listed');
    assert.strictEqual(course.tree.getTreeItem(upcoming).description, 'upcoming');
    // The inline Verify action hands the command the tree node itself.
    assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.verifyExercise, node), true);
  });

  it('export then import (replace) round-trips the progress', async () => {
    const file = vscode.Uri.file(path.join(os.tmpdir(), `flask-tutor-progress-${process.pid}.json`));
    try {
      script.saveDialog = file;
      assert.strictEqual((await vscode.commands.executeCommand<vscode.Uri>(COMMANDS.exportProgress))?.fsPath, file.fsPath);
      const exported = JSON.parse(fs.readFileSync(file.fsPath, 'utf8'));
      assert.strictEqual(exported.format, 'flask-tutor-progress');
      assert.strictEqual(exported.exercises[ID].status, 'passed');
      const before = record();
      script.openDialog = [file];
      script.confirmWith = 'Replace';
      assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.importProgress), true);
      assert.deepStrictEqual(record(), before);
      assert.strictEqual(course.contextKeys.get(passedContextKey(ID)), true);
    } finally {
      fs.rmSync(file.fsPath, { force: true });
    }
  });

  it('an invalid progress file is refused and changes nothing', async () => {
    const file = vscode.Uri.file(path.join(os.tmpdir(), `flask-tutor-bad-${process.pid}.json`));
    fs.writeFileSync(file.fsPath, '{"format": "something else"}');
    try {
      const before = course.progress.state;
      script.openDialog = [file];
      assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.importProgress), false);
      assert.deepStrictEqual(course.progress.state, before);
      assert.ok(script.asked.some((m) => m.includes('cannot be imported')));
    } finally {
      fs.rmSync(file.fsPath, { force: true });
    }
  });

  it('reset progress of the chapter (confirmed) forgets the exercise and clears its context key', async () => {
    assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.resetProgress, 'f1'), true);
    assert.strictEqual(record(), undefined);
    assert.strictEqual(course.contextKeys.get(passedContextKey(ID)), false);
    assert.ok(fs.existsSync(path.join(exerciseDir(), 'app.py')), 'resetting progress must not touch files');
  });

  it('every course command is registered', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of Object.values(COMMANDS)) assert.ok(all.has(id), `${id} is not registered`);
  });
});
