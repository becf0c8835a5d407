/**
 * Open Brief, and what the brief's buttons and links do: its buttons run the course commands on
 * the brief's exercise; its links open web pages, our own commands, or a file of the exercise
 * (the learner's copy when there is one).
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { showError } from '../log';
import type { BriefAction, BriefTarget } from './brief';
import { findExerciseFolders } from './folders';
import type { CourseSession } from './session';
import { openExercise } from './startCommands';
import { resolveTarget } from './targets';

export async function openBrief(s: CourseSession, arg?: unknown): Promise<void> {
  const target = await resolveTarget(s, arg, vscode.l10n.t('Open the brief of which exercise?'), false);
  if (!target) return;
  if (target.folder) s.setCurrent(target.exercise, target.folder);
  s.brief.show(target, { column: vscode.ViewColumn.Beside });
}

export async function onBriefAction(s: CourseSession, action: BriefAction, target: BriefTarget): Promise<void> {
  const id = target.exercise.id;
  try {
    switch (action) {
      case 'start':
        await s.commands.startExercise(id);
        break;
      case 'verify':
        await s.commands.verifyExercise(target.folder ?? id);
        break;
      case 'hint':
        await s.commands.showHint(id);
        break;
      case 'open': {
        const folder = target.folder ?? (await findExerciseFolders(id, s.verify))[0];
        if (folder) await openExercise(s, target.exercise, folder);
        break;
      }
      case 'reset':
        await s.commands.resetExercise(target.folder ?? id);
        break;
      case 'restore':
        await s.commands.restoreBackup(target.folder ?? id);
        break;
      case 'compare':
        await s.commands.compareWithSolution(target.folder ?? id);
        break;
    }
  } catch (error) {
    void showError(s.log, vscode.l10n.t('Flask Tutor: {0} failed. See the log for details.', action), error);
  }
}

export async function onBriefLink(s: CourseSession, href: string, target: BriefTarget): Promise<void> {
  if (/^https?:\/\//i.test(href)) {
    await vscode.env.openExternal(vscode.Uri.parse(href));
    return;
  }
  const command = /^command:([A-Za-z0-9_.-]+)(?:\?(.*))?$/s.exec(href);
  if (command) {
    if (!command[1].startsWith('flaskTutor.')) return; // briefs may only run our own commands
    let args: unknown = [];
    try {
      args = command[2] ? JSON.parse(decodeURIComponent(command[2])) : [];
    } catch {
      s.log.warn(`Ignored a brief link with arguments that are not JSON: ${href}`);
      return;
    }
    await vscode.commands.executeCommand(command[1], ...(Array.isArray(args) ? args : [args]));
    return;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return;
  const rel = decodeURIComponent(href.replace(/[#?].*$/, ''));
  // A link to a file of the exercise: the learner's copy when there is one, else the shipped one.
  for (const base of [target.folder?.fsPath, target.exercise.dir].filter((b): b is string => !!b)) {
    const file = path.join(base, ...rel.split('/'));
    if (path.relative(base, file).startsWith('..')) continue;
    if (await fsp.access(file).then(() => true, () => false)) {
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), vscode.ViewColumn.One);
      return;
    }
  }
}
