/**
 * The dashboard page: live tables of watchers and processes, the charts and the event log, all
 * fed by one Server-Sent Events stream (`/api/events`: `init`, then `stats` once per interval and
 * each `event`), and buttons that post control commands to `/api/command` with the token. Rows are
 * keyed (watcher name, pid) and updated in place, so workers that come and go appear and vanish
 * without a reload and a button is never replaced under the pointer.
 */
import { Charts } from './charts.js';

const $ = (selector) => document.querySelector(selector);
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const TOKEN_KEY = 'stackbench-dashboard-token';

/** The token arrives in the URL fragment (never sent to a server); it is then kept per tab. */
function readToken() {
  const match = /(?:^#|&)token=([0-9a-f]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const token = readToken();
const charts = new Charts();
const watcherRows = new Map();
const processRows = new Map();
const pending = new Set();
let lastSnapshot = null;

function say(text, kind = 'error') {
  const box = $('#message');
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => (box.hidden = true), kind === 'ok' ? 3000 : 10000);
}

async function command(request) {
  const key = `${request.command} ${request.watcher ?? ''}`;
  pending.add(request.watcher);
  renderWatchers(lastSnapshot);
  try {
    const response = await fetch('/api/command', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(request),
    });
    const body = await response.json();
    if (!body.ok) {
      const hint =
        response.status === 403
          ? ' (did the supervisor restart? run `stackbench-ctl dashboard` for a fresh URL)'
          : '';
      say(`${key}: ${body.error.message}${hint}`);
      return;
    }
    say(`${key}: done`, 'ok');
  } catch (error) {
    say(`${key}: ${error.message}`);
  } finally {
    pending.delete(request.watcher);
    renderWatchers(lastSnapshot);
  }
}

function cell(row, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  row.append(td);
  return td;
}

function button(label, title, testId, onClick) {
  const b = document.createElement('button');
  b.textContent = label;
  b.title = title;
  b.dataset.testid = testId;
  b.addEventListener('click', onClick);
  return b;
}

function watcherRow(name) {
  const tr = document.createElement('tr');
  tr.dataset.watcher = name;
  const c = {
    name: cell(tr),
    state: cell(tr),
    count: cell(tr, 'num'),
    restarts: cell(tr, 'num'),
    cpu: cell(tr, 'num'),
    rss: cell(tr, 'num'),
    rps: cell(tr, 'num'),
    actions: cell(tr),
  };
  c.name.textContent = name;
  c.count.dataset.testid = `count-${name}`;
  const run = (cmd) => () => command({ command: cmd, watcher: name });
  c.buttons = {
    decr: button('−', 'stop one process (decr)', `decr-${name}`, run('decr')),
    incr: button('+', 'add one process (incr)', `incr-${name}`, run('incr')),
    restart: button('restart', 'stop then start every process', `restart-${name}`, run('restart')),
    reload: button(
      'reload',
      'rolling restart, no dropped request',
      `reload-${name}`,
      run('reload'),
    ),
    toggle: button('stop', 'stop or start the watcher', `toggle-${name}`, () =>
      command({ command: tr.dataset.state === 'stopped' ? 'start' : 'stop', watcher: name }),
    ),
  };
  c.actions.append(...Object.values(c.buttons));
  $('#watchers tbody').append(tr);
  return { tr, c };
}

function renderWatchers(snapshot) {
  if (!snapshot) return;
  for (const w of snapshot.watchers) {
    const { tr, c } =
      watcherRows.get(w.name) ?? watcherRows.set(w.name, watcherRow(w.name)).get(w.name);
    tr.dataset.state = w.state;
    c.state.textContent =
      w.state === 'stopped' && w.stopReason ? `stopped (${w.stopReason})` : w.state;
    c.count.textContent = `${w.processes.filter((p) => p.state !== 'stopping').length} / ${w.numprocesses}`;
    c.restarts.textContent = w.restarts;
    c.cpu.textContent = w.totals.cpu.toFixed(1);
    c.rss.textContent = mb(w.totals.rssBytes);
    c.rps.textContent = w.totals.requestsPerSecond.toFixed(1);
    c.buttons.toggle.textContent = w.state === 'stopped' ? 'start' : 'stop';
    for (const b of Object.values(c.buttons)) b.disabled = !token || pending.has(w.name);
    if (w.state === 'stopped') c.buttons.reload.disabled = true;
  }
}

function renderProcesses(snapshot) {
  const seen = new Set();
  for (const w of snapshot.watchers) {
    for (const p of w.processes) {
      seen.add(p.pid);
      let row = processRows.get(p.pid);
      if (!row) {
        const tr = document.createElement('tr');
        tr.dataset.pid = p.pid;
        tr.dataset.watcher = w.name;
        const cells = ['', '', 'num', '', 'num', 'num', 'num', 'num', 'num', ''].map((k) =>
          cell(tr, k),
        );
        cells[0].textContent = w.name;
        cells[1].textContent = p.pid;
        cells[2].textContent = p.wid;
        cells[9].append(
          button('×', 'send TERM to this process', `term-${p.pid}`, () =>
            command({ command: 'signal', watcher: w.name, signal: 'TERM', pid: p.pid }),
          ),
        );
        row = { tr, cells };
        processRows.set(p.pid, row);
        $('#processes tbody').append(tr);
      }
      row.tr.dataset.state = p.state;
      row.cells[3].textContent = p.state;
      row.cells[4].textContent = p.cpu.toFixed(1);
      row.cells[5].textContent = mb(p.rssBytes);
      row.cells[6].textContent = `${Math.round(p.ageSeconds)} s`;
      row.cells[7].textContent = p.requestsPerSecond.toFixed(1);
      row.cells[8].textContent = p.requests;
      row.cells[9].firstChild.disabled = !token;
    }
  }
  for (const [pid, row] of processRows) {
    if (!seen.has(pid)) {
      row.tr.remove();
      processRows.delete(pid);
    }
  }
}

function describe(event) {
  const { time, type, watcher, argv, ...rest } = event;
  const details = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${new Date(time).toLocaleTimeString()} ${type} ${watcher} ${details}`;
}

function addEvent(event) {
  const li = document.createElement('li');
  li.dataset.type = event.type;
  if ('expected' in event) li.dataset.expected = String(event.expected);
  li.textContent = describe(event);
  const list = $('#events');
  list.prepend(li);
  while (list.children.length > 200) list.lastChild.remove();
}

function onSnapshot(snapshot) {
  lastSnapshot = snapshot;
  renderWatchers(snapshot);
  renderProcesses(snapshot);
  const s = snapshot.supervisor;
  $('#supervisor').textContent =
    `pid ${s.pid} · CPU ${s.cpu.toFixed(1)} % · RSS ${mb(s.rssBytes)} MB`;
}

const handlers = {
  init(init) {
    const badge = $('#connection');
    badge.textContent = 'live';
    badge.dataset.state = 'live';
    $('#events').replaceChildren();
    for (const event of init.events) addEvent(event);
    void charts.reset(init.history);
    if (init.latest) onSnapshot(init.latest);
  },
  stats(snapshot) {
    onSnapshot(snapshot);
    void charts.push(snapshot);
  },
  event(event) {
    addEvent(event);
  },
};

/** Dispatches the complete `event: NAME\ndata: JSON\n\n` frames in `buffer`; returns the rest. */
function dispatchFrames(buffer) {
  let end = buffer.indexOf('\n\n');
  while (end !== -1) {
    const frame = buffer.slice(0, end);
    buffer = buffer.slice(end + 2);
    const name = /^event: (.*)$/m.exec(frame)?.[1];
    const data = /^data: (.*)$/m.exec(frame)?.[1];
    if (name && data && Object.hasOwn(handlers, name)) handlers[name](JSON.parse(data));
    end = buffer.indexOf('\n\n');
  }
  return buffer;
}

/**
 * The event stream, read with fetch rather than EventSource: EventSource cannot send headers, so
 * the token would have to go in the URL (and from there into logs and history). The server alone
 * decides whether reads need the token; it ignores it where reads are open.
 */
async function connect() {
  const badge = $('#connection');
  for (;;) {
    try {
      const response = await fetch('/api/events', {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        cache: 'no-store',
      });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer = dispatchFrames(buffer + value);
      }
    } catch {}
    badge.textContent = 'connection lost, retrying';
    badge.dataset.state = 'lost';
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}

const tokenBadge = $('#token');
tokenBadge.textContent = token
  ? 'control enabled'
  : 'read-only: open the URL from `stackbench-ctl dashboard`';
tokenBadge.dataset.state = token ? 'live' : 'none';
window.stackbenchDashboard = { charts, rows: () => [...processRows.keys()] };
void connect();
