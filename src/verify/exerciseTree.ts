/**
 * Discovery: the Test Explorer's tree of exercise folders (a folder holding `.flasktutor.json`)
 * and their checks, kept up to date as markers and folders come and go, with what each item
 * stands for (a WeakMap from item to data). The runs are ./controller.ts's.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { MARKER_FILE, readMarker } from '../core/manifest';
import { Catalog, Exercise, readCheckFiles } from '../engine/catalog';
import type { Log } from '../log';
import { checkUri } from './checkFiles';

/** What a test item stands for: an exercise folder, a folder whose marker we cannot use, or a check. */
export type ItemData =
  | { kind: 'exercise'; folder: vscode.Uri; exercise: Exercise }
  | { kind: 'unknown'; folder: vscode.Uri; exerciseId: string }
  | { kind: 'check'; key: string; exercise: vscode.TestItem };

export const DEBOUNCE_MS = 300;

export class ExerciseTree implements vscode.Disposable {
  private readonly data = new WeakMap<vscode.TestItem, ItemData>();
  private readonly disposables: vscode.Disposable[] = [];
  private discoverTimer: NodeJS.Timeout | undefined;
  /** The discovery pass under way, if any (runs wait for it). */
  discovering: Promise<void> | undefined;
  private discoverAgain = false;

  constructor(
    private readonly controller: vscode.TestController,
    private readonly catalog: Catalog,
    private readonly log: Log,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${MARKER_FILE}`);
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.scheduleDiscover()),
      watcher.onDidChange(() => this.scheduleDiscover()),
      watcher.onDidDelete(() => this.scheduleDiscover()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleDiscover()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.controller.items.forEach((item) => (item.error = undefined))),
    );
    // The watcher coalesces events: a new or deleted folder is reported, not the marker inside
    // it. So: rediscover when a folder appears, or when a deleted path held an exercise folder.
    const tree = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.disposables.push(
      tree,
      tree.onDidCreate((uri) => {
        fs.stat(uri.fsPath, (error, stat) => !error && stat.isDirectory() && this.scheduleDiscover());
      }),
      tree.onDidDelete((uri) => {
        let affected = false;
        this.controller.items.forEach((item) => {
          const data = this.data.get(item);
          if (data && data.kind !== 'check' && !path.relative(uri.fsPath, data.folder.fsPath).startsWith('..')) affected = true;
        });
        if (affected) this.scheduleDiscover();
      }),
    );
  }

  dispose(): void {
    if (this.discoverTimer) clearTimeout(this.discoverTimer);
    this.disposables.forEach((d) => d.dispose());
  }

  /** What an item stands for (undefined for an item this tree did not make). */
  dataOf(item: vscode.TestItem): ItemData | undefined {
    return this.data.get(item);
  }

  /** Debounced rediscovery, for bursts of file events. */
  scheduleDiscover(): void {
    if (this.discoverTimer) clearTimeout(this.discoverTimer);
    this.discoverTimer = setTimeout(() => void this.discover(), DEBOUNCE_MS);
  }

  /**
   * Finds the exercise folders of the workspace and updates the tree. A request that comes while
   * a pass is running schedules one more pass, so no file event is lost.
   */
  discover(): Promise<void> {
    if (this.discovering) {
      this.discoverAgain = true;
      return this.discovering;
    }
    this.discovering = (async () => {
      do {
        this.discoverAgain = false;
        await this.discoverNow();
      } while (this.discoverAgain);
    })().finally(() => (this.discovering = undefined));
    return this.discovering;
  }

  private async discoverNow(): Promise<void> {
    const markers = vscode.workspace.workspaceFolders?.length
      ? await vscode.workspace.findFiles(`**/${MARKER_FILE}`, '**/{node_modules,.venv,venv,.git}/**', 500)
      : [];
    const items: vscode.TestItem[] = [];
    for (const marker of markers.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
      const folder = vscode.Uri.joinPath(marker, '..');
      let text: string;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(marker));
      } catch {
        continue; // deleted while we looked
      }
      const exerciseId = readMarker(text)?.exercise;
      const exercise = exerciseId ? this.catalog.byId.get(exerciseId) : undefined;
      const existing = this.controller.items.get(folder.toString());
      const existingData = existing && this.data.get(existing);
      if (existing && existingData?.kind === 'exercise' && existingData.exercise === exercise) {
        items.push(existing); // same exercise: keep the item (and its results) as it is
        continue;
      }
      if (!exercise) {
        const item = this.controller.createTestItem(folder.toString(), path.basename(folder.fsPath), folder);
        item.error = exerciseId
          ? vscode.l10n.t('Unknown exercise "{0}". Is Flask Backend Tutor up to date?', exerciseId)
          : vscode.l10n.t('{0} is not a valid exercise marker.', MARKER_FILE);
        this.data.set(item, { kind: 'unknown', folder, exerciseId: exerciseId ?? '' });
        items.push(item);
        continue;
      }
      items.push(this.exerciseItem(folder, exercise));
    }
    this.controller.items.replace(items);
    this.log.debug(`Discovered ${items.length} exercise folder(s).`);
  }

  private exerciseItem(folder: vscode.Uri, exercise: Exercise): vscode.TestItem {
    const main = exercise.open[0] ? vscode.Uri.joinPath(folder, exercise.open[0]) : folder;
    const item = this.controller.createTestItem(folder.toString(), exercise.title, main);
    item.description = exercise.id;
    item.sortText = `${exercise.chapter}-${String(exercise.order).padStart(3, '0')}`;
    this.data.set(item, { kind: 'exercise', folder, exercise });
    if (!vscode.workspace.isTrusted) {
      item.error = vscode.l10n.t('Restricted Mode: verifying runs the code in this workspace. Trust the workspace to verify exercises.');
    }
    for (const file of readCheckFiles(exercise)) {
      // Read-only: opening a check never puts the extension's own file in an editable editor.
      const uri = checkUri(exercise.id, file.name);
      file.checks.forEach((check, index) => {
        const key = `${file.name}::${check.name}`;
        const child = this.controller.createTestItem(`${folder.toString()}#${key}`, check.label, uri);
        child.range = new vscode.Range(check.startLine, 0, check.endLine, 0);
        child.sortText = `${file.name}-${String(index).padStart(3, '0')}`;
        this.data.set(child, { kind: 'check', key, exercise: item });
        item.children.add(child);
      });
    }
    return item;
  }

  /**
   * The exercise folders of the workspace (each holding a marker) with the exercise id the marker
   * names, as discovery found them: the one place that searches the workspace for markers.
   */
  async exerciseFolders(): Promise<{ folder: vscode.Uri; exerciseId: string }[]> {
    await this.discover();
    const found: { folder: vscode.Uri; exerciseId: string }[] = [];
    this.controller.items.forEach((item) => {
      const data = this.data.get(item);
      if (data?.kind === 'exercise') found.push({ folder: data.folder, exerciseId: data.exercise.id });
      else if (data?.kind === 'unknown' && data.exerciseId) found.push({ folder: data.folder, exerciseId: data.exerciseId });
    });
    return found.sort((a, b) => a.folder.fsPath.localeCompare(b.folder.fsPath));
  }

  /** For the course engine and tests: the exercise item of a folder, once discovered. */
  itemForFolder(folder: vscode.Uri): vscode.TestItem | undefined {
    return this.controller.items.get(folder.toString());
  }

  /** Leaves (checks) of the request, grouped by exercise item, in tree order. */
  groupRequest(request: vscode.TestRunRequest): Map<vscode.TestItem, vscode.TestItem[]> {
    const excluded = new Set(request.exclude ?? []);
    const groups = new Map<vscode.TestItem, vscode.TestItem[]>();
    const add = (exerciseItem: vscode.TestItem, leaf: vscode.TestItem) => {
      if (excluded.has(leaf) || excluded.has(exerciseItem)) return;
      const list = groups.get(exerciseItem) ?? [];
      if (!list.includes(leaf)) list.push(leaf);
      groups.set(exerciseItem, list);
    };
    const roots: vscode.TestItem[] = [];
    if (request.include) roots.push(...request.include);
    else this.controller.items.forEach((item) => roots.push(item));
    for (const item of roots) {
      const data = this.data.get(item);
      if (!data) continue;
      if (data.kind === 'check') add(data.exercise, item);
      else if (item.children.size) item.children.forEach((child) => add(item, child));
      else if (!excluded.has(item)) groups.set(item, [item]);
    }
    return groups;
  }
}
