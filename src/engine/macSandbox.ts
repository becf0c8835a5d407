/**
 * macOS: the operating system's write guard for a verify run, as Linux has Landlock
 * (python/flask_tutor_pytest/_landlock.py). `sandbox-exec` (Seatbelt) runs pytest and every
 * process it starts under a profile that denies file writes everywhere except the run's own
 * folders and the devices a process needs. Paths travel as `-D` parameters, never spliced into
 * the profile text, so no folder name can change its meaning. Seatbelt matches real paths
 * (/var → /private/var), so the folders are resolved first. Node only, pure but for realpath.
 */
import * as fs from 'fs';
import * as path from 'path';

export const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

/** Later rules win in SBPL: allow all, deny every write, then allow writes where the run may. */
export const MAC_WRITE_PROFILE = [
  '(version 1)',
  '(allow default)',
  '(deny file-write*)',
  '(allow file-write*',
  '  (subpath (param "WORK"))',
  '  (subpath (param "TMP"))',
  '  (literal (param "STACK"))',
  '  (literal "/dev/null") (literal "/dev/zero") (literal "/dev/tty") (literal "/dev/dtracehelper")',
  '  (regex #"^/dev/fd/") (regex #"^/dev/ttys"))',
].join('\n');

export const MAC_PROTECTION = 'macOS sandbox-exec (writes only in the run folder)';

export interface WrappedCommand {
  command: string;
  args: string[];
}

const real = (p: string) => {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
};

/** `command args` run under the profile; `stack` is the file Python dumps its stack to. */
export function underMacSandbox(command: string, args: string[], folders: { work: string; tmp: string; stack: string }): WrappedCommand {
  const stack = `${path.join(real(path.dirname(folders.stack)), path.basename(folders.stack))}`;
  return {
    command: SANDBOX_EXEC,
    args: ['-D', `WORK=${real(folders.work)}`, '-D', `TMP=${real(folders.tmp)}`, '-D', `STACK=${stack}`, '-p', MAC_WRITE_PROFILE, command, ...args],
  };
}

/** Whether this machine can run the guard (macOS with sandbox-exec, not switched off). */
export function macSandboxAvailable(platform: NodeJS.Platform = process.platform, exists: (p: string) => boolean = fs.existsSync): boolean {
  return platform === 'darwin' && exists(SANDBOX_EXEC);
}
