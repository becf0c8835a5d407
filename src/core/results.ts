/**
 * Turns the plugin's events into per-check verdicts the Test Explorer shows. Pure: the VS Code
 * adapter (src/verify/runner.ts) only copies these onto TestRun calls.
 */
import type { HangSite } from './hang';
import type { AppEvent, Location, Outcome, RequestRecord, ResultEvent, VerifyEvent } from './protocol';

export interface ResultMessage {
  text: string;
  expected?: string;
  actual?: string;
  /** Where to show it: the learner's code when known, else the check line. */
  location?: Location;
  /** The check author's hint for this failure (also at the end of `text`). */
  hint?: string;
}

export interface CheckVerdict {
  /** The check's key: `file.py::name` (parametrized cases are folded into their check). */
  key: string;
  outcome: Outcome;
  durationMs: number;
  messages: ResultMessage[];
  /** Text for the run's output attached to the item: requests made, then captured output. */
  output: string;
}

/** `checks/test_api.py::TestX::test_y[case-1]` → `test_api.py::TestX::test_y`. */
export function checkKey(nodeid: string): string {
  const noParams = nodeid.replace(/\[.*\]$/, '');
  const sep = noParams.indexOf('::');
  if (sep < 0) return noParams;
  const file = noParams.slice(0, sep).split(/[\\/]/).pop() ?? '';
  return `${file}${noParams.slice(sep)}`;
}

function paramOf(nodeid: string): string | undefined {
  return /\[(.*)\]$/.exec(nodeid)?.[1];
}

const SEVERITY: Record<Outcome, number> = { skipped: 0, passed: 1, failed: 2, errored: 3 };

/** The verdict of a check from its cases: the worst one wins, but skipped+passed is passed. */
export function combineOutcomes(outcomes: Outcome[]): Outcome {
  return outcomes.reduce<Outcome>((worst, o) => (SEVERITY[o] > SEVERITY[worst] ? o : worst), 'skipped');
}

export function formatRequests(requests: RequestRecord[] | undefined): string {
  if (!requests?.length) return '';
  return requests
    .map((r) => `  ${r.method.padEnd(6)} ${r.path}  → ${r.status ?? 'no response'}${r.endpoint ? `  (view: ${r.endpoint})` : ''}`)
    .join('\n');
}

function messageOf(event: ResultEvent): ResultMessage | undefined {
  if (event.outcome === 'passed' || event.outcome === 'skipped') return undefined;
  const firstTracebackLine = event.traceback?.trim().split('\n').pop();
  const text = event.message?.trim() || firstTracebackLine || (event.outcome === 'errored' ? 'The check could not run.' : 'The check failed.');
  const message: ResultMessage = { text };
  if (event.expected != null && event.actual != null) {
    message.expected = event.expected;
    message.actual = event.actual;
  }
  const location = event.location ?? event.checkLocation;
  if (location) message.location = location;
  const hint = event.hint?.trim();
  if (hint) {
    message.hint = hint;
    message.text = `${message.text}\nHint: ${hint}`;
  }
  return message;
}

function outputOf(event: ResultEvent, param: string | undefined): string {
  const parts: string[] = [];
  const title = param ? `[${param}] ` : '';
  const requests = formatRequests(event.requests);
  if (requests) parts.push(`${title}Requests made by the check:\n${requests}`);
  if (event.output?.trim()) parts.push(`${title}Output:\n${event.output.trimEnd()}`);
  if (event.outcome !== 'passed' && event.traceback?.trim()) parts.push(`${title}Traceback:\n${event.traceback.trimEnd()}`);
  return parts.join('\n\n');
}

/** Why the run ended without a result for some checks. */
export type EndReason =
  | { kind: 'completed' }
  | { kind: 'cancelled' }
  /** `site`: where the learner's code was when the run was stopped (from the stack Python dumped). */
  | { kind: 'timeout'; seconds: number; site?: HangSite }
  | { kind: 'crashed'; detail: string }
  | { kind: 'protocol'; detail: string }
  /** The results contradict what pytest itself reported, or a check file was altered: no verdict stands. */
  | { kind: 'tampered'; detail: string }
  /** The run could not start (for example no debugger); `detail` is the whole message. */
  | { kind: 'not-started'; detail: string };

/** The name a learner sees for a check key: `test_api.py::test_create` → `test_create`. */
function checkName(key: string): string {
  return key.split('::').pop() ?? key;
}

/**
 * The message of a check that has no result because the run ended while `running` (another
 * check, or this one) had started and not finished: the hung check carries the blame and the
 * place, the others say they did not run because of it.
 */
export function interruptedMessage(reason: EndReason, key: string, running: string): ResultMessage | undefined {
  if (reason.kind !== 'timeout' && reason.kind !== 'crashed') return undefined;
  if (key !== running) {
    const why = reason.kind === 'timeout' ? 'the run was stopped because' : 'Python stopped while';
    return { text: `Not run: ${why} "${checkName(running)}" ${reason.kind === 'timeout' ? 'hung' : 'was running'} (see that check).` };
  }
  if (reason.kind === 'crashed') return { text: `Python stopped while this check was running: ${reason.detail}` };
  const where = reason.site ? ` Python was running ${reason.site.where}.` : '';
  return {
    text: `This check was still running when the run reached its ${reason.seconds} s limit, so the run was stopped.${where} Is there an infinite loop, or a call that waits forever (input(), app.run(), a network call, a regular expression that backtracks without end)?`,
    location: reason.site?.location,
  };
}

export function missingResultMessage(reason: EndReason): { outcome: Outcome; text: string } | undefined {
  switch (reason.kind) {
    case 'cancelled':
      return { outcome: 'skipped', text: 'The run was cancelled before this check finished.' };
    case 'timeout':
      return {
        outcome: 'errored',
        text: `The run took longer than ${reason.seconds} s and was stopped.${reason.site ? ` Python was running ${reason.site.where}.` : ''} Is there an infinite loop, or a call that waits forever (input(), app.run(), a network call)?`,
      };
    case 'crashed':
      return { outcome: 'errored', text: `Python stopped before this check reported a result: ${reason.detail}` };
    case 'protocol':
      return { outcome: 'errored', text: `The check runner sent something the extension does not understand: ${reason.detail}` };
    case 'tampered':
      return { outcome: 'errored', text: `This run's results cannot be trusted, so none is shown: ${reason.detail}` };
    case 'not-started':
      return { outcome: 'errored', text: reason.detail };
    case 'completed':
      return { outcome: 'errored', text: 'This check was not run (pytest did not collect it). See the run output.' };
  }
}

/** Accumulates a run's events; `verdicts()` gives one verdict per check key seen or expected. */
export class RunResults {
  private readonly cases = new Map<string, { outcome: Outcome; duration: number; message?: ResultMessage; output: string }[]>();
  appError: Extract<AppEvent, { status: 'error' }> | undefined;
  sessionInfo: string | undefined;
  exitStatus: number | undefined;
  /** The key of the check that started and has no result yet (the one a hang is blamed on). */
  running: string | undefined;

  add(event: VerifyEvent): void {
    switch (event.event) {
      case 'started':
        this.running = checkKey(event.nodeid);
        break;
      case 'session':
        this.sessionInfo = `Python ${event.python}, pytest ${event.pytest}, Flask ${event.flask ?? 'not installed'}`;
        break;
      case 'app':
        if (event.status === 'error') this.appError = event;
        break;
      case 'result': {
        const key = checkKey(event.nodeid);
        const list = this.cases.get(key) ?? [];
        const param = paramOf(event.nodeid);
        const message = messageOf(event);
        if (message && param) message.text = `[${param}] ${message.text}`;
        list.push({ outcome: event.outcome, duration: event.duration, message, output: outputOf(event, param) });
        this.cases.set(key, list);
        if (this.running === key) this.running = undefined;
        break;
      }
      case 'finished':
        this.exitStatus = event.exitStatus;
        break;
    }
  }

  has(key: string): boolean {
    return this.cases.has(key);
  }

  verdict(key: string): CheckVerdict | undefined {
    const list = this.cases.get(key);
    if (!list) return undefined;
    return {
      key,
      outcome: combineOutcomes(list.map((c) => c.outcome)),
      durationMs: Math.round(list.reduce((sum, c) => sum + c.duration, 0) * 1000),
      messages: list.flatMap((c) => (c.message ? [c.message] : [])),
      output: list.map((c) => c.output).filter(Boolean).join('\n\n'),
    };
  }

  /** Verdicts for every expected key; checks without a result get one from `reason`. */
  verdicts(expected: readonly string[], reason: EndReason): CheckVerdict[] {
    return expected.map((key) => {
      // A tampered run keeps no verdict, least of all a pass.
      const found = reason.kind === 'tampered' ? undefined : this.verdict(key);
      const interrupted = this.running && reason.kind !== 'tampered' ? interruptedMessage(reason, key, this.running) : undefined;
      // A parametrized check whose later case hung: its earlier cases' verdicts do not hide the hang.
      if (found && interrupted && key === this.running) return { ...found, outcome: 'errored', messages: [...found.messages, interrupted] };
      if (found) return found;
      const appError = reason.kind === 'tampered' ? undefined : this.appError;
      if (appError) {
        return {
          key,
          outcome: 'errored',
          durationMs: 0,
          messages: [{ text: appError.message, location: appError.location ?? undefined }],
          output: appError.traceback ?? '',
        };
      }
      if (interrupted) return { key, outcome: 'errored', durationMs: 0, messages: [interrupted], output: '' };
      const missing = missingResultMessage(reason) ?? { outcome: 'errored' as const, text: 'No result.' };
      const location = reason.kind === 'timeout' ? reason.site?.location : undefined;
      return { key, outcome: missing.outcome, durationMs: 0, messages: [location ? { text: missing.text, location } : { text: missing.text }], output: '' };
    });
  }
}

/** The author hints of the failed checks, once each, in check order: shown first in the brief. */
export function failureHints(verdicts: readonly CheckVerdict[]): string[] {
  const hints: string[] = [];
  for (const v of verdicts) {
    if (v.outcome !== 'failed') continue;
    for (const m of v.messages) if (m.hint && !hints.includes(m.hint)) hints.push(m.hint);
  }
  return hints;
}
