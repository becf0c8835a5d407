/**
 * The Course view: a tree in its own activity-bar container (package.json `viewsContainers`
 * flaskTutor, view `flaskTutor.course`). The learner's home: Part → chapter → exercise with
 * status, verifies and hints; start / open the brief / verify from the tree; chapters to come
 * shown as upcoming. Thin adapter over src/core/courseTree.ts; refreshed on progress changes.
 */
import * as vscode from 'vscode';
import { COURSE_COMMANDS } from '../core/courseCommands';
import { courseTree, type CourseNode, type TreeExercise } from '../core/courseTree';
import type { ProgressState } from '../core/progress';

export const COURSE_VIEW_ID = 'flaskTutor.course';

export class CourseTreeProvider implements vscode.TreeDataProvider<CourseNode> {
  private readonly emitter = new vscode.EventEmitter<CourseNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(
    private readonly exercises: readonly TreeExercise[],
    private readonly progress: () => ProgressState,
  ) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  getChildren(node?: CourseNode): CourseNode[] {
    if (!node) return courseTree(this.exercises, this.progress());
    return node.kind === 'exercise' ? [] : node.children;
  }

  getTreeItem(node: CourseNode): vscode.TreeItem {
    const t = vscode.l10n.t;
    switch (node.kind) {
      case 'part': {
        const item = new vscode.TreeItem(t('Part {0}: {1}', node.part, node.title), node.children.some((c) => c.current) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.description = node.total ? t('{0} of {1} passed', node.passed, node.total) : t('upcoming');
        item.contextValue = 'part';
        return item;
      }
      case 'chapter': {
        const state = node.upcoming ? vscode.TreeItemCollapsibleState.None : node.current ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
        const item = new vscode.TreeItem(`${node.label} ${node.title}`, state);
        item.id = `chapter-${node.id}`;
        item.description = node.upcoming ? t('upcoming') : t('{0} of {1}', node.passed, node.children.length);
        item.tooltip = node.upcoming ? t('{0} is coming: it appears here when it ships.', node.label) : t('Open the {0} walkthrough', node.label);
        item.iconPath = new vscode.ThemeIcon(node.upcoming ? 'watch' : node.passed === node.children.length ? 'pass-filled' : 'book');
        item.contextValue = node.upcoming ? 'chapter-upcoming' : 'chapter';
        if (!node.upcoming) item.command = { command: COURSE_COMMANDS.openWalkthrough, title: t('Open walkthrough'), arguments: [node.id] };
        return item;
      }
      case 'exercise': {
        const item = new vscode.TreeItem(node.title, vscode.TreeItemCollapsibleState.None);
        item.id = `exercise-${node.id}`;
        const parts = [node.status === 'passed' ? t('passed') : node.status === 'started' ? t('started') : t('not started')];
        if (node.attempts) parts.push(t('{0} verifies', node.attempts));
        if (node.hintsUsed) parts.push(t('{0} of {1} hints', node.hintsUsed, node.hints));
        item.description = parts.join(' · ');
        const checks = node.lastChecks ? t('Last verify: {0} of {1} checks pass.', node.lastChecks.passed, node.lastChecks.total) : t('Not verified yet.');
        item.tooltip = new vscode.MarkdownString(`**${escapeMd(node.title)}** (\`${node.id}\`)${node.minutes ? ` · ${t('about {0} min', node.minutes)}` : ''}\n\n${checks}`);
        item.iconPath =
          node.status === 'passed'
            ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'))
            : node.status === 'started'
              ? new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('testing.iconQueued'))
              : new vscode.ThemeIcon('circle-outline');
        item.contextValue = node.status === 'not-started' ? 'exercise' : 'exercise-started';
        item.command = { command: COURSE_COMMANDS.openBrief, title: t('Open brief'), arguments: [node.id] };
        item.accessibilityInformation = { label: `${node.title}, ${item.description}` };
        return item;
      }
    }
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|]/g, (c) => `\\${c}`);
}

/** A Course view node handed to a command from the tree's menus. */
export function isTreeNode(arg: unknown): arg is { kind: 'exercise' | 'chapter'; id: string } {
  const a = arg as { kind?: unknown; id?: unknown } | null;
  return !!a && typeof a === 'object' && (a.kind === 'exercise' || a.kind === 'chapter') && typeof a.id === 'string';
}
