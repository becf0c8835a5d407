/**
 * The small front matter of walkthrough step files (docs/exercise-format.md, "Walkthroughs").
 * Deliberately not YAML: one `key: value` per line between two `---` lines, values are the
 * rest of the line (trimmed) or a JSON string in double quotes when they need to keep
 * surrounding spaces or start with a quote. Lines starting with `#` are comments. Pure.
 */
export interface FrontMatter {
  data: Map<string, string>;
  /** The text after the closing `---` (or the whole text when there is no front matter). */
  body: string;
  /** 1-based line of the body's first line in the file. */
  bodyLine: number;
  /** `line N: message`. */
  problems: string[];
  /** The file started with a front matter block. */
  present: boolean;
}

const KEY_LINE = /^([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$/;

export function parseFrontMatter(text: string): FrontMatter {
  const source = text.replace(/^\uFEFF/, '');
  const lines = source.split(/\r?\n/);
  const data = new Map<string, string>();
  const problems: string[] = [];
  if (lines[0]?.trim() !== '---') return { data, body: source, bodyLine: 1, problems, present: false };
  let end = -1;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '---') {
      end = i;
      break;
    }
  }
  if (end < 0) return { data, body: '', bodyLine: lines.length + 1, problems: ['line 1: the front matter has no closing "---" line'], present: true };
  for (let i = 1; i < end; i++) {
    const line = lines[i];
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const m = KEY_LINE.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: expected "key: value"`);
      continue;
    }
    const key = m[1];
    let value = m[2].trim();
    if (value.startsWith('"')) {
      try {
        const parsed: unknown = JSON.parse(value);
        if (typeof parsed !== 'string') throw new Error('not a string');
        value = parsed;
      } catch {
        problems.push(`line ${i + 1}: "${key}" starts with a quote but is not a valid JSON string`);
        continue;
      }
    }
    if (data.has(key)) problems.push(`line ${i + 1}: "${key}" is given twice`);
    data.set(key, value);
  }
  return { data, body: lines.slice(end + 1).join('\n'), bodyLine: end + 2, problems, present: true };
}
