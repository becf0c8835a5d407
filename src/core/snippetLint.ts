/**
 * The lint rules the course's snippets follow, without `vscode`: a body's snippet syntax (it
 * parses, `$` escaped, one `$0`, tab stops 1..n in order, real choices, one default per tab stop,
 * known variables) and a snippet's fields (prefix scheme, name, description, indentation).
 */
import { expandSnippet } from './snippetExpand';
import { joinBody, KNOWN_VARIABLES, ParsedSnippet, parseSnippet, SnippetSyntaxError, walk } from './snippetSyntax';

/** Line and column (1-based) of an offset in a text. */
export function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function at(text: string, offset: number): string {
  const { line, column } = position(text, offset);
  return `line ${line}:${column}`;
}

/**
 * Problems in a body's snippet syntax: it must parse; a literal `$` must be written `\$`; the
 * final cursor `$0` appears exactly once; tab stops are numbered 1..n without gaps and first
 * appear in that order; choices offer at least two distinct options; the placeholders of one
 * index agree on their default; only variables VS Code knows are used.
 */
export function lintBody(body: string | readonly string[]): string[] {
  const text = joinBody(body);
  let parsed: ParsedSnippet;
  try {
    parsed = parseSnippet(text);
  } catch (e) {
    if (e instanceof SnippetSyntaxError) return [`${at(text, e.offset)}: ${e.message}`];
    throw e;
  }
  const problems: string[] = [];
  for (const offset of parsed.looseDollars) problems.push(`${at(text, offset)}: literal '$' must be escaped as '\\$'`);

  const firstSeen: number[] = [];
  const finals: number[] = [];
  const defaultsSeen = new Map<number, { text: string; offset: number }>();
  walk(parsed.nodes, (node) => {
    if (node.type === 'variable') {
      if (!KNOWN_VARIABLES.has(node.name)) problems.push(`${at(text, node.offset)}: unknown variable '${node.name}' (write \\$ for a literal $)`);
      return;
    }
    if (node.type === 'text') return;
    if (node.index === 0) finals.push(node.offset);
    else if (!firstSeen.includes(node.index)) firstSeen.push(node.index);
    if (node.type === 'choice') {
      if (node.options.length < 2) problems.push(`${at(text, node.offset)}: choice $${node.index} needs at least two options`);
      if (new Set(node.options).size !== node.options.length) problems.push(`${at(text, node.offset)}: choice $${node.index} repeats an option`);
      if (node.options.some((o) => o === '')) problems.push(`${at(text, node.offset)}: choice $${node.index} has an empty option`);
    }
    const value = node.type === 'choice' ? `|${node.options.join(',')}|` : node.type === 'placeholder' && node.children.length > 0 ? `:${expandSnippet({ nodes: node.children, looseDollars: [] })}` : undefined;
    if (value !== undefined) {
      const earlier = defaultsSeen.get(node.index);
      if (!earlier) defaultsSeen.set(node.index, { text: value, offset: node.offset });
      else if (earlier.text !== value) problems.push(`${at(text, node.offset)}: tab stop $${node.index} has a different default than at ${at(text, earlier.offset)}; give the default once and mirror it with $${node.index}`);
    }
  });

  if (finals.length === 0) problems.push('no final cursor position: add $0');
  else if (finals.length > 1) problems.push(`$0 appears ${finals.length} times; the final cursor position must be unique`);
  const max = Math.max(0, ...firstSeen);
  const missing = Array.from({ length: max }, (_, i) => i + 1).filter((i) => !firstSeen.includes(i));
  if (missing.length) problems.push(`tab stop(s) ${missing.map((i) => `$${i}`).join(', ')} missing: number tab stops 1..${max} without gaps`);
  for (let i = 1; i < firstSeen.length; i++) {
    if (firstSeen[i] < firstSeen[i - 1]) {
      problems.push(`tab stop $${firstSeen[i]} first appears after $${firstSeen[i - 1]}: number tab stops in the order they appear`);
      break;
    }
  }
  return problems;
}

/** The shape of one snippet in the course's sources and catalog. */
export interface SnippetDefinition {
  readonly prefix: string;
  readonly name: string;
  readonly description: string;
  readonly body: string | readonly string[];
}

/** `fl-` then lower-case words joined by single hyphens, e.g. `fl-app-factory`. */
export const PREFIX_PATTERN = /^fl(?:-[a-z0-9]+)+$/;

/** Problems with one snippet's fields, the body's lint included. */
export function lintSnippet(snippet: SnippetDefinition): string[] {
  const problems: string[] = [];
  if (!PREFIX_PATTERN.test(snippet.prefix)) problems.push(`prefix '${snippet.prefix}' does not follow the scheme fl-word[-word…] (lower case, digits, hyphens)`);
  if (!snippet.name || snippet.name.trim() !== snippet.name) problems.push('name is missing or has surrounding whitespace');
  else if (snippet.name.length > 60) problems.push(`name is ${snippet.name.length} characters; keep it to 60`);
  const description = snippet.description ?? '';
  if (description.trim().length < 20) problems.push('description is missing or too short: say what the snippet inserts');
  else if (description.trim() !== description) problems.push('description has surrounding whitespace');
  else if (!/[.)]$/.test(description)) problems.push('description should end with a full stop');
  const lines = typeof snippet.body === 'string' ? snippet.body.split('\n') : [...snippet.body];
  if (lines.length === 0 || lines.every((l) => l.trim() === '')) problems.push('body is empty');
  lines.forEach((line, i) => {
    if (/[ \t]$/.test(line)) problems.push(`line ${i + 1}: trailing whitespace`);
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (/ \t/.test(indent)) problems.push(`line ${i + 1}: a tab after spaces in the indentation`);
    else if (/^ {2,}/.test(indent)) problems.push(`line ${i + 1}: indent with tabs (VS Code converts them to the editor's indentation)`);
    // A path placeholder after a literal "/" gives "//hello" when the learner types "/hello".
    if (/"\/\$\{\d+:/.test(line)) problems.push(`line ${i + 1}: put the leading "/" of a path inside its placeholder ("\${2:/path}", not "/\${2:path}"): learners type the slash`);
  });
  problems.push(...lintBody(snippet.body));
  return problems;
}

/** The keys that occur more than once, each with the items that share it. */
export function findDuplicates<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  for (const [k, group] of groups) if (group.length < 2) groups.delete(k);
  return groups;
}
