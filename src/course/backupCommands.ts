/**
 * Reset Exercise and Restore Backup: both first copy the learner's files to a dated backup
 * inside the exercise folder (so each can be undone), then rewrite the folder; open editors,
 * the Testing view's verdicts and the brief follow at once.
 */
import * as vscode from 'vscode';
import { Backup, BACKUP_DIR, createBackup, listBackups, restoreTree } from './files';
import { reloadTabsIn, saveDirtyIn } from './openEditors';
import type { CourseSession, Target } from './session';
import { startedTarget } from './targets';

/** Restores the starter after backing up the learner's files; resolves to the backup. */
export async function resetExercise(s: CourseSession, arg?: unknown): Promise<Backup | undefined> {
  const target = await startedTarget(s, arg, vscode.l10n.t('Reset which exercise?'));
  if (!target) return undefined;
  const { exercise, folder } = target;
  const reset = vscode.l10n.t('Reset');
  const choice = await s.prompts.confirm(
    vscode.l10n.t('Reset "{0}" to its starter files?', exercise.title),
    vscode.l10n.t('Your current files are first copied to {0}/<date and time>/ inside the exercise folder. "Restore Backup…" brings them back. Your progress is kept.', BACKUP_DIR),
    reset,
  );
  if (choice !== reset) return undefined;
  await saveDirtyIn(folder);
  const backup = await createBackup(folder.fsPath);
  const { removed } = await restoreTree(exercise.starterDir, folder.fsPath);
  s.log.info(`Reset ${exercise.id} in ${folder.fsPath}; backup ${backup.dir} (${backup.files.length} files); removed ${removed.length} file(s).`);
  await afterFilesReplaced(s, target);
  const restore = vscode.l10n.t('Restore backup…');
  void s.prompts.info(vscode.l10n.t('"{0}" is back to its starter files. Your files are in {1}/{2}.', exercise.title, BACKUP_DIR, backup.name), restore).then((c) => {
    if (c === restore) void restoreBackup(s, exercise.id);
  });
  return backup;
}

/**
 * After Reset or Restore wrote the folder: open editors show the new files at once (see
 * reloadTabsIn: a watcher may be late or silent), the old verdicts are marked outdated, the brief forgets
 * "5 of 6".
 */
async function afterFilesReplaced(s: CourseSession, target: Required<Target>): Promise<void> {
  await reloadTabsIn(target.folder, s.log);
  s.verify.invalidate(target.folder);
  s.lastFailureHints.delete(target.exercise.id);
  await s.progress.dispatch({ type: 'filesReplaced', id: target.exercise.id });
  s.brief.refresh(target);
}

/** Restores a backup (after backing up the current files); resolves to the restored backup. */
export async function restoreBackup(s: CourseSession, arg?: unknown): Promise<Backup | undefined> {
  const target = await startedTarget(s, arg, vscode.l10n.t('Restore a backup of which exercise?'));
  if (!target) return undefined;
  const { exercise, folder } = target;
  const backups = await listBackups(folder.fsPath);
  if (!backups.length) {
    void s.prompts.info(vscode.l10n.t('"{0}" has no backups yet: they are made when you reset an exercise.', exercise.title));
    return undefined;
  }
  const items = backups.map((b) => ({
    label: b.date.toLocaleString(vscode.env.language, { dateStyle: 'medium', timeStyle: 'medium' }),
    description: `${BACKUP_DIR}/${b.name}`,
    detail: `${vscode.l10n.t('{0} files', b.files.length)}: ${b.files.slice(0, 6).join(', ')}${b.files.length > 6 ? ', …' : ''}`,
    backup: b,
  }));
  const picked = await s.prompts.pick(items, { placeHolder: vscode.l10n.t('Restore which backup of "{0}"?', exercise.title) });
  if (!picked) return undefined;
  const restore = vscode.l10n.t('Restore');
  const choice = await s.prompts.confirm(
    vscode.l10n.t('Restore the backup from {0}?', picked.label),
    vscode.l10n.t('Your current files are backed up first, so this can be undone too.'),
    restore,
  );
  if (choice !== restore) return undefined;
  await saveDirtyIn(folder);
  const before = await createBackup(folder.fsPath);
  await restoreTree(picked.backup.dir, folder.fsPath);
  s.log.info(`Restored ${picked.backup.dir} into ${folder.fsPath} (previous files in ${before.dir}).`);
  await afterFilesReplaced(s, target);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Restored the backup of {0}.', picked.label), 5000);
  return picked.backup;
}
