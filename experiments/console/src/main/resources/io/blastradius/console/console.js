// The game-day console's page: the catalog and runs from /api/state, the live run from /api/events
// (server-sent), changes through POST with the console's token in a header.
(function () {
  'use strict';
  const token = new URLSearchParams(location.search).get('token') || '';
  const ALL_ROUTES = ['api', 'app', 'login', 'logout'];
  let ROUTES = ALL_ROUTES;  // the running experiment's routes, in this order
  const COLOURS = { api: '#3b6db3', app: '#8e44ad', login: '#c62828', logout: '#b36b00' };
  const $ = (id) => document.getElementById(id);
  let catalog = [];
  let plan = null;          // the running experiment's plan
  let charts = {};
  let data = null;          // [seconds, ...one array per route] for each chart
  const faultRows = new Map();
  const breakerRows = new Map();

  function text(el, value) { el.textContent = value; return el; }
  function cell(row, value, cls) {
    const td = document.createElement('td');
    text(td, value);
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }
  function log(line) {
    const li = document.createElement('li');
    text(li, new Date().toLocaleTimeString() + '  ' + line);
    $('log').prepend(li);
  }
  function status(state, words) {
    const el = $('status');
    el.className = 'status ' + state;
    text(el, words);
    $('stop').disabled = state !== 'running';
  }

  async function call(method, path, body) {
    const response = await fetch(path, {
      method: method,
      headers: { 'Content-Type': 'application/json', 'X-Blastradius-Token': token },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin'
    });
    const answer = await response.json();
    if (!response.ok) { throw new Error(answer.error || response.statusText); }
    return answer;
  }

  async function loadState() {
    const state = await (await fetch('/api/state?token=' + encodeURIComponent(token), { credentials: 'same-origin' })).json();
    catalog = state.catalog;
    if (!state.startsRuns) {
      $('run').hidden = true;
      text(document.querySelector('aside .hint'), 'Watching a blastradius run: its experiments below; the stop aborts it.');
    }
    renderCatalog(state.startsRuns);
    renderRuns(state.runs);
    renderManual(state.manualFaults || []);
    if (!state.startsRuns) { $('apply-fault').disabled = true; }
    const live = state.runs.find((r) => !r.done);
    if (live) { status('running', 'run ' + live.number + ' running'); }
  }

  function renderCatalog(picks) {
    const list = $('catalog');
    if (list.childElementCount) { return; }
    for (const experiment of catalog) {
      const li = document.createElement('li');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = experiment.name;
      box.id = 'pick-' + experiment.name;
      box.hidden = !picks;
      const name = text(document.createElement('span'), ' ' + experiment.name);
      name.className = 'name';
      name.title = experiment.title;
      name.addEventListener('click', () => showPlan(experiment));
      li.append(box, name);
      list.appendChild(li);
    }
  }

  function showPlan(experiment) {
    const div = $('plan');
    div.replaceChildren();
    div.appendChild(text(document.createElement('p'), experiment.title + ' (' + experiment.profile + ', ' + experiment.seconds + ' s)'));
    const table = document.createElement('table');
    for (const p of experiment.phases) {
      const row = table.insertRow();
      cell(row, p.phase); cell(row, p.from + '–' + p.to + ' s');
    }
    for (const f of experiment.faults) {
      const row = table.insertRow();
      cell(row, f.type + ' on ' + f.target); cell(row, f.from + '–' + f.to + ' s');
    }
    for (const h of experiment.hypotheses) {
      const row = table.insertRow();
      cell(row, h.name); cell(row, h.route + ' during ' + h.during.join(', '));
    }
    div.appendChild(table);
    div.appendChild(text(document.createElement('pre'), experiment.source));
  }

  function renderRuns(runs) {
    const list = $('runs');
    list.replaceChildren();
    for (const run of runs.slice().reverse()) {
      const li = document.createElement('li');
      li.appendChild(text(document.createElement('span'), 'run ' + run.number + ': ' + (run.verdicts.join('; ') || run.experiments.join(', ')) + ' '));
      if (run.report) {
        const a = text(document.createElement('a'), 'report');
        a.href = '/' + run.report;
        a.target = '_blank';
        a.rel = 'noopener';
        li.appendChild(a);
      }
      list.appendChild(li);
    }
  }

  function renderManual(faults) {
    const list = $('manual-faults');
    list.replaceChildren();
    if (faults.length) { $('stop').disabled = false; }
    for (const f of faults) {
      const li = text(document.createElement('li'), f.label + ' until ' + new Date(f.until).toLocaleTimeString());
      const undo = text(document.createElement('button'), 'undo');
      undo.addEventListener('click', () => call('POST', '/api/fault/undo', { id: f.id }).then(() => loadState()).catch(showError));
      li.appendChild(undo);
      list.appendChild(li);
    }
  }

  function makeCharts() {
    data = { rate: empty(), p50: empty(), p99: empty(), errors: empty() };
    for (const [key, id] of [['rate', 'chart-rate'], ['p50', 'chart-p50'], ['p99', 'chart-p99'], ['errors', 'chart-errors']]) {
      if (charts[key]) { charts[key].destroy(); }
      const el = $(id);
      const width = Math.max(280, el.clientWidth || 320);
      charts[key] = new uPlot({
        width: width, height: 180,
        scales: { x: { time: false } },
        axes: [{ label: 's' }, {}],
        series: [{}].concat(ROUTES.map((r) => ({ label: r, stroke: COLOURS[r], width: 2, spanGaps: false })))
      }, data[key], el);
    }
  }
  function empty() { return [[]].concat(ROUTES.map(() => [])); }

  function timeline(experiment) {
    const bar = $('timeline');
    bar.replaceChildren();
    for (const p of experiment.phases) {
      const div = text(document.createElement('div'), p.phase);
      div.className = 'phase ' + p.phase;
      div.style.width = (100 * (p.to - p.from) / experiment.seconds) + '%';
      bar.appendChild(div);
    }
    const cursor = document.createElement('div');
    cursor.className = 'cursor';
    cursor.id = 'cursor';
    cursor.style.left = '0%';
    bar.appendChild(cursor);
  }

  function started(event) {
    plan = event.experiment;
    ROUTES = ALL_ROUTES.filter((r) => Object.prototype.hasOwnProperty.call(plan.traffic, r));
    text($('experiment'), plan.name + ' (seed ' + event.seed + ')');
    text($('phase'), 'settling');
    text($('verdict'), '–');
    status('running', 'run ' + event.run + ' running');
    timeline(plan);
    makeCharts();
    faultRows.clear();
    $('faults').tBodies[0].replaceChildren();
    for (const f of plan.faults) {
      const row = $('faults').tBodies[0].insertRow();
      cell(row, f.type); cell(row, f.target); cell(row, f.from + '–' + f.to + ' s');
      faultRows.set(f.type + ' on ' + f.target, cell(row, 'planned'));
    }
    $('hypotheses').tBodies[0].replaceChildren();
    for (const h of plan.hypotheses) {
      const row = $('hypotheses').tBodies[0].insertRow();
      row.id = 'hypothesis-' + h.name;
      cell(row, h.name); cell(row, 'not yet (' + h.during.join(', ') + ')');
    }
    log('started ' + plan.name);
  }

  function second(event) {
    if (!plan) { return; }
    text($('second'), event.second);
    const cursor = $('cursor');
    if (cursor) { cursor.style.left = Math.min(100, 100 * (event.second + 1) / plan.seconds) + '%'; }
    for (const key of ['rate', 'p50', 'p99', 'errors']) {
      data[key][0].push(event.second);
      ROUTES.forEach((route, i) => {
        const r = event.routes[route];
        const value = !r ? null : key === 'rate' ? r.sent : key === 'errors' ? r.errorPercent : r[key];
        data[key][i + 1].push(value === undefined ? null : value);
      });
      charts[key].setData(data[key]);
    }
  }

  function fault(event) {
    log('fault: ' + event.event);
    for (const [label, td] of faultRows) {
      if (event.event.includes(label.split(' on ')[0]) && event.event.includes(label.split(' on ')[1])) {
        text(td, event.event.startsWith('applied') ? 'IN PLACE' : event.event.startsWith('removed') ? 'removed' : event.event);
      }
    }
  }

  function breaker(event) {
    let row = breakerRows.get(event.name);
    if (!row) {
      row = $('breakers').tBodies[0].insertRow();
      cell(row, event.name); cell(row, ''); cell(row, '');
      breakerRows.set(event.name, row);
    }
    row.cells[1].textContent = event.state;
    row.cells[1].className = event.state;
    row.cells[2].textContent = event.second + ' s';
  }

  function judged(checks) {
    const byHypothesis = new Map();
    for (const c of checks) {
      const list = byHypothesis.get(c.hypothesis) || [];
      list.push(c);
      byHypothesis.set(c.hypothesis, list);
    }
    for (const [name, list] of byHypothesis) {
      const row = $('hypothesis-' + name);
      if (!row) { continue; }
      const failed = list.filter((c) => !c.passed);
      row.cells[1].textContent = failed.length ? 'FAILED: ' + failed.map((c) => c.words).join('; ') : 'held: ' + list.map((c) => c.words).join('; ');
      row.cells[1].className = failed.length ? 'failed' : 'held';
    }
  }

  function handle(event) {
    switch (event.type) {
      case 'queued': log('run ' + event.run + ' queued: ' + event.experiments.join(', ')); status('running', 'run ' + event.run + ' starting'); break;
      case 'started': started(event); break;
      case 'settled': log('settled after ' + event.seconds + ' s (' + event.latest + ')'); break;
      case 'phase': text($('phase'), event.phase); log('phase ' + event.phase); break;
      case 'second': second(event); break;
      case 'fault': fault(event); if (event.event.includes('by hand') || event.event.includes('(')) { loadState().catch(showError); } break;
      case 'breaker': breaker(event); break;
      case 'judged': judged(event.checks); break;
      case 'rolledBack':
        log('rolled back ' + event.undone + ' fault(s)' + (event.millisSinceStop !== undefined ? ', ' + event.millisSinceStop + ' ms after the stop' : ''));
        if (event.millisSinceStop !== undefined) { inform('Every fault undone ' + event.millisSinceStop + ' ms after the stop.'); }
        break;
      case 'ended': judged(event.checks); text($('verdict'), event.verdict + (event.gatePassed ? ' (gate passed)' : ' (gate failed)')); log(event.experiment + ': ' + event.verdict); break;
      case 'runDone': status('idle', 'idle'); log('run ' + event.run + ' done'); loadState().catch(showError); break;
      default: break;
    }
  }

  function showError(error) { $('message').className = 'message'; text($('message'), error.message); }
  function inform(words) { $('message').className = 'message info'; text($('message'), words); }

  $('run').addEventListener('click', () => {
    const names = Array.from(document.querySelectorAll('#catalog input:checked')).map((b) => b.value);
    text($('message'), '');
    call('POST', '/api/run', { experiments: names })
      .then((answer) => log('run ' + answer.run + ' accepted'))
      .catch(showError);
  });
  $('apply-fault').addEventListener('click', () => {
    let fault;
    try {
      fault = JSON.parse($('manual-fault').value);
    } catch (e) {
      showError(new Error('the fault is not JSON: ' + e.message));
      return;
    }
    text($('message'), '');
    call('POST', '/api/fault', { fault: fault, for: $('manual-for').value })
      .then((answer) => { inform('Applied ' + answer.label + ' until ' + new Date(answer.until).toLocaleTimeString() + '.'); $('stop').disabled = false; return loadState(); })
      .catch(showError);
  });
  $('stop').addEventListener('click', () => {
    status('stopping', 'stopping…');
    call('POST', '/api/stop')
      .then((answer) => { log('stopped (' + answer.millis + ' ms until everything was undone)'); status('idle', 'idle'); return loadState(); })
      .catch(showError);
  });

  loadState().catch(showError);
  const events = new EventSource('/api/events?token=' + encodeURIComponent(token));
  events.onmessage = (message) => handle(JSON.parse(message.data));
}());
