/**
 * The course engine's commands and the arguments each takes when it is used as a
 * `command:` link (walkthrough steps, briefs). The content checker validates links against
 * this table; src/course registers the same ids. Pure.
 */
export type CommandArgs =
  /** No arguments. */
  | 'none'
  /** Optional `["<exercise id>"]`. */
  | 'exercise'
  /** Optional `["<chapter id>"]` (or `"start"`). */
  | 'walkthrough'
  /** Optional `["<chapter id>"]` or `["all"]`. */
  | 'chapterOrAll'
  /** Optional `["<snippet prefix>"]` (flaskTutor.insertSnippet). */
  | 'snippet';

export const COURSE_COMMANDS = {
  startExercise: 'flaskTutor.startExercise',
  verifyExercise: 'flaskTutor.verifyExercise',
  resetExercise: 'flaskTutor.resetExercise',
  restoreBackup: 'flaskTutor.restoreBackup',
  showHint: 'flaskTutor.showHint',
  compareWithSolution: 'flaskTutor.compareWithSolution',
  openBrief: 'flaskTutor.openBrief',
  showProgress: 'flaskTutor.showProgress',
  resetProgress: 'flaskTutor.resetProgress',
  exportProgress: 'flaskTutor.exportProgress',
  importProgress: 'flaskTutor.importProgress',
  checkPython: 'flaskTutor.checkPython',
  openWalkthrough: 'flaskTutor.openWalkthrough',
} as const;

export const COMMAND_ARGS: Readonly<Record<string, CommandArgs>> = {
  [COURSE_COMMANDS.startExercise]: 'exercise',
  [COURSE_COMMANDS.verifyExercise]: 'exercise',
  [COURSE_COMMANDS.resetExercise]: 'exercise',
  [COURSE_COMMANDS.restoreBackup]: 'exercise',
  [COURSE_COMMANDS.showHint]: 'exercise',
  [COURSE_COMMANDS.compareWithSolution]: 'exercise',
  [COURSE_COMMANDS.openBrief]: 'exercise',
  [COURSE_COMMANDS.showProgress]: 'none',
  [COURSE_COMMANDS.resetProgress]: 'chapterOrAll',
  [COURSE_COMMANDS.exportProgress]: 'none',
  [COURSE_COMMANDS.importProgress]: 'none',
  [COURSE_COMMANDS.checkPython]: 'none',
  [COURSE_COMMANDS.openWalkthrough]: 'walkthrough',
  'flaskTutor.insertSnippet': 'snippet',
};

/**
 * Commands of VS Code or of extensions we rely on that walkthrough and brief Markdown may link
 * to, besides our own contributed commands.
 */
export const BUILTIN_LINK_COMMANDS: ReadonlySet<string> = new Set([
  'workbench.action.openWalkthrough',
  'workbench.action.openSettings',
  'workbench.action.files.openFolder',
  'workbench.view.testing.focus',
  'workbench.view.explorer',
  'testing.runAll',
  'python.setInterpreter',
  'workbench.extensions.search',
  'workbench.extensions.installExtension',
]);
