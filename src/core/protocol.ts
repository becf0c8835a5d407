/**
 * The verify protocol, version 2 (PROTOCOL_VERSION): JSON lines streamed by our pytest plugin
 * (python/flask_tutor_pytest) to the extension. Documented in docs/verify-protocol.md.
 * Paths are absolute, lines 1-based.
 */
export const PROTOCOL_VERSION = 2;

export interface Location {
  file: string;
  line: number;
  column?: number | null;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number | null;
  endpoint?: string | null;
}

export type Outcome = 'passed' | 'failed' | 'errored' | 'skipped';

export type AppErrorCode = 'syntax-error' | 'import-error' | 'app-error' | 'not-found' | 'timeout';

export interface SessionEvent {
  v: number;
  event: 'session';
  python: string;
  pytest: string;
  flask: string | null;
  werkzeug?: string | null;
  sqlalchemy?: string | null;
  appDir: string;
  /** What guards the learner's files: "landlock ABI 7", or "in-process guard only (why)". */
  protection?: string;
}

export type AppEvent =
  | { v: number; event: 'app'; status: 'ok'; kind: 'factory' | 'module'; target: string }
  | {
      v: number;
      event: 'app';
      status: 'error';
      code: AppErrorCode;
      message: string;
      location?: Location | null;
      traceback?: string | null;
      missingModule?: string | null;
    };

export interface CollectedTest {
  nodeid: string;
  name: string;
  file: string;
  line: number;
  doc?: string | null;
}

export interface CollectedEvent {
  v: number;
  event: 'collected';
  tests: CollectedTest[];
}

export interface StartedEvent {
  v: number;
  event: 'started';
  nodeid: string;
}

export interface ResultEvent {
  v: number;
  event: 'result';
  nodeid: string;
  outcome: Outcome;
  duration: number;
  message?: string | null;
  expected?: string | null;
  actual?: string | null;
  location?: Location | null;
  checkLocation?: Location | null;
  requests?: RequestRecord[];
  output?: string | null;
  traceback?: string | null;
  /** The check author's hint for this failure (helpers.about / @pytest.mark.hint). */
  hint?: string | null;
}

export interface FinishedEvent {
  v: number;
  event: 'finished';
  exitStatus: number;
  duration: number;
}

/**
 * The request console's session (python/flask_tutor_pytest/console.py): `ready` once the app is
 * loaded, then one `response` per request, on the same signed channel as a verify's events.
 */
export type ConsoleEvent =
  | { v: number; event: 'console'; kind: 'ready' }
  | ({ v: number; event: 'console'; kind: 'response' } & ConsoleResponse);

export interface ConsoleResponse {
  /** The request's id, as sent. */
  id: number;
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
  bodyEncoding: 'text' | 'base64';
  /** The body was longer than 1 MiB and was cut. */
  truncated: boolean;
  isJson: boolean;
  ms: number;
  /** The endpoint whose view answered, and where that view is. */
  endpoint?: string | null;
  view?: Location | null;
  /** The exception the view raised (a 500), and the learner's line it came from. */
  error?: string | null;
  errorLocation?: Location | null;
}

/** A request for the console session, written as `<inbox>/<6-digit n>.json`. */
export interface ConsoleRequest {
  id: number;
  method: string;
  /** Path with its query string, e.g. `/todos?done=true`. */
  path: string;
  headers?: Record<string, string>;
  body?: { kind: 'json' | 'text'; text: string } | { kind: 'form'; fields: Record<string, string> };
}

export type VerifyEvent = SessionEvent | AppEvent | CollectedEvent | StartedEvent | ResultEvent | FinishedEvent | ConsoleEvent;

const KNOWN_EVENTS = new Set(['session', 'app', 'collected', 'started', 'result', 'finished', 'console']);

export type ParsedLine =
  | { kind: 'event'; event: VerifyEvent }
  | { kind: 'ignored'; reason: string }
  | { kind: 'error'; reason: string };

/** Parses one line of the event stream. Unknown events and fields are ignored, as the contract says. */
export function parseEventLine(line: string): ParsedLine {
  const text = line.trim();
  if (!text) return { kind: 'ignored', reason: 'empty line' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'error', reason: `not JSON: ${text.slice(0, 80)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'error', reason: 'an event must be a JSON object' };
  }
  const record = value as Record<string, unknown>;
  if (record.v !== PROTOCOL_VERSION) {
    return { kind: 'error', reason: `unsupported protocol version ${JSON.stringify(record.v)} (expected ${PROTOCOL_VERSION})` };
  }
  if (typeof record.event !== 'string' || !KNOWN_EVENTS.has(record.event)) {
    return { kind: 'ignored', reason: `unknown event ${JSON.stringify(record.event)}` };
  }
  if ((record.event === 'result' || record.event === 'started') && typeof record.nodeid !== 'string') {
    return { kind: 'error', reason: `${record.event} event without a nodeid` };
  }
  if (record.event === 'result' && !['passed', 'failed', 'errored', 'skipped'].includes(record.outcome as string)) {
    return { kind: 'error', reason: `result event with unknown outcome ${JSON.stringify(record.outcome)}` };
  }
  return { kind: 'event', event: record as unknown as VerifyEvent };
}

/**
 * A signed line is `<hex HMAC-SHA256(secret, json)> <json>` (protocol v2). Returns the JSON when
 * the signature matches, undefined otherwise (a forged, altered or unsigned line). Pure: the
 * caller passes the HMAC function (Node's crypto), so this module stays free of Node imports.
 */
export function verifySignedLine(line: string, hmacHex: (body: string) => string): string | undefined {
  const text = line.replace(/\r?\n$/, '');
  const space = text.indexOf(' ');
  if (space !== 64) return undefined;
  const mac = text.slice(0, space);
  const body = text.slice(space + 1);
  const want = hmacHex(body);
  if (want.length !== mac.length) return undefined;
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff |= want.charCodeAt(i) ^ mac.charCodeAt(i);
  return diff === 0 ? body : undefined;
}

/** Splits a byte stream into lines; keeps the unfinished tail for the next chunk. */
export class LineSplitter {
  private tail = '';
  constructor(private readonly maxLine = 16 * 1024 * 1024) {}

  push(chunk: string): string[] {
    const text = this.tail + chunk;
    const lines = text.split('\n');
    this.tail = lines.pop() ?? '';
    if (this.tail.length > this.maxLine) this.tail = '';
    return lines;
  }

  end(): string[] {
    const rest = this.tail;
    this.tail = '';
    return rest ? [rest] : [];
  }
}
