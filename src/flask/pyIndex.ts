/**
 * What one Python file says about a Flask app: its apps and blueprints, the routes and their
 * views, and the places that name an endpoint (`url_for`) or a template (`render_template`).
 * Read from the tree-sitter tree alone: no import is run. Pure: no `vscode`, no LSP types.
 */
import { callArguments, calleeName, children, collect, Collected, enclosingFunction, Node, Span, spanOf, stringContentSpan, stringValue, Tree, underMainGuard } from './syntax';

export interface BlueprintDef {
  /** The Python variable (`bp` in `bp = Blueprint("todos", __name__)`). */
  variable: string;
  /** The blueprint's name: the endpoint prefix. */
  name: string;
  urlPrefix?: string;
  templateFolder?: string;
  span: Span;
}

export interface RouteDef {
  /** The URL rule as written (`/todos/<int:todo_id>`), without a blueprint prefix. */
  rule: string;
  methods: string[];
  /** The variable the route is registered on (`app`, `bp`). */
  owner: string;
  /** The endpoint's own name: `endpoint=` or the view function's name. */
  name: string;
  view: string;
  /** The view function's parameters (without `*args`/`**kwargs`); undefined when it takes `**kwargs`. */
  viewParams: string[] | undefined;
  /** The decorator line (for a CodeLens) and the view's name (for go to definition). */
  decoratorSpan: Span;
  ruleSpan: Span;
  viewSpan: Span;
  /** Decorators of the view, top to bottom, as text ("app.route(...)", "login_required"). */
  decorators: string[];
}

export interface UrlForCall {
  endpoint: string;
  /** The literal's content (inside the quotes). */
  span: Span;
  keywords: string[];
  /** `**values` was passed: any parameter may be in it. */
  splat: boolean;
  /** The view function the call sits in (for `.relative` endpoints), if any. */
  inFunction?: string;
}

export interface TemplateRef {
  name: string;
  span: Span;
}

export interface PyFileIndex {
  /** Variables bound to `Flask(...)` in this file. */
  apps: string[];
  blueprints: BlueprintDef[];
  routes: RouteDef[];
  urlFors: UrlForCall[];
  templates: TemplateRef[];
  /** `app.register_blueprint(bp, url_prefix=...)` calls: variable → prefix. */
  registrations: { variable: string; urlPrefix?: string }[];
  /** Endpoints are also registered in ways not read here (add_url_rule, views, Flask-RESTX). */
  dynamicEndpoints: boolean;
  /** `X.run(...)` calls at module level, outside `if __name__ == "__main__":`. */
  runs: { owner: string; span: Span }[];
}

export const emptyIndex = (): PyFileIndex => ({ apps: [], blueprints: [], routes: [], urlFors: [], templates: [], registrations: [], dynamicEndpoints: false, runs: [] });

/** One index of several (a file's statements, in order). */
export function mergeIndexes(parts: PyFileIndex[]): PyFileIndex {
  const out = emptyIndex();
  for (const p of parts) {
    out.apps.push(...p.apps);
    out.blueprints.push(...p.blueprints);
    out.routes.push(...p.routes);
    out.urlFors.push(...p.urlFors);
    out.templates.push(...p.templates);
    out.registrations.push(...p.registrations);
    out.runs.push(...p.runs);
    out.dynamicEndpoints ||= p.dynamicEndpoints;
  }
  return out;
}

/** The calls this index reads (by the last name of the callee). */
const INDEXED_CALLS = new Set(['Flask', 'Blueprint', 'url_for', 'render_template', 'register_blueprint', 'run', 'add_url_rule']);

/** Calls that register endpoints this index does not follow. */
const DYNAMIC = /(^|\.)(add_resource|add_namespace|Api|Namespace|Resource)$/;

const METHOD_SHORTCUTS = ['get', 'post', 'put', 'patch', 'delete'];

function listOfStrings(n: Node | undefined): string[] {
  if (!n || (n.type !== 'list' && n.type !== 'tuple' && n.type !== 'set')) return [];
  return children(n)
    .map((c) => stringValue(c))
    .filter((s): s is string => s !== undefined);
}

function assignedName(call: Node): string | undefined {
  const parent = call.parent;
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === call.id) {
    const left = parent.childForFieldName('left');
    if (left?.type === 'identifier') return left.text;
  }
  return undefined;
}

/** The parameters of a function_definition; undefined when it has `**kwargs`. */
export function parameterNames(fn: Node): string[] | undefined {
  const names: string[] = [];
  for (const p of children(fn.childForFieldName('parameters'))) {
    if (p.type === 'identifier') names.push(p.text);
    else if (p.type === 'typed_parameter') {
      const id = children(p).find((c) => c.type === 'identifier');
      if (id) names.push(id.text);
    } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      const name = p.childForFieldName('name')?.text;
      if (name) names.push(name);
    } else if (p.type === 'dictionary_splat_pattern') return undefined;
  }
  return names;
}

function routeOf(decorator: Node, fn: Node, decorators: string[]): RouteDef | undefined {
  const call = children(decorator).find((c) => c.type === 'call');
  if (!call) return undefined;
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'attribute') return undefined;
  const owner = callee.childForFieldName('object');
  const method = callee.childForFieldName('attribute')?.text ?? '';
  if (owner?.type !== 'identifier' || (method !== 'route' && !METHOD_SHORTCUTS.includes(method))) return undefined;
  const { positional, keywords } = callArguments(call);
  const ruleNode = positional[0];
  const rule = stringValue(ruleNode);
  if (rule === undefined || !ruleNode) return undefined;
  const methods =
    method === 'route' ? (keywords.has('methods') ? listOfStrings(keywords.get('methods')).map((m) => m.toUpperCase()) : ['GET']) : [method.toUpperCase()];
  const nameNode = fn.childForFieldName('name')!;
  return {
    rule,
    methods,
    owner: owner.text,
    name: stringValue(keywords.get('endpoint')) ?? nameNode.text,
    view: nameNode.text,
    viewParams: parameterNames(fn),
    decoratorSpan: spanOf(decorator),
    ruleSpan: stringContentSpan(ruleNode),
    viewSpan: spanOf(nameNode),
    decorators,
  };
}

/**
 * `app.add_url_rule("/", endpoint="index")`, `bp.add_url_rule("/x", view_func=show)`,
 * `app.add_url_rule("/t", view_func=TodoAPI.as_view("todos"))`: a route when its endpoint can be
 * read; undefined otherwise (the index then says endpoints are dynamic).
 */
function urlRuleOf(call: Node, positional: Node[], keywords: Map<string, Node>): RouteDef | undefined {
  const owner = call.childForFieldName('function')?.childForFieldName('object');
  const ruleNode = positional[0] ?? keywords.get('rule');
  const rule = stringValue(ruleNode);
  if (owner?.type !== 'identifier' || rule === undefined || !ruleNode) return undefined;
  const view = positional[2] ?? keywords.get('view_func');
  let name = stringValue(positional[1] ?? keywords.get('endpoint'));
  if (name === undefined && view?.type === 'identifier') name = view.text;
  if (name === undefined && view?.type === 'call' && calleeName(view).endsWith('.as_view')) name = stringValue(callArguments(view).positional[0]);
  if (name === undefined) return undefined;
  const methods = keywords.has('methods') ? listOfStrings(keywords.get('methods')).map((m) => m.toUpperCase()) : ['GET'];
  return {
    rule,
    methods,
    owner: owner.text,
    name,
    view: view?.type === 'identifier' ? view.text : name,
    viewParams: undefined,
    decoratorSpan: spanOf(call),
    ruleSpan: stringContentSpan(ruleNode),
    viewSpan: spanOf(view ?? call),
    decorators: [],
  };
}

/** The index of a whole file. */
export function indexPython(tree: Tree): PyFileIndex {
  return indexNode(tree.rootNode);
}

/** The index of one node and what is inside it (a file's top-level statement, or the module). */
export function indexNode(root: Node, nodes: Collected = collect(root)): PyFileIndex {
  const index = emptyIndex();
  for (const call of nodes.call) {
    const callee = calleeName(call);
    const short = callee.split('.').pop() ?? '';
    if (DYNAMIC.test(callee)) index.dynamicEndpoints = true;
    // Reading arguments crosses into WASM for every node: only for the calls this index keeps.
    if (!INDEXED_CALLS.has(short)) continue;
    const { positional, keywords, splat } = callArguments(call);
    if (short === 'Flask') {
      const name = assignedName(call);
      if (name) index.apps.push(name);
    } else if (short === 'Blueprint') {
      const variable = assignedName(call);
      const name = stringValue(positional[0]);
      if (variable && name !== undefined) {
        index.blueprints.push({
          variable,
          name,
          urlPrefix: stringValue(keywords.get('url_prefix')),
          templateFolder: stringValue(keywords.get('template_folder')),
          span: spanOf(call),
        });
      }
    } else if (short === 'url_for' && positional[0]) {
      const endpoint = stringValue(positional[0]);
      if (endpoint !== undefined) {
        const fn = enclosingFunction(call, nodes.function_definition);
        index.urlFors.push({
          endpoint,
          span: stringContentSpan(positional[0]),
          keywords: [...keywords.keys()].filter((k) => k !== '_external' && k !== '_anchor' && k !== '_method' && k !== '_scheme'),
          splat,
          inFunction: fn?.childForFieldName('name')?.text,
        });
      }
    } else if (short === 'render_template' && positional[0]) {
      const name = stringValue(positional[0]);
      if (name !== undefined) index.templates.push({ name, span: stringContentSpan(positional[0]) });
    } else if (short === 'add_url_rule') {
      const route = urlRuleOf(call, positional, keywords);
      if (route) index.routes.push(route);
      else index.dynamicEndpoints = true;
    } else if (callee.endsWith('.register_blueprint') && positional[0]?.type === 'identifier') {
      index.registrations.push({ variable: positional[0].text, urlPrefix: stringValue(keywords.get('url_prefix')) });
    } else if (/^\w+\.run$/.test(callee) && !enclosingFunction(call) && !underMainGuard(call)) {
      index.runs.push({ owner: callee.split('.')[0], span: spanOf(call) });
    }
  }
  for (const def of nodes.decorated_definition) {
    const fn = def.childForFieldName('definition');
    if (fn?.type !== 'function_definition') continue;
    const decorators = children(def).filter((c) => c.type === 'decorator');
    const texts = decorators.map((d) => d.text.replace(/^@/, ''));
    for (const d of decorators) {
      const route = routeOf(d, fn, texts);
      if (route) index.routes.push(route);
    }
  }
  // Document order, whether a route came from a decorator or an add_url_rule call: the index of a
  // module and the merged indexes of its statements list the same routes the same way.
  if (nodes.decorated_definition.length && index.routes.length > 1) {
    const at = (r: RouteDef) => r.decoratorSpan.start;
    index.routes.sort((a, b) => at(a).line - at(b).line || at(a).character - at(b).character);
  }
  return index;
}

/** The names of a URL rule's variables: `/todos/<int:todo_id>/<slug>` → todo_id, slug. */
export function ruleVariables(rule: string): string[] {
  return [...rule.matchAll(/<(?:[^:<>]+:)?([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]);
}
