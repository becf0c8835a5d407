/**
 * Where a hung run was: the Python stack that `faulthandler` wrote when the extension stopped
 * the run at its timeout (python/flask_tutor_pytest/_boot.py, `arm_stack_dump`). Pure.
 *
 *   Current thread 0x00007f3c (most recent call first):
 *     File "/home/me/ex/app.py", line 12 in spin
 *     File "/usr/lib/python3/dist-packages/flask/app.py", line 1820 in full_dispatch_request
 */
import * as path from 'path';
import type { Location } from './protocol';

export interface StackFrame {
  file: string;
  line: number;
  func: string;
}

export interface HangSite {
  location: Location;
  /** For a message: `app.py, line 12 (in spin)`, the path relative to the learner's folder. */
  where: string;
}

/** The frames of the first thread in a faulthandler dump, most recent first. */
export function parseFaultStack(text: string): StackFrame[] {
  const frames: StackFrame[] = [];
  let seenThread = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^(Current thread|Thread|Stack) /.test(line)) {
      if (seenThread && frames.length) break;
      seenThread = true;
      continue;
    }
    const m = /^\s+File "(.*)", line (\d+) in (.+)$/.exec(line);
    if (m) frames.push({ file: m[1], line: Number(m[2]), func: m[3].trim() });
  }
  return frames;
}

/** The innermost frame of the learner's code (a file inside `appDir`), if the stack has one. */
export function hangSite(text: string, appDir: string): HangSite | undefined {
  for (const frame of parseFaultStack(text)) {
    const rel = path.relative(appDir, frame.file);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const shown = rel.split(path.sep).join('/');
    return { location: { file: frame.file, line: frame.line }, where: `${shown}, line ${frame.line} (in ${frame.func})` };
  }
  return undefined;
}
