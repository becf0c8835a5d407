/**
 * "Verify with coverage": the plugin's coverage report (JSON: executed and missing lines per file)
 * as the Testing view's FileCoverage, the learner's files only, with the statement details the
 * profile's loadDetailedCoverage hands back.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Log } from '../log';

export class CoverageReports {
  private readonly details = new WeakMap<vscode.FileCoverage, vscode.FileCoverageDetail[]>();

  constructor(private readonly log: Log) {}

  /** The statements of a coverage this object added (TestRunProfile.loadDetailedCoverage). */
  detailsOf(coverage: vscode.FileCoverage): vscode.FileCoverageDetail[] {
    return this.details.get(coverage) ?? [];
  }

  /** Adds the report's files inside `appDir` to the run and deletes the report; undefined when there was none. */
  add(run: vscode.TestRun, coverageFile: string, appDir: string): vscode.FileCoverage[] | undefined {
    let report: { files?: Record<string, { executed: number[]; missing: number[] }> };
    try {
      report = JSON.parse(fs.readFileSync(coverageFile, 'utf8'));
    } catch (error) {
      this.log.warn('No coverage data:', String(error));
      return undefined;
    } finally {
      fs.rm(coverageFile, { force: true }, () => undefined);
    }
    const added: vscode.FileCoverage[] = [];
    for (const [file, lines] of Object.entries(report.files ?? {})) {
      if (path.relative(appDir, file).startsWith('..')) continue;
      const details = [
        ...lines.executed.map((l) => new vscode.StatementCoverage(true, new vscode.Position(l - 1, 0))),
        ...lines.missing.map((l) => new vscode.StatementCoverage(false, new vscode.Position(l - 1, 0))),
      ];
      const coverage = vscode.FileCoverage.fromDetails(vscode.Uri.file(file), details);
      this.details.set(coverage, details);
      run.addCoverage(coverage);
      added.push(coverage);
    }
    return added;
  }
}
