// The exercise brief's script (src/course/brief.ts): buttons post actions, the extension posts
// the live status back. Loaded with the page's nonce; no inline script, no eval.
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  // Remembered by VS Code with the panel: after a window reload the brief comes back (the
  // extension's WebviewPanelSerializer reads the exercise id).
  vscode.setState({ exerciseId: document.body.dataset.exercise });

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target && target.closest('button[data-action]');
    if (button) {
      vscode.postMessage({ type: 'action', action: button.dataset.action });
      return;
    }
    const link = target && target.closest('a[href]');
    if (link) {
      const href = link.getAttribute('href') || '';
      if (href.startsWith('#')) return;
      event.preventDefault();
      vscode.postMessage({ type: 'link', href });
    }
  });

  function render(state) {
    const status = $('status');
    status.textContent = state.statusText;
    status.dataset.kind = state.statusKind;
    $('start').hidden = state.started;
    $('verify').hidden = !state.started;
    $('open').hidden = !state.started;
    $('reset').hidden = !state.started;
    $('restore').hidden = !state.started || !state.hasBackups;
    const verify = $('verify');
    verify.disabled = state.busy;
    const hint = $('hint');
    hint.hidden = !state.hintLabel;
    hint.textContent = state.hintLabel || '';
    $('failure-hints').hidden = !state.failureHintsHtml;
    $('failure-hint-list').innerHTML = state.failureHintsHtml || ''; // markdown-it output with HTML disabled
    const hints = $('hints');
    hints.hidden = !state.hintsHtml && !state.lockText;
    $('hint-list').innerHTML = state.hintsHtml; // markdown-it output with HTML disabled
    const lock = $('hint-lock');
    lock.textContent = state.lockText || '';
    lock.hidden = !state.lockText;
    if (state.focusHint) {
      const item = $('hint-' + state.focusHint);
      if (item) {
        item.scrollIntoView({ block: 'center' });
        item.focus();
      }
    }
  }

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message && message.type === 'state') render(message);
  });
  vscode.postMessage({ type: 'ready' });
})();
