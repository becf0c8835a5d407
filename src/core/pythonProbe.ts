/**
 * What we need to know about an interpreter before running checks with it, and the short
 * Python program that tells us. Pure: the adapter runs the program and passes its output here.
 */
export const PROBE_SCRIPT = [
  'import importlib.util, json, sys',
  'mods = ("pytest", "flask")',
  'print(json.dumps({"version": "%d.%d.%d" % sys.version_info[:3], "executable": sys.executable,',
  '  "missing": [m for m in mods if importlib.util.find_spec(m) is None]}))',
].join('\n');

export interface ProbeResult {
  version: string;
  executable: string;
  /** Python packages the checks need that this interpreter cannot import. */
  missing: string[];
}

export type ProbeVerdict =
  | { ok: true; info: ProbeResult }
  | { ok: false; problem: 'not-found' | 'too-old' | 'missing-packages' | 'broken'; message: string; info?: ProbeResult };

export const MIN_PYTHON: [number, number] = [3, 8];

export function judgeProbe(python: string, stdout: string | undefined, spawnError?: string): ProbeVerdict {
  if (spawnError !== undefined) {
    return {
      ok: false,
      problem: 'not-found',
      message: `Python was not found (${python}: ${spawnError}). Install Python 3, or choose an interpreter with the Python extension or the "flaskTutor.pythonPath" setting.`,
    };
  }
  let info: ProbeResult;
  try {
    info = JSON.parse((stdout ?? '').trim().split('\n').pop() ?? '') as ProbeResult;
    if (typeof info.version !== 'string' || !Array.isArray(info.missing)) throw new Error('unexpected output');
  } catch {
    return { ok: false, problem: 'broken', message: `${python} did not answer like Python 3 does. Choose another interpreter.` };
  }
  const [major, minor] = info.version.split('.').map(Number);
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    return { ok: false, problem: 'too-old', info, message: `Python ${info.version} is too old; the checks need Python ${MIN_PYTHON.join('.')} or newer.` };
  }
  if (info.missing.length) {
    const names = info.missing.join(' and ');
    return {
      ok: false,
      problem: 'missing-packages',
      info,
      message: `${names} ${info.missing.length > 1 ? 'are' : 'is'} not installed for ${info.executable} (Python ${info.version}). Install ${info.missing.length > 1 ? 'them' : 'it'} to verify exercises.`,
    };
  }
  return { ok: true, info };
}
