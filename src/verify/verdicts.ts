/**
 * A check's verdict (src/core/results.ts) as the Testing view shows it: passed / failed /
 * errored / skipped on its item, messages with a diff when both sides exist (what VS Code draws at
 * the failing line stays a sentence: ../core/inlineText.ts splits long data off) and a location in
 * the code, and the check's own output in the run's output, headed by the check.
 */
import * as vscode from 'vscode';
import { splitForInline } from '../core/inlineText';
import type { CheckVerdict } from '../core/results';

function toLocation(loc: { file: string; line: number; column?: number | null }): vscode.Location {
  return new vscode.Location(vscode.Uri.file(loc.file), new vscode.Position(Math.max(0, loc.line - 1), Math.max(0, (loc.column ?? 1) - 1)));
}

const OUTCOME_MARK: Record<CheckVerdict['outcome'], string> = { passed: '✓', failed: '✗', errored: '!', skipped: '-' };

export function applyVerdict(run: vscode.TestRun, item: vscode.TestItem, verdict: CheckVerdict): void {
  const messages = verdict.messages.flatMap((m) => {
    // What VS Code draws after the failing line is the sentence (or short `actual != expected`),
    // never half of a JSON body: long data goes in a second message, without a location.
    const { inline, data } = splitForInline(m);
    const message = inline.expected !== undefined && inline.actual !== undefined ? vscode.TestMessage.diff(inline.text, inline.expected, inline.actual) : new vscode.TestMessage(inline.text);
    if (m.location) message.location = toLocation(m.location);
    return data ? [message, vscode.TestMessage.diff(data.text, data.expected, data.actual)] : [message];
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
