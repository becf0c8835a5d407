/**
 * Checks the links and images of course Markdown (walkthrough steps, markdown media, exercise
 * briefs) with markdown-it's own parse, so what is checked is what a Markdown renderer sees.
 * Pure: file existence is asked through a callback. Used by the content checker.
 */
import MarkdownIt from 'markdown-it';
import { isChapterId } from './chapters';
import { COMMAND_ARGS } from './courseCommands';

export interface MdLink {
  kind: 'link' | 'image';
  href: string;
  /** Link text, or the image's alt text. */
  text: string;
  /** 1-based line in the file. */
  line: number;
}

let parser: MarkdownIt | undefined;

function md(): MarkdownIt {
  if (!parser) {
    parser = new MarkdownIt({ html: false, linkify: false });
    // Keep hrefs exactly as written, and let every scheme through: we judge them ourselves.
    parser.normalizeLink = (url: string) => url;
    parser.validateLink = () => true;
  }
  return parser;
}

type Token = ReturnType<MarkdownIt['parse']>[number];

/** Links and images of a Markdown text. `firstLine` is the file line of the text's first line. */
export function collectLinks(text: string, firstLine = 1): MdLink[] {
  const links: MdLink[] = [];
  const walk = (tokens: Token[], line: number) => {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      const here = t.map ? t.map[0] + firstLine : line;
      if (t.type === 'link_open') {
        let text = '';
        for (let j = i + 1; j < tokens.length && tokens[j].type !== 'link_close'; j++) text += tokens[j].content;
        links.push({ kind: 'link', href: t.attrGet('href') ?? '', text, line: here });
      } else if (t.type === 'image') {
        links.push({ kind: 'image', href: t.attrGet('src') ?? '', text: t.content, line: here });
      }
      if (t.children) walk(t.children, here);
    }
  };
  walk(md().parse(text, {}), firstLine);
  return links;
}

export interface LinkRules {
  /**
   * `step`: a walkthrough step description (VS Code opens only `command:` and `https:` links
   * there); `document`: a Markdown document (brief, markdown media), relative links allowed.
   */
  where: 'step' | 'document';
  /** Commands the extension contributes (package.json). */
  commands: ReadonlySet<string>;
  /** Other commands links may use (VS Code's own). */
  builtinCommands: ReadonlySet<string>;
  exerciseIds: ReadonlySet<string>;
  /** Snippet prefixes (snippets/catalog.json); when absent, snippet names are not checked. */
  snippetPrefixes?: ReadonlySet<string>;
  /** Does this path (relative to the Markdown file, decoded, without `#…`) exist? */
  fileExists(relative: string): boolean;
}

const COMMAND_LINK = /^command:(?:toSide:)?([A-Za-z0-9_.-]+)(?:\?(.*))?$/s;

export function parseCommandLink(href: string): { command: string; args?: unknown; error?: string } | undefined {
  const m = COMMAND_LINK.exec(href);
  if (!m) return undefined;
  if (m[2] === undefined || m[2] === '') return { command: m[1] };
  let text = m[2];
  try {
    text = decodeURIComponent(text);
  } catch {
    /* VS Code retries with the raw text too */
  }
  try {
    return { command: m[1], args: JSON.parse(text) };
  } catch (e) {
    return { command: m[1], error: `the arguments are not valid JSON (${(e as Error).message})` };
  }
}

function checkCommandArgs(command: string, args: unknown, rules: LinkRules): string | undefined {
  if (!command.startsWith('flaskTutor.')) return undefined;
  if (args === undefined) return undefined;
  if (!Array.isArray(args)) return `${command} takes a JSON array of arguments, like ["f1-first-app"]`;
  const kind = COMMAND_ARGS[command];
  if (kind === undefined) return undefined;
  if (kind === 'none') return args.length ? `${command} takes no arguments` : undefined;
  if (args.length > 1) return `${command} takes one argument`;
  if (!args.length) return undefined;
  const [arg] = args;
  if (typeof arg !== 'string') return `${command} takes a string argument`;
  switch (kind) {
    case 'exercise':
      return rules.exerciseIds.has(arg) ? undefined : `${command}: no exercise "${arg}"`;
    case 'walkthrough':
      return arg === 'start' || isChapterId(arg) ? undefined : `${command}: "${arg}" is neither "start" nor a chapter id`;
    case 'chapterOrAll':
      return arg === 'all' || isChapterId(arg) ? undefined : `${command}: "${arg}" is neither "all" nor a chapter id`;
    case 'snippet':
      return !rules.snippetPrefixes || rules.snippetPrefixes.has(arg) ? undefined : `${command}: no snippet "${arg}" (see docs/snippets.md)`;
  }
}

/** The problem with one link or image, if any. */
export function checkLink(link: MdLink, rules: LinkRules): string | undefined {
  const { href } = link;
  if (link.kind === 'image') {
    if (!link.text.trim()) return `image ${href} has no alt text: describe what it shows (![what it shows](${href}))`;
    if (rules.where === 'step') return 'images are not shown in a step description; use "svg" or "image" media';
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return `image ${href}: use a file shipped with the extension (relative path); remote images do not load offline`;
    return resolveRelative(href, rules, 'image');
  }
  if (!href) return `link "${link.text}" has no target`;
  if (href.startsWith('command:')) {
    const parsed = parseCommandLink(href);
    if (!parsed) return `malformed command link: ${href}`;
    if (!rules.commands.has(parsed.command) && !rules.builtinCommands.has(parsed.command)) {
      return `command link names ${parsed.command}, which the extension does not contribute`;
    }
    if (parsed.error) return `${parsed.command}: ${parsed.error}`;
    return checkCommandArgs(parsed.command, parsed.args, rules);
  }
  if (/^https:\/\//i.test(href)) return undefined;
  // http is for the learner's own dev server only (`flask run`).
  if (/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?([/?#]|$)/i.test(href)) return undefined;
  if (/^http:\/\//i.test(href)) return `use https: ${href}`;
  if (/^mailto:/i.test(href)) return rules.where === 'step' ? `${href}: step descriptions open only command: and https: links` : undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return `links with this scheme do not work here: ${href}`;
  if (rules.where === 'step') return `${href}: step descriptions open only command: and https: links`;
  if (href.startsWith('#')) return undefined;
  return resolveRelative(href, rules, 'link');
}

function resolveRelative(href: string, rules: LinkRules, what: 'link' | 'image'): string | undefined {
  const path = href.replace(/[#?].*$/, '');
  if (!path) return undefined;
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return `${what} ${href} is not a valid URL path`;
  }
  if (decoded.startsWith('/')) return `${what} ${href}: use a path relative to this file`;
  return rules.fileExists(decoded) ? undefined : `${what} ${href} does not exist`;
}

/** Every problem of a Markdown text, as `line N: message`. */
export function checkMarkdown(text: string, rules: LinkRules, firstLine = 1): string[] {
  const problems: string[] = [];
  for (const link of collectLinks(text, firstLine)) {
    const problem = checkLink(link, rules);
    if (problem) problems.push(`line ${link.line}: ${problem}`);
  }
  text.split(/\r?\n/).forEach((line, i) => {
    if (/<img\b/i.test(line)) problems.push(`line ${firstLine + i}: raw HTML images are not rendered; use ![alt text](path)`);
  });
  return problems;
}
