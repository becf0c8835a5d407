/**
 * The tutor's diagnostics: Flask mistakes found while the learner types, each with a one-paragraph
 * explanation, the walkthrough step that teaches it and, where a safe one exists, a fix.
 * The table of rules is data; each check reads one file's tree and the workspace index.
 * Pure: no `vscode`, no LSP types.
 */
import type { JinjaIndex } from './jinja';
import { PyFileIndex, RouteDef, ruleVariables } from './pyIndex';
import { callArguments, calleeName, children, collect, Collected, descendants, isFString, Node, ownedBy, Span, spanOf, stringValue, Tree, underMainGuard } from './syntax';
import { closest, FlaskWorkspace } from './workspace';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type RuleId =
  | 'unknown-endpoint'
  | 'missing-url-param'
  | 'missing-template'
  | 'body-on-get'
  | 'unguarded-run'
  | 'literal-secret'
  | 'debug-in-code'
  | 'sql-string'
  | 'decorator-order'
  | 'route-param-missing'
  | 'view-param-unbound'
  | 'duplicate-endpoint'
  | 'view-returns-nothing'
  | 'add-without-commit'
  | 'markup-request-data'
  | 'plaintext-password'
  | 'jsonify-model'
  | 'safe-request-data';

export interface Rule {
  severity: Severity;
  /** One paragraph: why it matters and what to do. */
  explain: string;
  /** The chapter and walkthrough step that teach it. */
  teach?: { chapter: string; step: string };
}

export const RULES: Record<RuleId, Rule> = {
  'unknown-endpoint': {
    severity: 'warning',
    explain: 'url_for() builds a URL from an endpoint name: the view function\'s name, prefixed by its blueprint ("todos.show"). A name no route has raises BuildError when this line runs.',
    teach: { chapter: 'f1', step: 'routes' },
  },
  'missing-url-param': {
    severity: 'warning',
    explain: 'The route\'s rule has a variable part (<int:todo_id>): url_for() needs a value for it, passed by name (url_for("show", todo_id=3)), or it raises BuildError.',
    teach: { chapter: 'f1', step: 'routes' },
  },
  'missing-template': {
    severity: 'warning',
    explain: 'render_template() looks for the file in the app\'s templates/ folder (and blueprints\' template folders); a name it cannot find raises TemplateNotFound when the view runs.',
    teach: { chapter: 'f1', step: 'templates' },
  },
  'body-on-get': {
    severity: 'warning',
    explain: 'This view reads a request body (JSON, a form, files), but its route accepts only GET, which carries no body: add the method that sends one (methods=["POST"]) or read request.args.',
    teach: { chapter: 'f1', step: 'http' },
  },
  'unguarded-run': {
    severity: 'warning',
    explain: 'app.run() at the top level starts a server whenever the module is imported: by `flask run`, by the tests, by Verify. Put it under `if __name__ == "__main__":` (or run the app with `flask --app app run`).',
    teach: { chapter: 'f1', step: 'framework' },
  },
  'literal-secret': {
    severity: 'information',
    explain: 'A secret written in the code ends up in version control and is the same on every machine: anyone who reads it can forge sessions. Read it from the environment (os.environ["SECRET_KEY"]); a fixed value is fine only for development and tests.',
    teach: { chapter: 'c01', step: 'environment' },
  },
  'debug-in-code': {
    severity: 'information',
    explain: 'The debugger runs any Python typed into the error page. Turn it on from the command line for development (flask --app app run --debug), never in the code that is deployed.',
    teach: { chapter: 'c01', step: 'environment' },
  },
  'sql-string': {
    severity: 'warning',
    explain: 'SQL built from strings (f-strings, %, +, .format) lets a value change the query: SQL injection. Pass values as parameters: text("... WHERE name = :name") with {"name": name}, or cursor.execute("... = ?", (name,)).',
    teach: { chapter: 'f4', step: 'security-layers' },
  },
  'decorator-order': {
    severity: 'warning',
    explain: 'Decorators apply bottom-up, and the route decorator registers the function it receives. Written above @app.route, the guard wraps a function that is already registered: the route stays unguarded. Put the route decorator first (on top).',
    teach: { chapter: 'f4', step: 'protected-routes' },
  },
  'route-param-missing': {
    severity: 'warning',
    explain: 'Flask passes each variable of the rule (<int:todo_id>) to the view as a keyword argument: the view needs a parameter of the same name, or every request to it fails with TypeError.',
    teach: { chapter: 'f1', step: 'routes' },
  },
  'view-param-unbound': {
    severity: 'warning',
    explain: 'This parameter has no default and no variable of the route\'s rule fills it, so Flask calls the view without it and the request fails with TypeError. Add <name> to the rule, give it a default, or read it from request.args.',
    teach: { chapter: 'f1', step: 'routes' },
  },
  'duplicate-endpoint': {
    severity: 'warning',
    explain: 'Two view functions claim the same endpoint name, so Flask refuses to start ("View function mapping is overwriting an existing endpoint function"). Rename one function or give it endpoint="...".',
    teach: { chapter: 'f1', step: 'routes' },
  },
  'view-returns-nothing': {
    severity: 'warning',
    explain: 'A view must return a response (a string, a dict, a template, a redirect, a tuple with a status). This one has no return, so Flask answers 500: "The view function did not return a valid response".',
    teach: { chapter: 'f1', step: 'routes' },
  },
  'add-without-commit': {
    severity: 'information',
    explain: 'db.session.add() and delete() only stage a change; nothing is written until db.session.commit(). This function never commits: make sure the caller does.',
    teach: { chapter: 'f3', step: 'crud' },
  },
  'markup-request-data': {
    severity: 'warning',
    explain: 'Markup() marks text as safe HTML, so Jinja stops escaping it. Built from request data, it lets a visitor put <script> into your page (XSS). Pass the plain value to the template and let Jinja escape it.',
    teach: { chapter: 'f4', step: 'security-layers' },
  },
  'jsonify-model': {
    severity: 'warning',
    explain: 'jsonify() turns dicts, lists, strings and numbers into JSON, not a model instance: it raises TypeError ("Object of type Todo is not JSON serializable"). Return a dict of the fields you mean to show (todo.to_dict()), or use a schema.',
    teach: { chapter: 'f5', step: 'order-processing' },
  },
  'safe-request-data': {
    severity: 'warning',
    explain: 'The |safe filter tells Jinja not to escape: what a visitor sent (request.args, request.form) then lands in the page as HTML, <script> included (XSS). Leave request data escaped; use |safe only on HTML you built yourself.',
    teach: { chapter: 'f4', step: 'security-layers' },
  },
  'plaintext-password': {
    severity: 'warning',
    explain: 'A password from the request is stored as it came: anyone who reads the database reads every password. Store generate_password_hash(password) (werkzeug.security) and compare with check_password_hash().',
    teach: { chapter: 'f4', step: 'auth-flow' },
  },
};

export interface Fix {
  title: string;
  /** Replace `span` with `text` in this file. */
  edit?: { span: Span; text: string };
  /** Create this template (a name under the first template folder). */
  createTemplate?: string;
}

export interface FlaskDiagnostic {
  rule: RuleId;
  span: Span;
  severity: Severity;
  message: string;
  fix?: Fix;
}

const BODY_IN_TEXT = /\brequest\.(json|form|files|data|get_json|get_data|values)\b/;
const SQL_CALLS = /(^|\.)(execute|executescript|executemany|text|raw|exec_driver_sql)$/;

function diag(rule: RuleId, span: Span, message: string, fix?: Fix): FlaskDiagnostic {
  return { rule, span, severity: RULES[rule].severity, message, fix };
}


/** The function definitions of routes in this file, with their routes. */
function views(nodes: Collected, index: PyFileIndex): Map<Node, RouteDef[]> {
  const byName = new Map<string, RouteDef[]>();
  for (const r of index.routes) byName.set(`${r.viewSpan.start.line}:${r.viewSpan.start.character}`, [...(byName.get(`${r.viewSpan.start.line}:${r.viewSpan.start.character}`) ?? []), r]);
  const result = new Map<Node, RouteDef[]>();
  for (const fn of nodes.function_definition) {
    const name = fn.childForFieldName('name');
    const routes = name && byName.get(`${name.startPosition.row}:${name.startPosition.column}`);
    if (routes) result.set(fn, routes);
  }
  return result;
}

/**
 * Where an interpolated piece is a value, not a name: inside quotes, or right after a comparison,
 * LIKE, IN (, LIMIT, OFFSET or VALUES (. A table or column name from the code's own constants
 * (`f"SELECT * FROM {self.table} WHERE id = :id"`) cannot be a bound parameter, and is not flagged.
 */
const VALUE_POSITION = /(['"]|[=<>]|\bLIKE|\bIN\s*\(|\bLIMIT|\bOFFSET|\bVALUES\s*\()\s*$/i;

function interpolatesValues(fstring: Node): boolean {
  let before = '';
  for (const part of fstring.namedChildren) {
    if (!part) continue;
    if (part.type === 'interpolation') {
      if (VALUE_POSITION.test(before)) return true;
      before += '{}';
    } else if (part.type === 'string_content' || part.type === 'escape_sequence') before += part.text;
  }
  return false;
}

function builtFromStrings(n: Node): boolean {
  if (isFString(n)) return interpolatesValues(n);
  if (n.type === 'concatenated_string') return n.namedChildren.some((c) => !!c && isFString(c) && interpolatesValues(c));
  if (n.type === 'binary_operator') {
    const op = n.childForFieldName('operator')?.text;
    const left = n.childForFieldName('left');
    if ((op === '%' || op === '+') && left && (left.type === 'string' || builtFromStrings(left))) return true;
    const right = n.childForFieldName('right');
    if (op === '+' && right && right.type === 'string') return true;
  }
  if (n.type === 'call' && calleeName(n).endsWith('.format') && n.childForFieldName('function')?.childForFieldName('object')?.type === 'string') return true;
  return false;
}

const inTestContext = (n: Node): boolean => {
  for (let p = n.parent; p; p = p.parent) {
    if ((p.type === 'class_definition' || p.type === 'function_definition') && /test/i.test(p.childForFieldName('name')?.text ?? '')) return true;
  }
  return false;
};

/** Inside a class or function for development or tests (DevelopmentConfig, create_test_app). */
const inDevContext = (n: Node): boolean => {
  for (let p = n.parent; p; p = p.parent) {
    if ((p.type === 'class_definition' || p.type === 'function_definition') && /test|dev|local/i.test(p.childForFieldName('name')?.text ?? '')) return true;
  }
  return false;
};

const hashes = (n: Node): boolean => descendants(n, 'call').some((c) => /hash|bcrypt|argon|scrypt|set_password|encrypt/i.test(calleeName(c))) || /hash|bcrypt/i.test(n.text.split('(')[0]);

/** Whether the expression holds what a client sent: request.*, or a lookup in a parsed body. */
const fromRequest = (n: Node): boolean => /\brequest\.|\b(data|payload|body|form|json)\s*(\[|\.get\()/.test(n.text);

/**
 * Diagnostics that depend on the whole workspace (endpoints, templates, other files' routes), or
 * on the whole file (its apps): computed from the indexes, without the tree.
 */
export function fileDiagnostics(index: PyFileIndex, ws: FlaskWorkspace, uri: string): FlaskDiagnostic[] {
  const out: FlaskDiagnostic[] = [];
  if (ws.isFlask()) {
    // Every endpoint's name, read only when a url_for names none (for "did you mean").
    let names: string[] | undefined;
    const endpointNames = () => (names ??= ws.endpoints().map((e) => e.name));
    // url_for: the endpoint exists and gets its rule's variables.
    for (const call of index.urlFors) {
      const full = ws.resolveEndpoint(call.endpoint, uri);
      if (full === 'static' || full.endsWith('.static')) continue;
      const endpoint = ws.endpoint(full);
      if (!endpoint) {
        if (ws.hasDynamicEndpoints()) continue;
        const near = closest(full, endpointNames());
        out.push(
          diag(
            'unknown-endpoint',
            call.span,
            `No route has the endpoint "${full}"${near ? `: did you mean "${near}"?` : '.'}`,
            near ? { title: `Change to "${near}"`, edit: { span: call.span, text: call.endpoint.startsWith('.') && near.includes('.') ? near.slice(near.indexOf('.')) : near } } : undefined,
          ),
        );
        continue;
      }
      if (!call.splat) {
        const missing = endpoint.required.filter((v) => !call.keywords.includes(v));
        if (missing.length) {
          const typo = missing.map((m) => [closest(m, call.keywords.filter((k) => !endpoint.params.includes(k))), m]).find(([k]) => k);
          const note = typo ? ` (${typo[0]}= looks like a typo of ${typo[1]}=)` : '';
          out.push(diag('missing-url-param', call.span, `url_for("${call.endpoint}") needs ${missing.map((m) => `${m}=...`).join(', ')}: its rule is ${endpoint.rules[0]}${note}.`));
        }
      }
    }
    // render_template: the template exists.
    for (const t of index.templates) {
      if (ws.templateNamed(t.name)) continue;
      const near = closest(t.name, ws.templateFiles().map((x) => x.name));
      out.push(
        diag('missing-template', t.span, `There is no template "${t.name}" in a templates folder${near ? `: did you mean "${near}"?` : '.'}`, near ? { title: `Change to "${near}"`, edit: { span: t.span, text: near } } : { title: `Create templates/${t.name}`, createTemplate: t.name }),
      );
    }
  }
  // Two views with one endpoint name, in this file or against another file's.
  const seen = new Map<string, string>();
  const own = new Set(index.routes);
  for (const r of index.routes) {
    const name = ws.endpointOf(r)?.name ?? r.name;
    const other = seen.get(name) ?? ws.endpoint(name)?.routes.find((x) => x.view !== r.view && !own.has(x))?.view;
    if (other && other !== r.view) out.push(diag('duplicate-endpoint', r.viewSpan, `The endpoint "${name}" is already used by ${other}(): Flask will refuse to start.`));
    seen.set(name, r.view);
  }
  for (const run of index.runs) {
    if (index.apps.includes(run.owner)) out.push(diag('unguarded-run', run.span, `${run.owner}.run() runs whenever this module is imported: put it under if __name__ == "__main__":.`));
  }
  return out;
}

/**
 * Diagnostics read from one statement's tree (a top-level statement of a file, or the module),
 * given that statement's own index: the views it defines and the calls and assignments in it.
 */
export function statementDiagnostics(root: Node, index: PyFileIndex, nodes: Collected = collect(root)): FlaskDiagnostic[] {
  const out: FlaskDiagnostic[] = [];
  const byStart = (a: Node, b: Node) => a.startIndex - b.startIndex;
  const scopes = [...nodes.function_definition, ...nodes.class_definition, ...nodes.lambda].sort(byStart);
  const exits = [...nodes.return_statement, ...nodes.yield].sort(byStart);
  const ownNodes = (fn: Node, list: Node[]) => ownedBy(fn, list, scopes);
  // Views: parameters, return, body on GET, decorator order.
  for (const [fn, routes] of views(nodes, index)) {
    const name = fn.childForFieldName('name')!;
    const params = routes[0].viewParams;
    if (params) {
      const ruleVars = new Set(routes.flatMap((r) => ruleVariables(r.rule)));
      for (const r of routes) {
        for (const v of ruleVariables(r.rule)) {
          if (!params.includes(v)) out.push(diag('route-param-missing', r.ruleSpan, `The rule ${r.rule} passes ${v}, but ${r.view}() has no parameter named ${v}.`));
        }
      }
      // The parameters' nodes only when one of them has no rule variable (their names are known).
      const unbound = params.some((p) => !ruleVars.has(p) && p !== 'self');
      for (const p of unbound ? children(fn.childForFieldName('parameters')) : []) {
        const type = p.type;
        if (type !== 'identifier' && type !== 'typed_parameter') continue; // defaults are fine
        const pname = type === 'identifier' ? p.text : children(p).find((c) => c.type === 'identifier')?.text;
        if (pname && !ruleVars.has(pname) && pname !== 'self') out.push(diag('view-param-unbound', spanOf(p), `No variable of ${routes.map((r) => r.rule).join(', ')} fills the parameter ${pname}.`));
      }
    }
    const own = ownNodes(fn, exits);
    // Whether the body ends by raising: read only for a view with no return or yield of its own.
    const endsByRaising = () => {
      const last = fn.childForFieldName('body')?.lastNamedChild;
      const type = last?.type;
      return !!last && (type === 'raise_statement' || (type === 'expression_statement' && /^(abort|flask\.abort)\(/.test(last.text)));
    };
    if (!own.some((n) => n.type === 'return_statement' || n.type === 'yield') && !endsByRaising()) out.push(diag('view-returns-nothing', spanOf(name), `${name.text}() is a view but returns nothing: Flask will answer 500.`));
    if (routes.every((r) => r.methods.every((m) => m === 'GET' || m === 'HEAD'))) {
      // Read from the view's text (one string, no walk over every attribute node): the first
      // `request.json` / `.form` / `.get_json(`… of the body.
      const bodyNode = fn.childForFieldName('body');
      const text = bodyNode?.text ?? '';
      const m = BODY_IN_TEXT.exec(text);
      if (bodyNode && m) {
        const before = text.slice(0, m.index);
        const line = bodyNode.startPosition.row + (before.match(/\n/g)?.length ?? 0);
        const character = before.includes('\n') ? before.length - before.lastIndexOf('\n') - 1 : bodyNode.startPosition.column + before.length;
        const span = { start: { line, character }, end: { line, character: character + m[0].length } };
        out.push(diag('body-on-get', span, `${name.text}() reads ${m[0]}, but its route accepts only GET: add methods=["POST"] (or the method that sends the body).`));
      }
    }
    const decorators = routes[0].decorators;
    const firstRoute = decorators.findIndex((d) => /^\w+\.(route|get|post|put|patch|delete)\(/.test(d));
    const guard = decorators.findIndex((d) => /(^|\.)\w*_required\b/.test(d));
    if (guard >= 0 && firstRoute > guard) {
      const decoratorNode = children(fn.parent).filter((c) => c.type === 'decorator')[guard];
      out.push(diag('decorator-order', decoratorNode ? spanOf(decoratorNode) : spanOf(name), `@${decorators[guard].split('(')[0]} is above the route decorator, so the route is registered unguarded: move it below @${decorators[firstRoute].split('(')[0]}.`));
    }
  }

  for (const call of nodes.call) {
    const callee = calleeName(call);
    if (!/(^|\.)(run|execute|executescript|executemany|text|raw|exec_driver_sql|Markup)$|^[A-Z]/.test(callee)) continue;
    const { positional, keywords } = callArguments(call);
    if (/(^|\.)run$/.test(callee) && keywords.get('debug')?.text === 'True' && !inDevContext(call) && !underMainGuard(call)) {
      out.push(diag('debug-in-code', spanOf(keywords.get('debug')!.parent!), 'debug=True in the code: turn the debugger on with --debug when you run it instead.'));
    }
    if (SQL_CALLS.test(callee) && positional[0] && builtFromStrings(positional[0])) {
      out.push(diag('sql-string', spanOf(positional[0]), `The SQL passed to ${callee.split('.').pop()}() is built from strings: pass the values as parameters instead.`));
    }
    if (/(^|\.)Markup$/.test(callee) && positional[0] && fromRequest(positional[0])) {
      out.push(diag('markup-request-data', spanOf(call), 'Markup() of request data switches off escaping for what a visitor sent: XSS.'));
    }
    const pw = keywords.get('password');
    if (pw && /^[A-Z]\w*$/.test(callee) && fromRequest(pw) && !hashes(pw)) {
      out.push(diag('plaintext-password', spanOf(pw.parent!), `${callee}(password=...) stores the password as it came from the request: store a hash.`));
    }
  }

  for (const a of nodes.assignment) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (!left || !right) continue;
    const target = left.type === 'subscript' ? stringValue(left.childForFieldName('subscript')) : left.text.split('.').pop();
    if (target !== 'SECRET_KEY' && target !== 'secret_key' && target !== 'DEBUG' && target !== 'debug' && target !== 'password' && target !== 'password_hash') continue;
    if ((target === 'SECRET_KEY' || target === 'secret_key') && stringValue(right) !== undefined && !inTestContext(a)) {
      out.push(diag('literal-secret', spanOf(right), 'The secret key is written in the code: read it from the environment.'));
    }
    if ((target === 'DEBUG' || target === 'debug') && right.text === 'True' && !inDevContext(a) && !underMainGuard(a) && /app|config|DEBUG/.test(left.text)) {
      out.push(diag('debug-in-code', spanOf(a), 'Debug mode is switched on in the code: use --debug when you run it instead.'));
    }
    if ((target === 'password' || target === 'password_hash') && left.type === 'attribute' && fromRequest(right) && !hashes(right)) {
      out.push(diag('plaintext-password', spanOf(a), `${left.text} is set to the password as it came from the request: store a hash.`));
    }
  }

  // jsonify(model): the argument, or the variable it names, was fetched from the database.
  const FETCH = /(\.query\.(get|get_or_404|first_or_404|filter_by\(.*\)\.first|first)|(^|\.)get_or_404|(^|\.)first_or_404|session\.get|\.scalar_one|\.scalar_one_or_none|\.one_or_none|\.first)$/;
  for (const fn of nodes.function_definition) {
    const fetched = new Set<string>();
    for (const a of ownNodes(fn, nodes.assignment)) {
      const left = a.childForFieldName('left');
      const right = a.childForFieldName('right');
      if (left?.type === 'identifier' && right?.type === 'call' && FETCH.test(calleeName(right))) fetched.add(left.text);
    }
    for (const call of ownNodes(fn, nodes.call)) {
      if (!/(^|\.)jsonify$/.test(calleeName(call))) continue;
      const { positional, keywords } = callArguments(call);
      if (positional.length !== 1 || keywords.size) continue;
      const arg = positional[0];
      if ((arg.type === 'identifier' && fetched.has(arg.text)) || (arg.type === 'call' && FETCH.test(calleeName(arg)))) {
        out.push(diag('jsonify-model', spanOf(arg), `jsonify(${arg.text}) is given a model instance: return a dict of its fields (${arg.type === 'identifier' ? arg.text : 'it'}.to_dict()).`));
      }
    }
  }

  for (const fn of nodes.function_definition) {
    const calls = ownNodes(fn, nodes.call);
    const adds = calls.filter((c) => /(^|\.)session\.(add|add_all|delete)$/.test(calleeName(c)));
    if (adds.length && !calls.some((c) => /(^|\.)commit$/.test(calleeName(c))) && !/test/i.test(fn.childForFieldName('name')?.text ?? '')) {
      out.push(diag('add-without-commit', spanOf(adds[0]), `${calleeName(adds[0])}() but no commit in ${fn.childForFieldName('name')?.text}(): the change is not saved unless a caller commits.`));
    }
  }
  return out;
}

/** Every diagnostic of a whole file, without a cache (tests, one-off runs). */
export function pythonDiagnostics(tree: Tree, index: PyFileIndex, ws: FlaskWorkspace, uri: string): FlaskDiagnostic[] {
  return [...statementDiagnostics(tree.rootNode, index), ...fileDiagnostics(index, ws, uri)];
}

/** A template's `url_for` endpoints and the templates it extends, includes or imports. */
export function jinjaDiagnostics(index: JinjaIndex, ws: FlaskWorkspace): FlaskDiagnostic[] {
  const out: FlaskDiagnostic[] = [];
  if (!ws.isFlask()) return out;
  const names = ws.endpoints().map((e) => e.name);
  const templates = ws.templateFiles().map((t) => t.name);
  for (const safe of index.unsafe) out.push(diag('safe-request-data', safe.span, `${safe.text} puts what a visitor sent into the page unescaped.`));
  for (const ref of index.refs) {
    if (ref.kind === 'endpoint') {
      // ".name" depends on the blueprint of the request being answered: not knowable here.
      if (ref.name.startsWith('.') || ref.name === 'static' || ref.name.endsWith('.static')) continue;
      const endpoint = ws.endpoint(ref.name);
      if (!endpoint) {
        if (ws.hasDynamicEndpoints()) continue;
        const near = closest(ref.name, names);
        out.push(diag('unknown-endpoint', ref.span, `No route has the endpoint "${ref.name}"${near ? `: did you mean "${near}"?` : '.'}`, near ? { title: `Change to "${near}"`, edit: { span: ref.span, text: near } } : undefined));
        continue;
      }
      const missing = endpoint.required.filter((v) => !(ref.keywords ?? []).includes(v));
      if (missing.length && !/\*\*/.test(ref.name)) out.push(diag('missing-url-param', ref.span, `url_for("${ref.name}") needs ${missing.map((m) => `${m}=...`).join(', ')}: its rule is ${endpoint.rules[0]}.`));
    } else if (!ws.templateNamed(ref.name)) {
      const near = closest(ref.name, templates);
      out.push(diag('missing-template', ref.span, `There is no template "${ref.name}" in a templates folder${near ? `: did you mean "${near}"?` : '.'}`, near ? { title: `Change to "${near}"`, edit: { span: ref.span, text: near } } : { title: `Create templates/${ref.name}`, createTemplate: ref.name }));
    }
  }
  return out;
}
