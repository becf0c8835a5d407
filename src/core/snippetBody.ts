/**
 * VS Code snippet bodies, without `vscode`: a parser for the snippet grammar
 * (https://code.visualstudio.com/docs/editor/userdefinedsnippets#_grammar), an expander that
 * produces the text a snippet inserts when every tab stop keeps its default, and the lint rules
 * the course's snippets follow. Used by the extension's snippet command, by
 * scripts/snippets.mjs and scripts/check-snippets.mjs, and by the unit tests.
 */

export type SnippetNode = TextNode | TabstopNode | PlaceholderNode | ChoiceNode | VariableNode;

export interface TextNode {
  readonly type: 'text';
  readonly value: string;
  readonly offset: number;
}
export interface TabstopNode {
  readonly type: 'tabstop';
  readonly index: number;
  readonly transform?: Transform;
  readonly offset: number;
}
export interface PlaceholderNode {
  readonly type: 'placeholder';
  readonly index: number;
  readonly children: readonly SnippetNode[];
  readonly offset: number;
}
export interface ChoiceNode {
  readonly type: 'choice';
  readonly index: number;
  readonly options: readonly string[];
  readonly offset: number;
}
export interface VariableNode {
  readonly type: 'variable';
  readonly name: string;
  /** The default (`${NAME:default}`), used when the variable is unset or empty. */
  readonly children?: readonly SnippetNode[];
  readonly transform?: Transform;
  readonly offset: number;
}
export interface Transform {
  readonly regex: string;
  readonly format: readonly FormatItem[];
  readonly flags: string;
}
export type FormatItem = string | FormatGroup;
export interface FormatGroup {
  readonly group: number;
  readonly modifier?: string;
  readonly ifValue?: string;
  readonly elseValue?: string;
}

export interface ParsedSnippet {
  readonly nodes: readonly SnippetNode[];
  /** Offsets of `$` signs that start nothing and are inserted literally (they should be `\$`). */
  readonly looseDollars: readonly number[];
}

export class SnippetSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'SnippetSyntaxError';
  }
}

/** The variables VS Code resolves in snippets. Any other `$NAME` is inserted as its own name. */
export const KNOWN_VARIABLES: ReadonlySet<string> = new Set([
  'TM_SELECTED_TEXT', 'TM_CURRENT_LINE', 'TM_CURRENT_WORD', 'TM_LINE_INDEX', 'TM_LINE_NUMBER',
  'TM_FILENAME', 'TM_FILENAME_BASE', 'TM_DIRECTORY', 'TM_FILEPATH', 'RELATIVE_FILEPATH',
  'CLIPBOARD', 'WORKSPACE_NAME', 'WORKSPACE_FOLDER', 'CURSOR_INDEX', 'CURSOR_NUMBER',
  'CURRENT_YEAR', 'CURRENT_YEAR_SHORT', 'CURRENT_MONTH', 'CURRENT_MONTH_NAME',
  'CURRENT_MONTH_NAME_SHORT', 'CURRENT_DATE', 'CURRENT_DAY_NAME', 'CURRENT_DAY_NAME_SHORT',
  'CURRENT_HOUR', 'CURRENT_MINUTE', 'CURRENT_SECOND', 'CURRENT_SECONDS_UNIX',
  'CURRENT_TIMEZONE_OFFSET', 'RANDOM', 'RANDOM_HEX', 'UUID', 'LINE_COMMENT',
  'BLOCK_COMMENT_START', 'BLOCK_COMMENT_END',
]);

/**
 * Sample values for expanding outside an editor: as if the snippet were inserted into
 * `/workspace/project/app/views.py` with nothing selected. Empty values fall back to the default.
 */
export const SAMPLE_VARIABLES: Readonly<Record<string, string>> = {
  TM_SELECTED_TEXT: '',
  TM_CURRENT_LINE: '',
  TM_CURRENT_WORD: '',
  TM_LINE_INDEX: '0',
  TM_LINE_NUMBER: '1',
  TM_FILENAME: 'views.py',
  TM_FILENAME_BASE: 'views',
  TM_DIRECTORY: '/workspace/project/app',
  TM_FILEPATH: '/workspace/project/app/views.py',
  RELATIVE_FILEPATH: 'app/views.py',
  CLIPBOARD: '',
  WORKSPACE_NAME: 'project',
  WORKSPACE_FOLDER: '/workspace/project',
  CURSOR_INDEX: '0',
  CURSOR_NUMBER: '1',
  CURRENT_YEAR: '2025',
  CURRENT_YEAR_SHORT: '25',
  CURRENT_MONTH: '01',
  CURRENT_MONTH_NAME: 'January',
  CURRENT_MONTH_NAME_SHORT: 'Jan',
  CURRENT_DATE: '01',
  CURRENT_DAY_NAME: 'Wednesday',
  CURRENT_DAY_NAME_SHORT: 'Wed',
  CURRENT_HOUR: '12',
  CURRENT_MINUTE: '00',
  CURRENT_SECOND: '00',
  CURRENT_SECONDS_UNIX: '1735732800',
  CURRENT_TIMEZONE_OFFSET: '+00:00',
  RANDOM: '123456',
  RANDOM_HEX: 'a1b2c3',
  UUID: '00000000-0000-4000-8000-000000000000',
  LINE_COMMENT: '#',
  BLOCK_COMMENT_START: '<!--',
  BLOCK_COMMENT_END: '-->',
};

// ---------------------------------------------------------------------------------------------
// Parsing

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isNameStart = (c: string | undefined): boolean => c !== undefined && /[_a-zA-Z]/.test(c);
const isNamePart = (c: string | undefined): boolean => c !== undefined && /[_a-zA-Z0-9]/.test(c);

class Parser {
  private pos = 0;
  readonly looseDollars: number[] = [];

  constructor(private readonly src: string) {}

  parse(): SnippetNode[] {
    const nodes = this.parseAny(false);
    if (this.pos < this.src.length) throw this.error(`unexpected '${this.src[this.pos]}'`);
    return nodes;
  }

  /** Text and nested elements, up to the end or (inside a placeholder) an unescaped `}`. */
  private parseAny(inside: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let text = '';
    let textStart = 0;
    const append = (value: string, advance: number): void => {
      if (!text) textStart = this.pos;
      text += value;
      this.pos += advance;
    };
    const flush = (): void => {
      if (text) nodes.push({ type: 'text', value: text, offset: textStart });
      text = '';
    };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      const next = this.src[this.pos + 1];
      if (c === '\\' && (next === '$' || next === '}' || next === '\\')) {
        append(next, 2);
      } else if (c === '}' && inside) {
        break;
      } else if (c === '$') {
        const start = this.pos;
        const node = this.parseDollar();
        if (node) {
          flush();
          nodes.push(node);
        } else {
          this.looseDollars.push(start);
          append(c, 1);
        }
      } else {
        append(c, 1);
      }
    }
    flush();
    return nodes;
  }

  /** At a `$`: a tab stop, placeholder, choice or variable, or null when the `$` is literal. */
  private parseDollar(): SnippetNode | null {
    const offset = this.pos;
    const next = this.src[this.pos + 1];
    if (isDigit(next)) {
      this.pos++;
      return { type: 'tabstop', index: this.readInt(), offset };
    }
    if (isNameStart(next)) {
      this.pos++;
      return { type: 'variable', name: this.readName(), offset };
    }
    if (next !== '{') return null;
    this.pos += 2;
    if (isDigit(this.src[this.pos])) {
      const index = this.readInt();
      const c = this.src[this.pos];
      if (c === '}') {
        this.pos++;
        return { type: 'tabstop', index, offset };
      }
      if (c === ':') {
        this.pos++;
        const children = this.parseAny(true);
        this.expect('}', `unterminated placeholder \${${index}:…}`, offset);
        return { type: 'placeholder', index, children, offset };
      }
      if (c === '|') {
        this.pos++;
        return { type: 'choice', index, options: this.parseChoiceOptions(offset), offset };
      }
      if (c === '/') {
        const transform = this.parseTransform(offset);
        return { type: 'tabstop', index, transform, offset };
      }
      throw this.error(`expected '}', ':', '|' or '/' after \${${index}`);
    }
    if (isNameStart(this.src[this.pos])) {
      const name = this.readName();
      const c = this.src[this.pos];
      if (c === '}') {
        this.pos++;
        return { type: 'variable', name, offset };
      }
      if (c === ':') {
        this.pos++;
        const children = this.parseAny(true);
        this.expect('}', `unterminated variable \${${name}:…}`, offset);
        return { type: 'variable', name, children, offset };
      }
      if (c === '/') {
        const transform = this.parseTransform(offset);
        return { type: 'variable', name, transform, offset };
      }
      throw this.error(`expected '}', ':' or '/' after \${${name}`);
    }
    throw new SnippetSyntaxError("expected a tab stop number or a variable name after '${' (write \\$ for a literal $)", offset);
  }

  /** After `${n|`: options separated by `,`, ended by `|}`; `\,` `\|` `\\` escape. */
  private parseChoiceOptions(offset: number): string[] {
    const options: string[] = [];
    let current = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === ',' || next === '|' || next === '\\') {
          current += next;
          this.pos += 2;
          continue;
        }
        current += c;
        this.pos++;
        continue;
      }
      if (c === ',') {
        options.push(current);
        current = '';
        this.pos++;
        continue;
      }
      if (c === '|') {
        options.push(current);
        this.pos++;
        this.expect('}', "expected '}' after the closing '|' of a choice", offset);
        return options;
      }
      current += c;
      this.pos++;
    }
    throw new SnippetSyntaxError('unterminated choice ${n|…|}', offset);
  }

  /** At the `/` of `${x/regex/format/flags}`; consumes through the closing `}`. */
  private parseTransform(offset: number): Transform {
    this.pos++; // the '/'
    let regex = '';
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw new SnippetSyntaxError('unterminated transform', offset);
      if (c === '\\' && this.src[this.pos + 1] === '/') {
        regex += '/';
        this.pos += 2;
        continue;
      }
      if (c === '\\' && this.src[this.pos + 1] !== undefined) {
        regex += c + this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      this.pos++;
      if (c === '/') break;
      regex += c;
    }
    const format: FormatItem[] = [];
    let text = '';
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw new SnippetSyntaxError('unterminated transform', offset);
      if (c === '\\' && this.src[this.pos + 1] !== undefined) {
        text += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === '/') {
        this.pos++;
        break;
      }
      if (c === '$') {
        const group = this.parseFormatGroup();
        if (group) {
          if (text) format.push(text);
          text = '';
          format.push(group);
          continue;
        }
      }
      text += c;
      this.pos++;
    }
    if (text) format.push(text);
    let flags = '';
    while (this.src[this.pos] !== undefined && this.src[this.pos] !== '}') flags += this.src[this.pos++];
    this.expect('}', 'unterminated transform', offset);
    try {
      new RegExp(regex, flags);
    } catch (e) {
      throw new SnippetSyntaxError(`invalid transform regex: ${(e as Error).message}`, offset);
    }
    return { regex, format, flags };
  }

  /** `$n`, `${n}`, `${n:/upcase}`, `${n:+if}`, `${n:?if:else}`, `${n:-else}`, `${n:else}`. */
  private parseFormatGroup(): FormatGroup | null {
    const start = this.pos;
    if (isDigit(this.src[this.pos + 1])) {
      this.pos++;
      return { group: this.readInt() };
    }
    if (this.src[this.pos + 1] !== '{' || !isDigit(this.src[this.pos + 2])) return null;
    this.pos += 2;
    const group = this.readInt();
    if (this.src[this.pos] === '}') {
      this.pos++;
      return { group };
    }
    if (this.src[this.pos] !== ':') {
      this.pos = start;
      return null;
    }
    this.pos++;
    const readUntil = (stops: string): string => {
      let value = '';
      while (this.src[this.pos] !== undefined && !stops.includes(this.src[this.pos])) {
        if (this.src[this.pos] === '\\' && this.src[this.pos + 1] !== undefined) {
          value += this.src[this.pos + 1];
          this.pos += 2;
        } else {
          value += this.src[this.pos++];
        }
      }
      return value;
    };
    let result: FormatGroup;
    const c = this.src[this.pos];
    if (c === '/') {
      this.pos++;
      result = { group, modifier: readUntil('}') };
    } else if (c === '+') {
      this.pos++;
      result = { group, ifValue: readUntil('}') };
    } else if (c === '?') {
      this.pos++;
      const ifValue = readUntil(':}');
      let elseValue = '';
      if (this.src[this.pos] === ':') {
        this.pos++;
        elseValue = readUntil('}');
      }
      result = { group, ifValue, elseValue };
    } else {
      if (c === '-') this.pos++;
      result = { group, elseValue: readUntil('}') };
    }
    if (this.src[this.pos] !== '}') throw new SnippetSyntaxError('unterminated format group in transform', start);
    this.pos++;
    return result;
  }

  private readInt(): number {
    const start = this.pos;
    while (isDigit(this.src[this.pos])) this.pos++;
    return Number(this.src.slice(start, this.pos));
  }

  private readName(): string {
    const start = this.pos;
    while (isNamePart(this.src[this.pos])) this.pos++;
    return this.src.slice(start, this.pos);
  }

  private expect(c: string, message: string, offset: number): void {
    if (this.src[this.pos] !== c) throw new SnippetSyntaxError(message, offset);
    this.pos++;
  }

  private error(message: string): SnippetSyntaxError {
    return new SnippetSyntaxError(message, this.pos);
  }
}

/** A body as VS Code reads it: a string, or an array of lines joined with `\n`. */
export function joinBody(body: string | readonly string[]): string {
  return typeof body === 'string' ? body : body.join('\n');
}

/** Parses a snippet body. Throws SnippetSyntaxError where VS Code's grammar is not followed. */
export function parseSnippet(body: string | readonly string[]): ParsedSnippet {
  const parser = new Parser(joinBody(body));
  const nodes = parser.parse();
  return { nodes, looseDollars: parser.looseDollars };
}

// ---------------------------------------------------------------------------------------------
// Expansion

export interface ExpandOptions {
  /** Variable values; defaults to SAMPLE_VARIABLES. Unknown variables expand to their name. */
  readonly variables?: Readonly<Record<string, string>>;
  /** The option to use per choice index (default: each choice's first option). */
  readonly choices?: Readonly<Record<number, string>>;
}

/** Every node, depth first, in document order (a placeholder before its children). */
export function walk(nodes: readonly SnippetNode[], visit: (node: SnippetNode) => void): void {
  for (const node of nodes) {
    visit(node);
    if ((node.type === 'placeholder' || node.type === 'variable') && node.children) walk(node.children, visit);
  }
}

type Default = { readonly kind: 'children'; readonly children: readonly SnippetNode[] } | { readonly kind: 'choice'; readonly node: ChoiceNode };

/** Like VS Code: the first placeholder (or choice) of an index with a value defines it for all. */
function collectDefaults(nodes: readonly SnippetNode[]): Map<number, Default> {
  const defaults = new Map<number, Default>();
  walk(nodes, (node) => {
    if (node.type === 'placeholder' && node.children.length > 0 && !defaults.has(node.index)) {
      defaults.set(node.index, { kind: 'children', children: node.children });
    } else if (node.type === 'choice' && !defaults.has(node.index)) {
      defaults.set(node.index, { kind: 'choice', node });
    }
  });
  return defaults;
}

/**
 * The text a snippet inserts when every tab stop keeps its default: `${1:default}` → default
 * (recursively), `${1|a,b|}` → `a`, `$1` → the default of tab stop 1 elsewhere or '', variables →
 * their (sample) value or default, escapes resolved, transforms applied.
 */
export function expandSnippet(body: string | readonly string[] | ParsedSnippet, options: ExpandOptions = {}): string {
  const parsed = typeof body === 'object' && 'nodes' in body ? body : parseSnippet(body);
  const variables = options.variables ?? SAMPLE_VARIABLES;
  const defaults = collectDefaults(parsed.nodes);
  const active = new Set<number>();

  const valueOf = (index: number): string => {
    const d = defaults.get(index);
    if (!d || active.has(index)) return '';
    if (d.kind === 'choice') return options.choices?.[index] ?? d.node.options[0] ?? '';
    active.add(index);
    try {
      return render(d.children);
    } finally {
      active.delete(index);
    }
  };

  const render = (nodes: readonly SnippetNode[]): string => {
    let out = '';
    for (const node of nodes) {
      switch (node.type) {
        case 'text':
          out += node.value;
          break;
        case 'tabstop':
          out += node.transform ? applyTransform(valueOf(node.index), node.transform) : valueOf(node.index);
          break;
        case 'placeholder':
        case 'choice':
          out += valueOf(node.index);
          break;
        case 'variable': {
          const value = variables[node.name];
          if (value) out += node.transform ? applyTransform(value, node.transform) : value;
          else if (node.children) out += render(node.children);
          else if (value === undefined && !KNOWN_VARIABLES.has(node.name)) out += node.name;
          break;
        }
      }
    }
    return out;
  };
  return render(parsed.nodes);
}

/** Applies a `/regex/format/flags` transform the way VS Code does. */
export function applyTransform(value: string, transform: Transform): string {
  const regex = new RegExp(transform.regex, transform.flags);
  const matches = regex.global ? [...value.matchAll(regex)] : [regex.exec(value)].filter((m): m is RegExpExecArray => m !== null);
  let out = '';
  let last = 0;
  for (const match of matches) {
    const index = match.index ?? 0;
    out += value.slice(last, index);
    for (const item of transform.format) out += typeof item === 'string' ? item : formatGroup(match[item.group] ?? '', item);
    last = index + match[0].length;
  }
  return out + value.slice(last);
}

function formatGroup(value: string, item: FormatGroup): string {
  switch (item.modifier) {
    case 'upcase':
      return value.toLocaleUpperCase();
    case 'downcase':
      return value.toLocaleLowerCase();
    case 'capitalize':
      return value ? value[0].toLocaleUpperCase() + value.slice(1) : '';
    case 'pascalcase':
    case 'camelcase': {
      const words = value.match(/[a-z0-9]+/gi) ?? [];
      const joined = words.map((w) => w[0].toLocaleUpperCase() + w.slice(1).toLocaleLowerCase()).join('');
      return item.modifier === 'camelcase' && joined ? joined[0].toLocaleLowerCase() + joined.slice(1) : joined;
    }
  }
  if (value && item.ifValue !== undefined) return item.ifValue;
  if (!value && item.elseValue !== undefined) return item.elseValue;
  return value;
}

export interface ExpansionVariant {
  /** `defaults`, or which choice option this variant selects, e.g. `$2=POST`. */
  readonly label: string;
  readonly text: string;
}

/**
 * The default expansion, plus one expansion per further option of every choice (the other
 * choices keeping their first option), so a checker can prove that every option yields valid code.
 */
export function expansionVariants(body: string | readonly string[] | ParsedSnippet, options: Omit<ExpandOptions, 'choices'> = {}): ExpansionVariant[] {
  const parsed = typeof body === 'object' && 'nodes' in body ? body : parseSnippet(body);
  const variants: ExpansionVariant[] = [{ label: 'defaults', text: expandSnippet(parsed, options) }];
  const defaults = collectDefaults(parsed.nodes);
  for (const [index, d] of [...defaults].sort((a, b) => a[0] - b[0])) {
    if (d.kind !== 'choice') continue;
    for (const option of d.node.options.slice(1)) {
      variants.push({ label: `$${index}=${option}`, text: expandSnippet(parsed, { ...options, choices: { [index]: option } }) });
    }
  }
  return variants;
}

// ---------------------------------------------------------------------------------------------
// Lint rules

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
