// Vision Model Hub web page: plain JavaScript against the HTTP API, live through its event stream.
'use strict';

const state = { key: localStorage.getItem('hub.key') || '', catalog: [], active: {}, stream: null, me: null };
const $ = (s) => document.querySelector(s);

let messages = 0; // how many messages were shown: a refresh clears only an error older than itself

function message(text, ok) {
  messages++;
  const m = $('#message');
  m.textContent = text;
  m.className = ok ? 'ok' : 'error';
}

// An error stays until something the user does next succeeds.
function clearError() {
  if ($('#message').className === 'error') {
    $('#message').textContent = '';
    $('#message').className = '';
  }
}

// A button is disabled while its action runs, so a second click cannot start it twice.
async function busy(b, action) {
  if (b) b.disabled = true;
  try {
    await action();
  } finally {
    if (b) b.disabled = false;
  }
}

// One unit system everywhere (the command line, this page): decimal sizes, 1 KB = 1000 bytes, as disks are sold.
function size(bytes) {
  if (bytes == null || bytes < 0) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (bytes >= 1000 && i < units.length - 1) { bytes /= 1000; i++; }
  return bytes.toFixed(i ? 1 : 0) + ' ' + units[i];
}

async function api(method, path, body) {
  const headers = { 'Authorization': 'Bearer ' + state.key };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const doc = text ? JSON.parse(text) : null;
  if (!r.ok) {
    const e = doc && doc.error ? doc.error : { message: r.status + ' ' + r.statusText };
    throw new Error(e.message + (e.details ? ': ' + e.details.join('; ') : ''));
  }
  return doc;
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.appendChild(td);
  return td;
}

function button(label, action, adminOnly) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (adminOnly) b.className = 'admin-only';
  b.addEventListener('click', () => busy(b, action));
  return b;
}

function renderCatalog() {
  const body = $('#catalog tbody');
  body.replaceChildren();
  for (const m of state.catalog) {
    const tr = document.createElement('tr');
    tr.dataset.ref = m.ref;
    cell(tr, m.ref);
    cell(tr, m.family);
    cell(tr, m.tier);
    cell(tr, size(m.size));
    const status = cell(tr, m.status);
    status.className = 'status status-' + m.status;
    const actions = cell(tr, '');
    const progress = document.createElement('progress');
    progress.max = 1;
    progress.hidden = true;
    actions.appendChild(progress);
    const text = document.createElement('span');
    text.className = 'progress-text';
    actions.appendChild(text);
    actions.appendChild(button('Download', () => download(m.ref), true));
    actions.appendChild(button('Load', () => act('POST', '/api/v1/models/' + encodeURIComponent(m.ref) + '/load', 'loaded ' + m.ref)));
    body.appendChild(tr);
  }
}

function renderAliases() {
  const body = $('#aliases tbody');
  body.replaceChildren();
  const families = { detector: 'detection', classifier: 'classification', ocr: 'ocr', face: 'face', embedder: 'embedding' };
  for (const [alias, family] of Object.entries(families)) {
    const tr = document.createElement('tr');
    cell(tr, alias);
    const active = cell(tr, state.active[alias] || '—');
    active.className = 'active';
    active.dataset.alias = alias;
    const td = cell(tr, '');
    td.className = 'admin-only';
    const select = document.createElement('select');
    select.dataset.alias = alias;
    select.appendChild(new Option('(keep)', ''));
    for (const m of state.catalog.filter((x) => x.family === family)) select.appendChild(new Option(m.ref, m.ref));
    td.appendChild(select);
    body.appendChild(tr);
  }
}

async function refresh(userAction) {
  if (!state.key) { message('Enter an API key (hub key create --tier standard) to see the hub.', false); return; }
  const shown = messages;
  try {
    state.me = await api('GET', '/api/v1/me');
    document.body.classList.toggle('admin', state.me.admin);
    const doc = await api('GET', '/api/models');
    state.catalog = doc.models;
    state.active = doc.active;
    renderCatalog();
    renderAliases();
    renderModels();
    await Promise.all([refreshLoaded(), refreshCache(), refreshDevice(), refreshPlugins()]);
    if (userAction && messages === shown) clearError(); // not an error the user caused meanwhile
  } catch (e) {
    message(e.message, false);
  }
}

async function refreshLoaded() {
  const loaded = await api('GET', '/models/status');
  const body = $('#loaded tbody');
  body.replaceChildren();
  for (const m of loaded) {
    const tr = document.createElement('tr');
    cell(tr, m.ref);
    cell(tr, m.device);
    cell(tr, size(m.memoryBytes));
    cell(tr, m.leasesServed);
    cell(tr, '').appendChild(button('Unload', () => act('POST', '/api/v1/models/' + encodeURIComponent(m.ref) + '/unload', 'unloaded ' + m.ref), true));
    body.appendChild(tr);
  }
}

async function refreshCache() {
  const c = await api('GET', '/api/v1/cache');
  const used = c.limitBytes > 0 ? c.usedBytes / c.limitBytes : 0;
  $('#cache').innerHTML = '';
  const p = document.createElement('progress');
  p.max = 1;
  p.value = used;
  $('#cache').append(p, ' ' + size(c.usedBytes) + ' of ' + size(c.limitBytes) + ' used; ' + size(c.freeDiskBytes) + ' free on disk (' + c.directory + ')');
}

async function refreshDevice() {
  const d = await api('GET', '/api/v1/device');
  $('#device').textContent = 'ONNX Runtime ' + d.runtime + ', providers ' + (d.providers || []).join(', ')
    + '; recommended ' + d.recommended + (d.reason ? ' (' + d.reason + ')' : '');
}

// Plug-ins are an admin's business: for other keys the section stays hidden.
async function refreshPlugins() {
  let list;
  try {
    list = await api('GET', '/api/v1/plugins');
  } catch (e) {
    $('#plugins-section').hidden = true;
    return;
  }
  $('#plugins-section').hidden = false;
  const body = $('#plugins tbody');
  body.replaceChildren();
  for (const p of list) {
    const tr = document.createElement('tr');
    tr.dataset.plugin = p.symbolicName || p.file;
    cell(tr, p.symbolicName || p.file);
    cell(tr, p.version || '—');
    cell(tr, p.state).className = 'status status-' + p.state;
    cell(tr, p.families.concat(p.embeddingServices.map((e) => 'embedding:' + e)).join(', ') || '—');
    cell(tr, p.problem || '');
    cell(tr, '').appendChild(button('Remove', () => act('DELETE', '/api/v1/plugins/' + encodeURIComponent(p.file), 'removed ' + p.file)));
    body.appendChild(tr);
  }
}

async function installPlugin(file) {
  message('installing ' + file.name + '…', true);
  try {
    const r = await fetch('/api/v1/plugins?name=' + encodeURIComponent(file.name), {
      method: 'POST', headers: { 'Authorization': 'Bearer ' + state.key, 'Content-Type': 'application/java-archive' }, body: file });
    const doc = await r.json();
    if (!r.ok) throw new Error(doc.error ? doc.error.message : r.status + ' ' + r.statusText);
    message('installed ' + doc.symbolicName + ' ' + doc.version + ' (' + doc.state + (doc.problem ? ': ' + doc.problem : '') + ')', !doc.problem);
    await refresh();
  } catch (e) {
    message(e.message, false);
  }
}

async function act(method, path, done) {
  try {
    await api(method, path);
    message(done, true);
    await refresh();
  } catch (e) {
    message(e.message, false);
  }
}

async function download(ref) {
  // said before the request: the job's events (progress, done) may arrive before its answer
  message('downloading ' + ref + '…', true);
  try {
    await api('POST', '/api/v1/models/' + encodeURIComponent(ref) + '/download');
  } catch (e) {
    message(e.message, false);
  }
}

function showDownload(job) {
  const row = document.querySelector('#catalog tr[data-ref="' + CSS.escape(job.model) + '"]');
  if (!row) return;
  const progress = row.querySelector('progress');
  progress.hidden = job.state !== 'running';
  if (job.fraction >= 0) progress.value = job.fraction; else progress.removeAttribute('value');
  row.querySelector('.progress-text').textContent = job.state === 'running' ? progressText(job) : '';
  const status = row.querySelector('.status');
  status.textContent = job.state === 'running' ? (job.status || 'DOWNLOADING') : job.state === 'done' ? 'READY' : 'ERROR';
  status.className = 'status status-' + status.textContent;
  if (job.state === 'failed') message(job.model + ': ' + job.error, false);
  if (job.state === 'done') message(job.model + ' downloaded and verified', true);
}

// "42 % · 3.1 MB/s · 12 s left" (what is known of it)
function progressText(job) {
  const parts = [];
  if (job.fraction >= 0) parts.push(Math.floor(job.fraction * 100) + ' %');
  else if (job.bytes >= 0) parts.push(size(job.bytes));
  if (job.bytesPerSecond > 0) {
    parts.push(size(job.bytesPerSecond) + '/s');
    if (job.total > 0 && job.bytes >= 0) {
      const left = Math.max(0, (job.total - job.bytes) / job.bytesPerSecond);
      parts.push((left < 90 ? Math.ceil(left) + ' s' : Math.ceil(left / 60) + ' min') + ' left');
    }
  }
  return parts.join(' · ');
}

$('#apply').addEventListener('click', () => busy($('#apply'), async () => {
  const targets = {};
  for (const s of document.querySelectorAll('#aliases select')) if (s.value) targets[s.dataset.alias] = s.value;
  if (!Object.keys(targets).length) { message('choose a model to switch to', false); return; }
  try {
    const r = await api('POST', '/api/models/switch', targets);
    message('switched: ' + Object.entries(targets).map(([a, m]) => a + ' → ' + r.active[a]).join(', '), true);
    await refresh();
  } catch (e) {
    message('switch failed, nothing changed: ' + e.message, false);
  }
}));

$('#key-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  state.key = $('#key').value.trim();
  localStorage.setItem('hub.key', state.key);
  refresh(true);
  listen();
});

// Server-Sent Events through fetch, so the key travels in a header and never in a URL.
// The badge says "live" while the event stream is open and "offline" only when the hub cannot be reached; a key the
// hub refuses is the message's business, not the badge's.
function badge(text) {
  $('#live').hidden = !text;
  $('#live').textContent = text || '';
  $('#live').className = 'badge ' + (text === 'live' ? 'on' : 'off');
}

async function listen() {
  if (state.stream) state.stream.abort();
  badge(null);
  if (!state.key) return;
  const controller = new AbortController();
  state.stream = controller;
  // a stream whose answer does not come within 5 s is given up and opened again (a stalled connection)
  const stalled = setTimeout(() => { if (state.stream === controller) { controller.abort(); setTimeout(listen, 0); } }, 5000);
  try {
    const r = await fetch('/api/v1/events', { headers: { 'Authorization': 'Bearer ' + state.key }, signal: controller.signal });
    clearTimeout(stalled);
    if (r.status === 401 || r.status === 403) return; // reachable; the key is refused (refresh says so)
    if (!r.ok) throw new Error('events: ' + r.status);
    badge('live');
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (!data.length) continue;
        const doc = JSON.parse(data.join('\n'));
        if (event === 'download') showDownload(doc);
        else if (event === 'hub') {
          if (doc.topic.startsWith('hub/alias') || doc.topic.startsWith('hub/model')) refresh();
          else if (doc.topic.startsWith('hub/artifact/READY') || doc.topic.startsWith('hub/artifact/ERROR')) refresh();
        }
      }
    }
  } catch (e) {
    clearTimeout(stalled);
    if (e.name === 'AbortError') return;
  }
  badge('offline');
  setTimeout(listen, 3000);
}

$('#plugin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const f = $('#plugin-file').files[0];
  if (f) busy($('#plugin-install'), () => installPlugin(f)); else message('choose a plug-in jar first', false);
});

// ---- the inference playground: a task, a model (or the task's alias), an image; the result drawn and as JSON ----

const TASKS = {
  detect: { alias: 'detector', families: ['detection'] },
  classify: { alias: 'classifier', families: ['classification'] },
  ocr: { alias: 'ocr', families: ['ocr'] },
  faces: { alias: 'face', families: ['face'] },
  embed: { alias: null, families: ['embedding', 'classification'] },
};

function renderModels() {
  const task = TASKS[$('#try-task').value];
  const select = $('#try-model');
  const keep = select.value;
  select.replaceChildren();
  const target = task.alias ? state.active[task.alias] : null;
  select.appendChild(new Option(task.alias ? 'alias ' + task.alias + (target ? ' → ' + target : ' (not set)')
    : 'the embedding service\'s default', ''));
  const known = Object.values(TASKS).flatMap((t) => t.families);
  for (const m of state.catalog) {
    // plug-in families (not one of the standard ones) are offered where a classifier is
    if (task.families.includes(m.family) || ($('#try-task').value === 'classify' && !known.includes(m.family))) {
      select.appendChild(new Option(m.ref, m.ref));
    }
  }
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}

async function tryModel() {
  const file = $('#try-file').files[0];
  if (!file) { message('choose an image first', false); return; }
  const task = $('#try-task').value;
  const model = $('#try-model').value;
  const url = '/api/v1/' + task + (model ? '?model=' + encodeURIComponent(model) : '');
  $('#try-summary').textContent = 'running ' + task + '…';
  const started = performance.now();
  try {
    const r = await fetch(url, { method: 'POST', body: file,
      headers: { 'Authorization': 'Bearer ' + state.key, 'Content-Type': file.type || 'application/octet-stream' } });
    const doc = await r.json();
    if (!r.ok) throw new Error(doc.error ? doc.error.message + (doc.error.details ? ': ' + doc.error.details.join('; ') : '') : r.status + ' ' + r.statusText);
    const ms = Math.round(performance.now() - started);
    $('#try-json').textContent = JSON.stringify(doc, null, 2);
    const result = doc.results[0];
    if (result.error) throw new Error(result.source + ': ' + result.error);
    $('#try-summary').textContent = doc.model + ' on ' + doc.device + ', ' + ms + ' ms: ' + summary(task, result.value);
    await draw(file, task, result.value);
    message(task + ' with ' + doc.model + ': ' + summary(task, result.value), true);
  } catch (e) {
    $('#try-summary').textContent = '';
    message(e.message, false);
  }
}

function summary(task, value) {
  switch (task) {
    case 'detect': return value.length + ' object' + (value.length === 1 ? '' : 's')
      + (value.length ? ' (' + value.map((d) => d.label).join(', ') + ')' : '');
    case 'classify': return value.slice(0, 3).map((c) => c.label + ' ' + (c.probability * 100).toFixed(1) + ' %').join(', ');
    case 'ocr': return value.length + ' line' + (value.length === 1 ? '' : 's');
    case 'faces': return value.length + ' face' + (value.length === 1 ? '' : 's');
    case 'embed': return value.vector.length + ' dimensions';
    default: return '';
  }
}

async function draw(file, task, value) {
  const image = await createImageBitmap(file);
  const canvas = $('#try-canvas');
  const scale = Math.min(1, 720 / image.width);
  canvas.width = Math.round(image.width * scale);
  canvas.height = Math.round(image.height * scale);
  const g = canvas.getContext('2d');
  g.drawImage(image, 0, 0, canvas.width, canvas.height);
  g.lineWidth = 2;
  g.font = '14px system-ui, sans-serif';
  const label = (text, x, y) => {
    const w = g.measureText(text).width + 6;
    g.fillStyle = '#e8590c';
    g.fillRect(x, Math.max(0, y - 18), w, 18);
    g.fillStyle = '#fff';
    g.fillText(text, x + 3, Math.max(14, y - 4));
  };
  g.strokeStyle = '#e8590c';
  if (task === 'detect' || task === 'faces') {
    for (const d of value) {
      const b = d.box;
      g.strokeRect(b.x * scale, b.y * scale, b.width * scale, b.height * scale);
      if (task === 'detect') label(d.label + ' ' + Math.round(d.score * 100) + '%', b.x * scale, b.y * scale);
      for (const p of d.landmarks || []) {
        g.fillStyle = '#2f9e44';
        g.fillRect(p.x * scale - 2, p.y * scale - 2, 4, 4);
      }
    }
  } else if (task === 'ocr') {
    for (const line of value) {
      g.beginPath();
      line.polygon.forEach((p, i) => (i ? g.lineTo(p.x * scale, p.y * scale) : g.moveTo(p.x * scale, p.y * scale)));
      g.closePath();
      g.stroke();
    }
  } else if (task === 'classify' && value.length) {
    label(value[0].label + ' ' + (value[0].probability * 100).toFixed(1) + ' %', 4, 22);
  }
}

$('#try-task').addEventListener('change', renderModels);
$('#try-form').addEventListener('submit', (e) => {
  e.preventDefault();
  busy($('#try-run'), tryModel);
});

$('#key').value = state.key;
refresh();
listen();
