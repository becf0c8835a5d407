/**
 * The status bar item: the current exercise and its chapter's progress
 * (`$(mortar-board) First app · F1 2/5`). Clicking it opens the exercise's brief.
 */
import * as vscode from 'vscode';
import { chapterDisplayName, chapterLabel } from '../core/chapters';
import { COURSE_COMMANDS } from '../core/courseCommands';
import { exerciseStatus, ProgressState, summarize } from '../core/progress';
import type { Catalog, Exercise } from '../engine/catalog';

export class CourseStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly catalog: Catalog) {
    this.item = vscode.window.createStatusBarItem('flaskTutor.course', vscode.StatusBarAlignment.Left, 10);
    this.item.name = vscode.l10n.t('Flask Tutor exercise');
  }

  dispose(): void {
    this.item.dispose();
  }

  /** The text the item shows (for tests). */
  get text(): string | undefined {
    return this.item.text || undefined;
  }

  update(current: Exercise | undefined, state: ProgressState): void {
    if (!current) {
      this.item.hide();
      return;
    }
    const counts = summarize(state, this.catalog.exercises).get(current.chapter) ?? { total: 0, passed: 0, started: 0 };
    const status = exerciseStatus(state, current.id);
    const icon = status === 'passed' ? '$(pass-filled)' : '$(mortar-board)';
    this.item.text = `${icon} ${current.title} · ${chapterLabel(current.chapter)} ${counts.passed}/${counts.total}`;
    const statusWord =
      status === 'passed' ? vscode.l10n.t('passed') : status === 'started' ? vscode.l10n.t('started') : vscode.l10n.t('not started');
    const record = state.exercises[current.id];
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMd(current.title)}** (${statusWord})\n\n`);
    tooltip.appendMarkdown(`${escapeMd(chapterDisplayName(current.chapter))}: ${vscode.l10n.t('{0} of {1} exercises passed', counts.passed, counts.total)}\n\n`);
    if (record) tooltip.appendMarkdown(`${vscode.l10n.t('Verifies: {0}, hints used: {1}', record.attempts, record.hintsUsed)}\n\n`);
    tooltip.appendMarkdown(vscode.l10n.t('Click to open the brief.'));
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = {
      label: vscode.l10n.t('Exercise {0}, {1}. Chapter {2}: {3} of {4} passed.', current.title, statusWord, chapterLabel(current.chapter), counts.passed, counts.total),
    };
    this.item.command = { title: vscode.l10n.t('Open exercise brief'), command: COURSE_COMMANDS.openBrief, arguments: [current.id] };
    this.item.show();
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
