/**
 * Requirement traceability (docs/exercise-format.md, "Requirements, mutants and variants"):
 * a brief's `## Requirements` section numbers every testable sentence; each check names the
 * numbers it covers with `@pytest.mark.req(1, 3)`; every requirement has a check. And the
 * mutant / variant declarations (`mutant.json`, `variant.json`) that prove the checks strong.
 * Pure: text in, findings out.
 */

export interface Requirement {
  n: number;
  text: string;
}

/** The numbered list under `## Requirements` (until the next `##` heading); undefined when the brief has none. */
export function parseRequirements(markdown: string): { requirements: Requirement[]; problems: string[] } | undefined {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => /^##\s+Requirements\s*$/i.test(l.trim()));
  if (start < 0) return undefined;
  const requirements: Requirement[] = [];
  const problems: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i];
    if (/^#{1,2}\s/.test(line)) break;
    const m = /^(\d+)\.\s+(.*)$/.exec(line);
    if (m) requirements.push({ n: Number(m[1]), text: m[2].trim() });
    else if (/^\s+\S/.test(line) && requirements.length) requirements[requirements.length - 1].text += ` ${line.trim()}`;
  }
  if (!requirements.length) problems.push('the "## Requirements" section has no numbered item');
  requirements.forEach((r, i) => {
    if (r.n !== i + 1) problems.push(`requirement ${r.n} should be numbered ${i + 1} (number them 1, 2, 3... in order)`);
  });
  return { requirements, problems };
}

/** `test_name` → the numbers of its `@pytest.mark.req(...)` (undefined when it has no such decorator). */
export function parseReqMarkers(python: string): Map<string, number[] | undefined> {
  const out = new Map<string, number[] | undefined>();
  const lines = python.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const def = /^(?:async\s+)?def\s+(test\w*)\s*\(/.exec(lines[i]);
    if (!def) continue;
    let numbers: number[] | undefined;
    // Decorators directly above (single-line decorators; a blank line ends them).
    for (let j = i - 1; j >= 0 && /^@/.test(lines[j]); j--) {
      const m = /^@pytest\.mark\.req\(([^)]*)\)/.exec(lines[j]);
      if (m) {
        numbers = [...(numbers ?? []), ...m[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number)];
      }
    }
    out.set(def[1], numbers);
  }
  return out;
}

/** What breaks traceability: a requirement no check covers, a check without a marker, an unknown number. */
export function traceProblems(requirements: readonly Requirement[], checks: ReadonlyMap<string, number[] | undefined>): string[] {
  const problems: string[] = [];
  const known = new Set(requirements.map((r) => r.n));
  const covered = new Set<number>();
  for (const [name, numbers] of checks) {
    if (!numbers || !numbers.length) {
      problems.push(`check ${name} has no @pytest.mark.req(...) naming the requirements it covers`);
      continue;
    }
    for (const n of numbers) {
      if (!Number.isInteger(n) || !known.has(n)) problems.push(`check ${name} names requirement ${n}, which the brief does not have`);
      else covered.add(n);
    }
  }
  for (const r of requirements) if (!covered.has(r.n)) problems.push(`requirement ${r.n} ("${r.text.slice(0, 60)}") has no check`);
  return problems;
}

export interface MutantSpec {
  mistake: string;
  requirement: number;
  /** A phrase (case-insensitive) that a failing check's message must contain. */
  expect: string;
  /** Solution-relative paths the mutant removes. */
  delete?: string[];
  /** Extra pip requirement lines this tree needs beyond the manifest's. */
  requirements?: string[];
}

export interface VariantSpec {
  style: string;
  requirements?: string[];
}

const isStringArray = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function validateMutant(value: unknown): { spec?: MutantSpec; problems: string[] } {
  const problems: string[] = [];
  const v = value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null) return { problems: ['mutant.json must be a JSON object'] };
  if (typeof v.mistake !== 'string' || v.mistake.length < 10) problems.push('"mistake": one sentence naming the learner mistake');
  if (!Number.isInteger(v.requirement)) problems.push('"requirement": the number of the requirement the mistake breaks');
  if (typeof v.expect !== 'string' || !v.expect.trim()) problems.push('"expect": a phrase a failing check\'s message must contain');
  if (v.delete !== undefined && !isStringArray(v.delete)) problems.push('"delete": a list of solution-relative paths');
  if (v.requirements !== undefined && !isStringArray(v.requirements)) problems.push('"requirements": a list of pip requirement lines');
  const extra = Object.keys(v).filter((k) => !['mistake', 'requirement', 'expect', 'delete', 'requirements', '$comment'].includes(k));
  if (extra.length) problems.push(`unknown field(s) ${extra.join(', ')}`);
  return problems.length ? { problems } : { spec: v as unknown as MutantSpec, problems };
}

export function validateVariant(value: unknown): { spec?: VariantSpec; problems: string[] } {
  const problems: string[] = [];
  const v = value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null) return { problems: ['variant.json must be a JSON object'] };
  if (typeof v.style !== 'string' || v.style.length < 10) problems.push('"style": one sentence saying how this correct solution differs');
  if (v.requirements !== undefined && !isStringArray(v.requirements)) problems.push('"requirements": a list of pip requirement lines');
  const extra = Object.keys(v).filter((k) => !['style', 'requirements', '$comment'].includes(k));
  if (extra.length) problems.push(`unknown field(s) ${extra.join(', ')}`);
  return problems.length ? { problems } : { spec: v as unknown as VariantSpec, problems };
}

export interface CheckOutcome {
  /** `test_x.py::test_a` */
  key: string;
  outcome: string;
  message: string;
}

/**
 * Whether a mutant was caught as declared: some check failed (a check failure, not the app
 * failing to load) with the declared phrase in its message, and, when the checks carry markers,
 * that check covers the mutant's requirement. Returns undefined when caught, else why not.
 */
export function judgeMutant(spec: MutantSpec, outcomes: readonly CheckOutcome[], markers?: ReadonlyMap<string, number[] | undefined>): string | undefined {
  const failing = outcomes.filter((o) => o.outcome === 'failed');
  if (!failing.length) {
    const errored = outcomes.filter((o) => o.outcome === 'errored');
    return errored.length
      ? `no check failed; ${errored.length} errored (${errored[0].message.slice(0, 120)}): a mutant must load and fail a check`
      : 'no check failed: the checks miss this mistake';
  }
  const phrase = spec.expect.toLowerCase();
  const withPhrase = failing.filter((o) => o.message.toLowerCase().includes(phrase));
  if (!withPhrase.length) return `no failing check says "${spec.expect}"; they said: ${failing.map((o) => `${o.key.split('::')[1]}: ${o.message.slice(0, 140)}`).join(' | ')}`;
  if (markers) {
    const onReq = withPhrase.filter((o) => markers.get(o.key.split('::')[1])?.includes(spec.requirement));
    if (!onReq.length) return `the check that says "${spec.expect}" (${withPhrase[0].key.split('::')[1]}) does not cover requirement ${spec.requirement}`;
  }
  return undefined;
}
