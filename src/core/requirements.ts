/**
 * Pip requirement lines (`flask>=2.2`, `flask-restx`, `marshmallow>=3,<5`) against the
 * distributions an interpreter has. Pure: the caller lists the installed distributions
 * (importlib.metadata) and passes them in. Used by the content check to skip, with the reason
 * printed, an exercise whose libraries an environment lacks (the floor has no Flask-RESTX).
 * Markers and URLs are not supported (exercise manifests never use them).
 */

export interface Requirement {
  /** The line as written. */
  text: string;
  /** PEP 503 normalised name: lower case, runs of `-_.` as one `-`. */
  name: string;
  specifiers: { op: string; version: string }[];
}

export const normalizeName = (name: string): string => name.trim().toLowerCase().replace(/[-_.]+/g, '-');

const SPEC = /^(===|==|!=|<=|>=|~=|<|>)\s*([A-Za-z0-9.*+!_-]+)$/;

export function parseRequirement(text: string): Requirement {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*$/.exec(text);
  if (!m) throw new Error(`not a requirement: "${text}"`);
  const rest = m[3];
  const specifiers = rest
    ? rest.split(',').map((part) => {
        const s = SPEC.exec(part.trim());
        if (!s) throw new Error(`unsupported version specifier "${part.trim()}" in "${text}"`);
        return { op: s[1], version: s[2] };
      })
    : [];
  return { text: text.trim(), name: normalizeName(m[1]), specifiers };
}

/** Release numbers of a version (`2.2.2`, `3.1.0rc1` → [3, 1, 0]); pre/post tags are ignored. */
function release(version: string): number[] {
  return version
    .replace(/^v/, '')
    .split('+')[0]
    .split('.')
    .map((part) => /^\d+/.exec(part)?.[0])
    .filter((n): n is string => n !== undefined)
    .map(Number);
}

export function compareVersions(a: string, b: string): number {
  const x = release(a);
  const y = release(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

function satisfies(version: string, op: string, wanted: string): boolean {
  if (wanted.endsWith('.*')) {
    const prefix = release(wanted.slice(0, -2));
    const have = release(version).slice(0, prefix.length);
    const same = prefix.every((n, i) => (have[i] ?? 0) === n);
    return op === '!=' ? !same : same;
  }
  const c = compareVersions(version, wanted);
  switch (op) {
    case '==':
    case '===':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '~=': {
      // ~=2.2 means >=2.2, ==2.*; ~=2.2.1 means >=2.2.1, ==2.2.*
      const r = release(wanted);
      const prefix = r.slice(0, Math.max(1, r.length - 1));
      return c >= 0 && prefix.every((n, i) => (release(version)[i] ?? 0) === n);
    }
    default:
      return false;
  }
}

export interface Unmet {
  requirement: string;
  /** "not installed" or "3.18.0 installed" */
  reason: string;
}

/** The requirements that `installed` (name as spelt in metadata → version) does not satisfy. */
export function unmetRequirements(requirements: readonly string[], installed: Readonly<Record<string, string>>): Unmet[] {
  const byName = new Map(Object.entries(installed).map(([name, version]) => [normalizeName(name), version]));
  const unmet: Unmet[] = [];
  for (const text of requirements) {
    const req = parseRequirement(text);
    const version = byName.get(req.name);
    if (version === undefined) unmet.push({ requirement: req.text, reason: 'not installed' });
    else if (!req.specifiers.every((s) => satisfies(version, s.op, s.version))) unmet.push({ requirement: req.text, reason: `${version} installed` });
  }
  return unmet;
}

/** "flask-restx (not installed), marshmallow>=4 (3.18.0 installed)" */
export const describeUnmet = (unmet: readonly Unmet[]): string => unmet.map((u) => `${u.requirement} (${u.reason})`).join(', ');
