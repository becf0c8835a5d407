/**
 * The VS Code snippet grammar, without `vscode`: the syntax tree of a snippet body and a parser
 * for it (https://code.visualstudio.com/docs/editor/userdefinedsnippets#_grammar) that fails where
 * VS Code's grammar is not followed, and the variables VS Code resolves. Expansion is in
 * ./snippetExpand.ts, the course's lint rules in ./snippetLint.ts; ./snippetBody.ts exports all three.
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

/** Every node, depth first, in document order (a placeholder before its children). */
export function walk(nodes: readonly SnippetNode[], visit: (node: SnippetNode) => void): void {
  for (const node of nodes) {
    visit(node);
    if ((node.type === 'placeholder' || node.type === 'variable') && node.children) walk(node.children, visit);
  }
}

