// The request console's script (src/console/consolePanel.ts): the form posts a request, the
// extension posts the answer back. Loaded with the page's nonce; no inline script, no eval; every
// text the extension sends is set with textContent, never as HTML.
(function () {
  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  const state = vscode.getState() || { history: [] };

  function form() {
    const kind = document.querySelector('input[name="bodyKind"]:checked');
    return {
      method: $('method').value,
      path: $('path').value,
      headers: $('headers').value,
      bodyKind: kind ? kind.value : 'none',
      body: $('body').value,
      bearer: $('bearer').value,
    };
  }

  function fill(f) {
    $('method').value = f.method;
    $('path').value = f.path;
    $('headers').value = f.headers || '';
    $('body').value = f.body || '';
    $('bearer').value = f.bearer || $('bearer').value;
    const radio = document.querySelector('input[name="bodyKind"][value="' + (f.bodyKind || 'none') + '"]');
    if (radio) radio.checked = true;
    $('body').disabled = (f.bodyKind || 'none') === 'none';
  }

  function send() {
    const target = $('target').value;
    vscode.postMessage({ type: 'send', form: form(), target: target || undefined });
  }

  function location(el, loc) {
    el.textContent = '';
    if (!loc) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.textContent = loc.label;
    button.addEventListener('click', () => vscode.postMessage({ type: 'open', location: { file: loc.file, line: loc.line } }));
    el.appendChild(button);
  }

  function renderHistory() {
    const list = $('history');
    list.textContent = '';
    state.history.forEach((item) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'link';
      button.textContent = item.label;
      button.addEventListener('click', () => fill(item.form));
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  $('request').addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    }
  });
  document.querySelectorAll('input[name="bodyKind"]').forEach((radio) =>
    radio.addEventListener('change', () => {
      $('body').disabled = radio.value === 'none' && radio.checked;
    }),
  );
  $('reset').addEventListener('click', () => vscode.postMessage({ type: 'reset' }));

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || typeof m.type !== 'string') return;
    if (m.type === 'init') {
      const list = $('routes');
      list.textContent = '';
      (m.routes || []).forEach((r) => {
        const option = document.createElement('option');
        option.value = r.rule;
        option.label = r.method + ' ' + r.rule;
        list.appendChild(option);
      });
      const select = $('target');
      const chosen = select.value;
      select.textContent = '';
      const own = document.createElement('option');
      own.value = '';
      own.textContent = m.appLabel;
      select.appendChild(own);
      (m.servers || []).forEach((url) => {
        const option = document.createElement('option');
        option.value = url;
        option.textContent = url;
        select.appendChild(option);
      });
      select.value = (m.servers || []).includes(chosen) ? chosen : '';
      if (m.form) fill(m.form);
      else if (!$('path').value) $('path').value = '/';
      document.body.dataset.ready = 'true';
      $('path').focus();
    } else if (m.type === 'busy') {
      $('status').textContent = m.text;
      $('status').dataset.kind = 'busy';
      $('send').disabled = true;
    } else if (m.type === 'session') {
      $('session').textContent = m.text;
    } else if (m.type === 'problem') {
      $('send').disabled = false;
      $('status').textContent = m.text;
      $('status').dataset.kind = 'server';
      $('answered').hidden = true;
      $('error').hidden = !m.location;
      if (m.location) {
        $('error').textContent = '';
        location($('error'), m.location);
      }
      $('response-body').textContent = '';
      $('response-headers-box').hidden = true;
    } else if (m.type === 'response') {
      $('send').disabled = false;
      $('session').textContent = '';
      $('status').textContent = m.request + ' → ' + m.shown.statusLine + ' · ' + m.shown.ms;
      $('status').dataset.kind = m.shown.statusClass;
      const answered = $('answered');
      answered.hidden = false;
      answered.textContent = m.answered + ' ';
      if (m.view) {
        const span = document.createElement('span');
        location(span, m.view);
        answered.appendChild(span);
      }
      const error = $('error');
      error.hidden = !m.error;
      if (m.error) {
        error.textContent = m.error + ' ';
        const span = document.createElement('span');
        location(span, m.errorLocation);
        error.appendChild(span);
      }
      $('response-headers').textContent = m.shown.headers;
      $('response-headers-box').hidden = false;
      $('response-body').textContent = m.shown.body;
      state.history = [{ label: m.request + ' → ' + m.shown.statusLine.split(' ')[0], form: m.form }]
        .concat(state.history.filter((h) => h.label.split(' → ')[0] !== m.request))
        .slice(0, 20);
      vscode.setState(state);
      renderHistory();
    }
  });
  renderHistory();
  vscode.postMessage({ type: 'ready' });
})();
