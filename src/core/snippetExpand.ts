/**
 * Snippet expansion, without `vscode`: the text a snippet body inserts when every tab stop keeps
 * its default (or a chosen option), with variables and `/regex/format/flags` transforms applied
 * the way VS Code does, and one expansion per choice option for checkers.
 */
import { ChoiceNode, FormatGroup, KNOWN_VARIABLES, ParsedSnippet, parseSnippet, SAMPLE_VARIABLES, SnippetNode, Transform, walk } from './snippetSyntax';

export interface ExpandOptions {
  /** Variable values; defaults to SAMPLE_VARIABLES. Unknown variables expand to their name. */
  readonly variables?: Readonly<Record<string, string>>;
  /** The option to use per choice index (default: each choice's first option). */
  readonly choices?: Readonly<Record<number, string>>;
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
