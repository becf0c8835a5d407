/**
 * VS Code snippet bodies, without `vscode`: a parser for the snippet grammar
 * (https://code.visualstudio.com/docs/editor/userdefinedsnippets#_grammar), an expander that
 * produces the text a snippet inserts when every tab stop keeps its default, and the lint rules
 * the course's snippets follow. Used by the extension's snippet command, by
 * scripts/snippets.mjs and scripts/check-snippets.mjs, and by the unit tests.
 *
 * One import for all three, each in its own module: syntax (parser) ← expansion ← lint.
 */
export * from './snippetSyntax';
export * from './snippetExpand';
export * from './snippetLint';
