/**
 * The review app's single page: inline CSS and script, no external resource (the server's
 * Content-Security-Policy allows nothing else). Everything from the run is put in the page with
 * `textContent`, never as HTML.
 */
export function reviewPage(context: { token: string; task: string; run: string }): string {
  const attribute = (value: string) =>
    value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="symgen-token" content="${attribute(context.token)}">
<title>symgen review: ${attribute(context.run)}</title>
<style>${CSS}</style></head>
<body>
<header><h1>symgen review</h1><span id="run">${attribute(context.run)}</span> · task <b id="task">${attribute(context.task)}</b>
<span id="counts"></span></header>
<main>
<nav id="side">
  <form id="filters">
    <label>Status <select name="status"><option value="">all</option></select></label>
    <label>Reason <select name="reason"><option value="">all</option></select></label>
    <label>Database <select name="db"><option value="">all</option></select></label>
    <label>Hardness <select name="hardness"><option value="">all</option></select></label>
  </form>
  <p id="queue-size"></p>
  <ol id="queue"></ol>
</nav>
<section id="detail">
  <p id="empty">Nothing to review with these filters.</p>
  <article id="example" hidden>
    <p class="meta" id="meta"></p>
    <h2>Question</h2>
    <p id="question" class="text"></p>
    <textarea id="question-edit" rows="2" hidden aria-label="question"></textarea>
    <h2>Chosen program</h2>
    <pre id="program"></pre>
    <textarea id="program-edit" rows="6" hidden aria-label="program" spellcheck="false"></textarea>
    <div id="edit-result" hidden></div>
    <div class="actions">
      <button id="accept" title="a">Accept <kbd>a</kbd></button>
      <button id="reject" title="r">Reject <kbd>r</kbd></button>
      <button id="edit" title="e">Edit <kbd>e</kbd></button>
      <span id="reject-box" hidden><input id="reject-reason" placeholder="why (Enter to reject)" aria-label="reason"><button id="reject-confirm">Reject</button></span>
      <span id="edit-box" hidden><button id="run-program">Run <kbd>Ctrl+Enter</kbd></button><button id="save">Save <kbd>Ctrl+S</kbd></button><button id="cancel">Cancel <kbd>Esc</kbd></button></span>
    </div>
    <p id="message" role="status"></p>
    <h2>Result groups</h2>
    <div id="groups"></div>
    <h2 id="candidates-title">Other candidates</h2>
    <ul id="candidates"></ul>
    <h2>History</h2>
    <ul id="history"></ul>
  </article>
  <p class="keys">Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>a</kbd> accept · <kbd>r</kbd> reject · <kbd>e</kbd> edit · <kbd>Ctrl+Enter</kbd> run the edit · <kbd>Ctrl+S</kbd> save · <kbd>Esc</kbd> cancel</p>
</section>
</main>
<script>${SCRIPT}</script>
</body></html>
`;
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#1d232a;background:#f6f7f9}
header{padding:8px 16px;background:#1d3557;color:#fff}header h1{display:inline;font-size:17px;margin-right:12px}
#counts{float:right}main{display:flex;height:calc(100vh - 42px)}
#side{width:340px;overflow:auto;border-right:1px solid #ccd;background:#fff;padding:8px}
#filters label{display:block;margin:2px 0}#filters select{width:100%}
#queue{list-style:none;padding:0;margin:0}#queue li{padding:5px 6px;border-bottom:1px solid #eee;cursor:pointer}
#queue li.current{background:#dbe9ff}#queue li .c{font-weight:600;margin-right:6px}
.state-rejected{color:#a4161a}.state-accepted{color:#2b7a0b}.tag{font-size:11px;border-radius:3px;padding:0 4px;background:#eee;margin-left:4px}
#detail{flex:1;overflow:auto;padding:12px 20px}h2{font-size:14px;margin:14px 0 4px;color:#445}
pre,textarea{font:13px/1.4 ui-monospace,monospace;background:#fff;border:1px solid #ccd;padding:6px;white-space:pre-wrap;width:100%}
.text{font-size:16px;margin:0}.meta{color:#556;margin:0}
.actions{margin:10px 0}button{margin-right:6px;padding:4px 10px}kbd{font-size:11px;border:1px solid #aab;border-radius:3px;padding:0 3px;background:#f3f3f3}
.group{background:#fff;border:1px solid #ccd;margin:6px 0;padding:6px}.group.win{border-color:#2b7a0b;border-width:2px}
.group table,#edit-result table{border-collapse:collapse;margin:4px 0}.group td,#edit-result td{border:1px solid #dde;padding:1px 5px}
#message{min-height:1.4em;font-weight:600}#message.error{color:#a4161a}#edit-result{background:#fff;border:1px dashed #889;padding:6px;margin:6px 0}
.keys{color:#667;font-size:12px}
`;

const SCRIPT = `
'use strict';
const token = document.querySelector('meta[name=symgen-token]').content;
const state = { items: [], index: 0, detail: null, editing: false, lastRun: null };
const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };

let pending = 0, queueGeneration = 0, selectGeneration = 0;
function busy(delta) { pending += delta; document.body.dataset.pending = String(pending); }
async function api(path, body) {
  busy(1);
  try { return await request(path, body); } finally { busy(-1); }
}
async function request(path, body) {
  const response = await fetch(path, body === undefined
    ? { headers: { 'X-Symgen-Token': token } }
    : { method: 'POST', headers: { 'X-Symgen-Token': token, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const value = await response.json();
  if (!response.ok) throw new Error(value.error || ('HTTP ' + response.status));
  return value;
}
function message(text, error) { const m = $('message'); m.textContent = text; m.className = error ? 'error' : ''; }

function filters() {
  const form = new FormData($('filters'));
  const params = new URLSearchParams();
  for (const [name, value] of form) if (value) params.set(name, value);
  return params;
}
function fillSelect(name, facet) {
  const select = $('filters').elements[name];
  const chosen = select.value;
  select.replaceChildren(el('option', 'all'));
  select.firstChild.value = '';
  for (const [value, count] of Object.entries(facet).sort()) {
    const option = el('option', value + ' (' + count + ')'); option.value = value; select.append(option);
  }
  select.value = chosen;
}

async function loadQueue(keepId) {
  const mine = ++queueGeneration;
  const queue = await api('/api/queue?' + filters());
  if (mine !== queueGeneration) return;
  for (const name of ['status', 'reason', 'db', 'hardness']) fillSelect(name, queue.facets[name]);
  const previous = state.items[state.index];
  state.items = queue.items;
  $('queue-size').textContent = queue.items.length + ' of ' + queue.total + ' examples';
  $('counts').textContent = 'reviewed ' + queue.review.reviewed + ' (accepted ' + queue.review.accepted + ', rejected ' + queue.review.rejected + ', edited ' + queue.review.edited + ')';
  const list = $('queue'); list.replaceChildren();
  queue.items.forEach((item, index) => {
    const li = el('li'); li.dataset.id = item.id;
    li.append(el('span', item.confidence === null ? '–' : item.confidence.toFixed(2), 'c'), el('span', item.question));
    li.append(el('span', item.state, 'tag state-' + item.state));
    if (item.reviewed) li.append(el('span', 'reviewed' + (item.edited ? ', edited' : ''), 'tag'));
    li.addEventListener('click', () => select(index));
    list.append(li);
  });
  let index = keepId ? queue.items.findIndex((item) => item.id === keepId) : -1;
  if (index === -1) index = Math.min(state.index, queue.items.length - 1);
  await select(Math.max(index, 0));
}

async function select(index) {
  stopEditing();
  $('reject-box').hidden = true;
  state.index = index;
  const item = state.items[index];
  document.querySelectorAll('#queue li').forEach((li, i) => li.classList.toggle('current', i === index));
  $('empty').hidden = !!item; $('example').hidden = !item;
  if (!item) { state.detail = null; ++selectGeneration; return; }
  document.querySelector('#queue li.current')?.scrollIntoView({ block: 'nearest' });
  const mine = ++selectGeneration;
  const detail = await api('/api/examples/' + encodeURIComponent(item.id));
  if (mine !== selectGeneration) return;
  state.detail = detail;
  render(detail);
}

function previewNode(preview) {
  if (Array.isArray(preview) && preview.every(Array.isArray)) {
    const table = el('table');
    for (const row of preview) { const tr = el('tr'); for (const cell of row) tr.append(el('td', cell === null ? 'NULL' : String(cell))); table.append(tr); }
    return table;
  }
  return el('pre', preview === null || preview === undefined ? '(no preview)' : (typeof preview === 'string' ? preview : JSON.stringify(preview, null, 1)));
}

function render(detail) {
  const item = detail.item;
  $('meta').textContent = item.id + ' · ' + item.state + (item.reason ? ' (' + item.reason + ')' : '') + ' · db ' + item.db + ' · hardness ' + item.hardness +
    ' · confidence ' + (item.confidence === null ? '–' : item.confidence.toFixed(2)) + (item.votes === null ? '' : ' · ' + item.votes + '/' + item.total + ' votes') +
    (item.reviewed ? ' · reviewed: ' + item.reviewed + (item.edited ? ', edited' : '') : '');
  $('question').textContent = detail.question;
  $('program').textContent = detail.program === null ? '(no program)' : detail.program;
  const groups = $('groups'); groups.replaceChildren();
  if (detail.groups.length === 0) groups.append(el('p', 'The verifier recorded no result groups.'));
  detail.groups.forEach((group, index) => {
    const box = el('div', undefined, 'group' + (group.programs.some((p) => p.program === detail.program) ? ' win' : ''));
    box.dataset.group = String(index);
    box.append(el('b', 'Group ' + (index + 1) + ': ' + group.votes + ' votes' + (group.size === null ? '' : ', ' + group.size + ' rows/items')));
    box.append(previewNode(group.preview));
    for (const program of group.programs) box.append(el('pre', (program.count > 1 ? '×' + program.count + '  ' : '') + program.program));
    groups.append(box);
  });
  const candidates = $('candidates'); candidates.replaceChildren();
  const others = detail.groups.flatMap((group) => group.programs.map((p) => p.program)).filter((p) => p !== detail.program);
  for (const c of detail.candidates) if (c.program && !others.includes(c.program) && c.program !== detail.program) others.push(c.program + (c.status && c.status !== 'ok' ? '   -- ' + c.status + (c.error ? ': ' + c.error : '') : ''));
  for (const text of others) candidates.append(el('li', text));
  for (const error of detail.errors) candidates.append(el('li', 'failed: ' + error));
  if (candidates.children.length === 0) candidates.append(el('li', '(none)'));
  const history = $('history'); history.replaceChildren();
  for (const review of detail.history) history.append(el('li', review.at + ' ' + review.action + (review.reason ? ' (' + review.reason + ')' : '') + ': ' + review.changes.map((c) => c.field + ' ' + JSON.stringify(c.old) + ' → ' + JSON.stringify(c.new)).join('; ')));
  if (detail.history.length === 0) history.append(el('li', 'not reviewed yet'));
}

async function decide(action, body) {
  const detail = state.detail; if (!detail) return;
  try {
    const answer = await api('/api/examples/' + encodeURIComponent(detail.item.id) + '/' + action, { version: detail.item.version, ...body });
    message(answer.review.action + ' saved for ' + detail.item.id);
    const next = state.items[state.index + 1];
    state.index = Math.min(state.index + 1, state.items.length - 1);
    await loadQueue(next ? next.id : answer.item.id);
  } catch (error) { message(error.message, true); }
}

function startReject() { if (!state.detail) return; stopEditing(); $('reject-box').hidden = false; $('reject-reason').value = ''; $('reject-reason').focus(); }
function confirmReject() { const reason = $('reject-reason').value.trim(); if (!reason) { message('a rejection needs a reason', true); return; } $('reject-box').hidden = true; decide('reject', { reason }); }

function startEditing() {
  const detail = state.detail; if (!detail) return;
  state.editing = true; state.lastRun = null;
  $('question-edit').value = detail.question; $('program-edit').value = detail.program ?? '';
  $('question').hidden = $('program').hidden = true;
  $('question-edit').hidden = $('program-edit').hidden = $('edit-box').hidden = false;
  $('edit-result').hidden = true; $('program-edit').focus();
}
function stopEditing() {
  state.editing = false;
  $('question').hidden = $('program').hidden = false;
  $('question-edit').hidden = $('program-edit').hidden = $('edit-box').hidden = $('edit-result').hidden = true;
}
async function runEdit() {
  const detail = state.detail; if (!detail || !state.editing) return;
  const program = $('program-edit').value;
  const box = $('edit-result'); box.hidden = false; box.replaceChildren(el('p', 'running…'));
  try {
    const answer = await api('/api/examples/' + encodeURIComponent(detail.item.id) + '/execute', { program });
    state.lastRun = { program, answer };
    const r = answer.result;
    box.replaceChildren(el('b', 'Result: ' + r.status + (r.size === undefined ? '' : ', ' + r.size + ' rows/items') + (answer.group === null ? '' : ' — same result as group ' + (answer.group + 1))));
    if (r.status === 'ok') box.append(previewNode(r.preview)); else box.append(el('pre', r.error || '(no message)'));
    box.dataset.status = r.status;
  } catch (error) { box.replaceChildren(el('pre', error.message)); box.dataset.status = 'error'; }
}
async function saveEdit() {
  const detail = state.detail; if (!detail || !state.editing) return;
  const question = $('question-edit').value; const program = $('program-edit').value;
  const body = {};
  if (question !== detail.question) body.question = question;
  if (program !== (detail.program ?? '')) {
    if (!state.lastRun || state.lastRun.program !== program) { await runEdit(); }
    if (!state.lastRun || state.lastRun.answer.result.status !== 'ok') { message('the edited program did not run; fix it before saving', true); return; }
    body.program = program;
  }
  if (Object.keys(body).length === 0) { message('nothing changed', true); return; }
  await decide('edit', body);
}

$('accept').addEventListener('click', () => decide('accept', {}));
$('reject').addEventListener('click', startReject);
$('reject-confirm').addEventListener('click', confirmReject);
$('edit').addEventListener('click', startEditing);
$('run-program').addEventListener('click', runEdit);
$('save').addEventListener('click', saveEdit);
$('cancel').addEventListener('click', stopEditing);
$('filters').addEventListener('change', () => { state.index = 0; loadQueue().catch((e) => message(e.message, true)); });
$('reject-reason').addEventListener('keydown', (event) => {
  if (event.key === 'Enter') { event.preventDefault(); confirmReject(); }
  if (event.key === 'Escape') { $('reject-box').hidden = true; }
});
document.addEventListener('keydown', (event) => {
  const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement?.tagName);
  if (event.ctrlKey && event.key === 'Enter' && state.editing) { event.preventDefault(); runEdit(); return; }
  if (event.ctrlKey && (event.key === 's' || event.key === 'S') && state.editing) { event.preventDefault(); saveEdit(); return; }
  if (event.key === 'Escape' && state.editing) { stopEditing(); return; }
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === 'a') { event.preventDefault(); decide('accept', {}); }
  else if (event.key === 'r') { event.preventDefault(); startReject(); }
  else if (event.key === 'e') { event.preventDefault(); startEditing(); }
  else if (event.key === 'j') { if (state.index + 1 < state.items.length) select(state.index + 1); }
  else if (event.key === 'k') { if (state.index > 0) select(state.index - 1); }
});
loadQueue().catch((error) => message(error.message, true));
`;
