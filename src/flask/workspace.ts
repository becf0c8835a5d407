/**
 * The Flask app of a workspace, put together from every Python file's index and the template
 * files: endpoints with their rules and views, template names, and what `url_for` /
 * `render_template` calls may name. Pure: no `vscode`, no LSP types; the server feeds it.
 */
import { BlueprintDef, PyFileIndex, RouteDef, ruleVariables } from './pyIndex';
import type { Span } from './syntax';

export interface Endpoint {
  /** Blueprint-qualified name (`todos.show`), as `url_for` takes it. */
  name: string;
  blueprint?: string;
  routes: RouteDef[];
  /** The file of each route (same order as `routes`). */
  routeUris: string[];
  /** Full rules with the blueprint's prefix. */
  rules: string[];
  methods: string[];
  /** Variables every rule of the endpoint needs. */
  required: string[];
  /** Variables any rule takes. */
  params: string[];
  uri: string;
  viewSpan: Span;
}

export interface TemplateFile {
  uri: string;
  /** The name `render_template` takes: the path under a template folder, with "/". */
  name: string;
}

/** Folder names that hold templates, besides the app's and blueprints' `template_folder`. */
const TEMPLATE_ROOT = 'templates';

/** The template name of a file path, or undefined when it is under no template folder. */
export function templateName(filePath: string, roots: Iterable<string> = [TEMPLATE_ROOT]): string | undefined {
  const parts = filePath.replace(/\\/g, '/').split('/');
  let best: number | undefined;
  for (const root of roots) {
    const last = parts.lastIndexOf(root);
    if (last >= 0 && last < parts.length - 1 && (best === undefined || last > best)) best = last;
  }
  return best === undefined ? undefined : parts.slice(best + 1).join('/');
}

function joinRule(prefix: string | undefined, rule: string): string {
  if (!prefix) return rule;
  return `${prefix.replace(/\/$/, '')}/${rule.replace(/^\//, '')}`.replace(/\/$/, rule.endsWith('/') || rule === '' ? '/' : '');
}

/**
 * The blueprint a route's owner (`bp` of `@bp.route`) names: one defined in the route's own file,
 * none when the owner is that file's app, else the first of that variable name in another file.
 */
function ownerBlueprint(file: PyFileIndex | undefined, owner: string, elsewhere: (variable: string) => BlueprintDef | undefined): BlueprintDef | undefined {
  const own = file?.blueprints.find((b) => b.variable === owner);
  if (own) return own;
  if (file?.apps.includes(owner)) return undefined;
  return elsewhere(owner);
}

export class FlaskWorkspace {
  private readonly files = new Map<string, PyFileIndex>();
  private readonly templates = new Map<string, TemplateFile>();

  /** Changes whenever a file's routes or blueprints change (not on other edits). */
  routesVersion = 0;
  private readonly routeKeys = new Map<string, string>();

  setPython(uri: string, index: PyFileIndex): void {
    this.files.set(uri, index);
    this.invalidate();
    const key = JSON.stringify([index.routes.map((r) => [r.owner, r.name, r.rule, r.methods, r.view, r.viewSpan.start.line]), index.blueprints.map((b) => [b.variable, b.name, b.urlPrefix]), index.registrations, index.apps]);
    if (this.routeKeys.get(uri) !== key) {
      this.routeKeys.set(uri, key);
      this.routesVersion++;
    }
  }

  removePython(uri: string): void {
    this.files.delete(uri);
    this.invalidate();
    if (this.routeKeys.delete(uri)) this.routesVersion++;
  }

  private invalidate(): void {
    this.byName = undefined;
    this.sorted = undefined;
  }

  python(uri: string): PyFileIndex | undefined {
    return this.files.get(uri);
  }

  pythonUris(): string[] {
    return [...this.files.keys()];
  }

  setTemplate(file: TemplateFile): void {
    this.templates.set(file.uri, file);
  }

  removeTemplate(uri: string): void {
    this.templates.delete(uri);
  }

  templateFiles(): TemplateFile[] {
    return [...this.templates.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  templateNamed(name: string): TemplateFile | undefined {
    for (const t of this.templates.values()) if (t.name === name) return t;
    return undefined;
  }

  /** Folder names declared as template folders (`template_folder=`), plus "templates". */
  templateRoots(): string[] {
    const roots = new Set([TEMPLATE_ROOT]);
    for (const f of this.files.values()) for (const b of f.blueprints) if (b.templateFolder) roots.add(b.templateFolder.split('/').pop()!);
    return [...roots];
  }

  /** Whether the workspace holds a Flask app or blueprint at all. */
  isFlask(): boolean {
    return [...this.files.values()].some((f) => f.apps.length || f.blueprints.length || f.routes.length);
  }

  /** Endpoints can be registered in ways we do not read (add_url_rule, Flask-RESTX, views). */
  hasDynamicEndpoints(): boolean {
    return [...this.files.values()].some((f) => f.dynamicEndpoints);
  }

  private blueprintOf(owner: string, uri: string) {
    return ownerBlueprint(this.files.get(uri), owner, (variable) => {
      for (const f of this.files.values()) {
        const b = f.blueprints.find((x) => x.variable === variable);
        if (b) return b;
      }
      return undefined;
    });
  }

  /** Each file's routes with their endpoint name and full rule, kept while the file and the blueprints it depends on stay the same. */
  private readonly fileRoutes = new Map<string, { index: PyFileIndex; context: string; routes: { name: string; blueprint?: string; rule: string; vars: string[]; route: RouteDef }[] }>();
  private sorted: Endpoint[] | undefined;

  /** Every endpoint, by name (blueprint-qualified), in code-point order. */
  endpoints(): Endpoint[] {
    this.sorted ??= [...this.endpointMap().values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.sorted;
  }

  private endpointMap(): Map<string, Endpoint> {
    if (this.byName) return this.byName;
    // What every route asks (its blueprint, the prefix it was registered with), gathered once;
    // a file's routes are read again only when the file or that context changed: an edit of one
    // file with routes rebuilds the endpoints of a large workspace from the others' results.
    const blueprints = new Map<string, BlueprintDef>();
    const prefixes = new Map<string, string>();
    for (const f of this.files.values()) {
      for (const b of f.blueprints) if (!blueprints.has(b.variable)) blueprints.set(b.variable, b);
      for (const r of f.registrations) if (r.urlPrefix !== undefined && !prefixes.has(r.variable)) prefixes.set(r.variable, r.urlPrefix);
    }
    const context = JSON.stringify([[...blueprints.values()].map((b) => [b.variable, b.name, b.urlPrefix]), [...prefixes]]);
    const byName = new Map<string, Endpoint>();
    for (const [uri, f] of this.files) {
      let cached = this.fileRoutes.get(uri);
      if (!cached || cached.index !== f || cached.context !== context) {
        cached = {
          index: f,
          context,
          routes: f.routes.map((route) => {
            const bp = ownerBlueprint(f, route.owner, (variable) => blueprints.get(variable));
            const prefix = bp ? (prefixes.get(bp.variable) ?? bp.urlPrefix) : undefined;
            return { name: bp ? `${bp.name}.${route.name}` : route.name, blueprint: bp?.name, rule: joinRule(prefix, route.rule), vars: ruleVariables(route.rule), route };
          }),
        };
        this.fileRoutes.set(uri, cached);
        for (const r of cached.routes) this.routeNames.set(r.route, r.name);
      }
      for (const { name, blueprint, rule, vars, route } of cached.routes) {
        const existing = byName.get(name);
        if (existing) {
          existing.routes.push(route);
          existing.routeUris.push(uri);
          existing.rules.push(rule);
          existing.methods = [...new Set([...existing.methods, ...route.methods])];
          existing.required = existing.required.filter((v) => vars.includes(v));
          existing.params = [...new Set([...existing.params, ...vars])];
        } else {
          byName.set(name, { name, blueprint, routes: [route], routeUris: [uri], rules: [rule], methods: route.methods, required: vars, params: vars, uri, viewSpan: route.viewSpan });
        }
      }
    }
    for (const uri of this.fileRoutes.keys()) if (!this.files.has(uri)) this.fileRoutes.delete(uri);
    this.byName = byName;
    return byName;
  }

  private byName: Map<string, Endpoint> | undefined;
  /** The endpoint name of each route of an indexed file (set when its file's routes are read). */
  private readonly routeNames = new WeakMap<RouteDef, string>();

  /** How many routes the endpoints have, all files together. */
  routeCount(): number {
    let n = 0;
    for (const e of this.endpointMap().values()) n += e.routes.length;
    return n;
  }

  endpoint(name: string): Endpoint | undefined {
    return this.endpointMap().get(name);
  }

  /** The endpoint a route of an indexed file belongs to. */
  endpointOf(route: RouteDef): Endpoint | undefined {
    const map = this.endpointMap();
    const name = this.routeNames.get(route);
    return name === undefined ? undefined : map.get(name);
  }

  /** The blueprint name a `.relative` endpoint of this file resolves against. */
  blueprintOfFile(uri: string): string | undefined {
    const f = this.files.get(uri);
    const owner = f?.routes[0]?.owner;
    return owner ? this.blueprintOf(owner, uri)?.name : f?.blueprints[0]?.name;
  }

  /** `url_for`'s endpoint as written → the full name (`.show` in a todos view → `todos.show`). */
  resolveEndpoint(written: string, uri: string): string {
    if (!written.startsWith('.')) return written;
    const bp = this.blueprintOfFile(uri);
    return bp ? `${bp}${written}` : written.slice(1);
  }
}

/** The closest of `names` to `name` (Levenshtein distance at most a third of its length), if any. */
export function closest(name: string, names: string[]): string | undefined {
  let best: { n: string; d: number } | undefined;
  for (const n of names) {
    const d = distance(name.toLowerCase(), n.toLowerCase());
    if (d <= Math.max(2, Math.floor(name.length / 3)) && (!best || d < best.d)) best = { n, d };
  }
  return best?.n;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return row[b.length];
}
