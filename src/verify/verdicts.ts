/**
 * A check's verdict (src/core/results.ts) as the Testing view shows it: passed / failed /
 * errored / skipped on its item, messages with a diff when both sides exist (a long first sentence
 * gets a shortened copy first, for the inline text: ../core/inlineText.ts) and a location in
 * the code, and the check's own output in the run's output, headed by the check.
 */
import * as vscode from 'vscode';
import { withInlineSummary } from '../core/inlineText';
import type { CheckVerdict } from '../core/results';

function toLocation(loc: { file: string; line: number; column?: number | null }): vscode.Location {
  return new vscode.Location(vscode.Uri.file(loc.file), new vscode.Position(Math.max(0, loc.line - 1), Math.max(0, (loc.column ?? 1) - 1)));
}

const OUTCOME_MARK: Record<CheckVerdict['outcome'], string> = { passed: '✓', failed: '✗', errored: '!', skipped: '-' };

export function applyVerdict(run: vscode.TestRun, item: vscode.TestItem, verdict: CheckVerdict): void {
  const messages = verdict.messages.map((m) => {
    // VS Code shows the first 128 characters after the failing line: a sentence, not half a value.
    const text = withInlineSummary(m.text);
    const message =
      m.expected !== undefined && m.actual !== undefined ? vscode.TestMessage.diff(text, m.expected, m.actual) : new vscode.TestMessage(text);
    if (m.location) message.location = toLocation(m.location);
    return message;
  });
  if (verdict.output) {
    const where = verdict.messages[0]?.location;
    // Headed by the check, so the run's combined output says whose requests these were.
    const heading = `${OUTCOME_MARK[verdict.outcome]} ${item.label}`;
    run.appendOutput(`${heading}\r\n${verdict.output.replace(/\r?\n/g, '\r\n')}\r\n`, where ? toLocation(where) : undefined, item);
  }
  switch (verdict.outcome) {
    case 'passed':
      return run.passed(item, verdict.durationMs);
    case 'skipped':
      return run.skipped(item);
    case 'failed':
      return run.failed(item, messages, verdict.durationMs);
    case 'errored':
      return run.errored(item, messages, verdict.durationMs);
  }
}
