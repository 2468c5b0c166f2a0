// The live status page in a real browser (headless Chromium over the DevTools protocol, with
// Node's own WebSocket: no npm package). Usage:
//   node --experimental-websocket status_page_test.mjs BASE_URL REPORTER_KEY DEVTOOLS_WS OUT_DIR
// Reports a few districts, loads the page, checks that it shows what /api/population,
// /api/invasions, /api/fieldoffices and /api/sillymeter say, reports a new district and checks
// that the page shows it within 2 s without a reload, and saves screenshots at desktop and phone
// width in OUT_DIR. One line per check; exit status 1 if any fails.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, key, devtools, outDir] = process.argv.slice(2);
if (!base || !key || !devtools || !outDir) {
  console.error('usage: status_page_test.mjs BASE_URL REPORTER_KEY DEVTOOLS_WS OUT_DIR');
  process.exit(2);
}
if (typeof WebSocket !== 'function') {
  console.error('status_page_test.mjs: this Node.js has no WebSocket (Node 20 needs --experimental-websocket)');
  process.exit(2);
}
setTimeout(() => {
  console.error('status_page_test.mjs: gave up after 50 s');
  process.exit(1);
}, 50_000).unref();

let failures = 0;
function check(ok, what, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? ` — ${detail}` : ''}`);
  if (!ok) failures += 1;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the server ----
const now = Math.floor(Date.now() / 1000);
async function report(district, body) {
  const r = await fetch(`${base}/internal/v1/districts/${encodeURIComponent(district)}/report`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (r.status !== 200) throw new Error(`report ${district}: ${r.status} ${await r.text()}`);
}
const getJson = async (path) => (await fetch(base + path)).json();

const districts = {
  'Acrylic Acres': {
    population: 1234, invasion: { cog: 'Telemarketer', defeated: 1200, total: 4000, started_at: now - 600 },
    field_offices: [{ zone: 3100, department: 's', difficulty: 2, annexes: 5, open: true, expiring: null },
      { zone: 5200, department: 's', difficulty: 0, annexes: 0, open: false, expiring: now + 90 }],
    silly_points: { 'Double Jellybeans': 10 },
  },
  Boingbury: { population: 87, invasion: { cog: 'Flunky', mega: true, defeated: 5000, started_at: now - 60 } },
  'Splat Summit': {
    population: 45, status: 'draining',
    invasion: { cog: 'Bean Counter', skelecog: true, v2: true, defeated: 200, total: 3000, started_at: now - 30 },
  },
  'Zoink Falls': { population: 0, status: 'closed' },
};
for (const [name, body] of Object.entries(districts)) await report(name, body);

// The tick publishes within world.tick: wait for the snapshot that holds every district.
let population;
for (let i = 0; i < 50; i += 1) {
  population = await getJson('/api/population');
  if (Object.keys(population.populationByDistrict).length === 4) break;
  await sleep(100);
}
// A second report a moment later gives Acrylic Acres a defeat rate and an estimated end.
await report('Acrylic Acres', { ...districts['Acrylic Acres'],
  invasion: { ...districts['Acrylic Acres'].invasion, defeated: 1300 } });
let invasions;
for (let i = 0; i < 50; i += 1) {
  invasions = await getJson('/api/invasions');
  if ((invasions.invasions['Acrylic Acres'] || {}).progress === '1300/4000') break;
  await sleep(100);
}
const offices = await getJson('/api/fieldoffices');
const silly = await getJson('/api/sillymeter');
check(Object.keys(invasions.invasions).length === 3, 'the server reports the 3 invasions');
check(Object.keys(offices.fieldOffices).length === 2, 'the server reports the 2 field offices');

// ---- the browser ----
const ws = new WebSocket(devtools);
await new Promise((resolve, reject) => {
  ws.onopen = resolve;
  ws.onerror = () => reject(new Error(`cannot connect to ${devtools}`));
});
let nextId = 1;
const waiting = new Map();
const listeners = [];
ws.onmessage = (m) => {
  const msg = JSON.parse(m.data);
  if (msg.id && waiting.has(msg.id)) {
    const { resolve, reject } = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.error) reject(new Error(`${msg.error.message} (${msg.error.code})`));
    else resolve(msg.result);
  } else if (msg.method) {
    for (const l of listeners) l(msg);
  }
};
function send(method, params = {}, sessionId = undefined) {
  const id = nextId++;
  ws.send(JSON.stringify({ id, method, params, sessionId }));
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
}

const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
const page = (method, params) => send(method, params, sessionId);
const consoleErrors = [];
listeners.push((msg) => {
  if (msg.sessionId !== sessionId) return;
  if (msg.method === 'Runtime.exceptionThrown') consoleErrors.push(msg.params.exceptionDetails.text);
  if (msg.method === 'Log.entryAdded' && msg.params.entry.level === 'error') consoleErrors.push(msg.params.entry.text);
});
await page('Page.enable');
await page('Runtime.enable');
await page('Log.enable');
async function evaluate(expression) {
  const r = await page('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
  if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.text}`);
  return r.result.value;
}
async function until(expression, ms) {
  const start = Date.now();
  for (;;) {
    if (await evaluate(expression)) return Date.now() - start;
    if (Date.now() - start > ms) return -1;
    await sleep(50);
  }
}
async function viewport(width, height, mobile) {
  await page('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: mobile ? 2 : 1, mobile });
}
async function screenshot(name) {
  const { contentSize } = await page('Page.getLayoutMetrics');
  const { data } = await page('Page.captureScreenshot', {
    format: 'png', captureBeyondViewport: true,
    clip: { x: 0, y: 0, width: contentSize.width, height: contentSize.height, scale: 1 },
  });
  const file = join(outDir, name);
  writeFileSync(file, Buffer.from(data, 'base64'));
  console.log(`screenshot: ${file}`);
}

await viewport(1280, 900, false);
const loaded = new Promise((resolve) => listeners.push((m) => m.method === 'Page.loadEventFired' && resolve()));
await page('Page.navigate', { url: `${base}/` });
await loaded;
check(await evaluate('document.title') === 'Toontown status', 'GET / is the status page');
const rows = `document.querySelectorAll('#districts tr[data-district]').length`;
check(await until(`${rows} === 4`, 5000) >= 0, 'the page lists the 4 districts');
check(await until(`document.getElementById('live').dataset.state === 'live'`, 5000) >= 0,
  'the page follows the event stream');

// Districts and populations as /api/population has them.
const shown = await evaluate(`[...document.querySelectorAll('#districts tr[data-district]')].map((tr) => ({
  name: tr.dataset.district, population: tr.querySelector('.population').textContent,
  status: tr.querySelector('.status').textContent }))`);
for (const [name, pop] of Object.entries(population.populationByDistrict)) {
  const row = shown.find((r) => r.name === name);
  check(row && row.population === pop.toLocaleString('en-US'), `district ${name} shows population ${pop}`,
    JSON.stringify(row));
  const status = population.statusByDistrict[name];
  check(row && row.status.toLowerCase() === status, `district ${name} shows status ${status}`, JSON.stringify(row));
}
const total = Object.values(population.populationByDistrict).reduce((a, b) => a + b, 0);
check(await evaluate(`document.getElementById('total-population').textContent`) === total.toLocaleString('en-US'),
  `the total population is ${total}`);

// Invasions as /api/invasions has them: type and progress, with the mega and v2/skelecog badges.
const cards = await evaluate(`[...document.querySelectorAll('#invasions .card')].map((c) => ({
  district: c.dataset.district, type: c.dataset.type, progress: c.dataset.progress,
  badges: [...c.querySelectorAll('.badge')].map((b) => b.textContent),
  bar: c.querySelector('[role=progressbar]') !== null, text: c.textContent }))`);
check(cards.length === Object.keys(invasions.invasions).length, `the page shows ${cards.length} invasions`);
for (const [district, inv] of Object.entries(invasions.invasions)) {
  const card = cards.find((c) => c.district === district);
  check(card && card.type === inv.type && card.progress === inv.progress,
    `invasion in ${district}: ${inv.type} ${inv.progress}`, JSON.stringify(card));
  check(card && card.bar, `invasion in ${district} has a progress bar`);
}
const badges = (d) => (cards.find((c) => c.district === d) || { badges: [] }).badges;
check(badges('Boingbury').includes('Mega invasion'), 'the mega invasion has its badge');
check(badges('Splat Summit').includes('Version 2.0') && badges('Splat Summit').includes('Skelecog'),
  'the v2.0 skelecog invasion has both badges');
check(badges('Acrylic Acres').includes('Sellbot'), 'an invasion shows its department');
const acrylic = (cards.find((c) => c.district === 'Acrylic Acres') || {}).text || '';
check(/[0-9.,]+\/min/.test(acrylic), 'an invasion shows its defeat rate', acrylic);
check(/\(\d{1,2}:\d\d/.test(acrylic), 'an invasion shows its estimated end', acrylic);

// Field offices and the silly meter.
const zones = await evaluate(`[...document.querySelectorAll('#offices [data-zone]')].map((z) => z.dataset.zone)`);
check(JSON.stringify(zones) === JSON.stringify(Object.keys(offices.fieldOffices)), 'the field offices are listed by zone',
  JSON.stringify(zones));
check(await evaluate(`document.querySelector('#offices [data-zone="3100"]').textContent.includes('Walrus Way')`),
  'a field office shows its street');
const teams = await evaluate(`[...document.querySelectorAll('#silly .team strong')].map((t) => t.textContent)`);
check(JSON.stringify(teams) === JSON.stringify(silly.rewards), 'the silly meter shows its three teams',
  JSON.stringify(teams));
check(await evaluate(`document.querySelector('#silly [role=meter]') !== null`), 'the silly meter has a meter bar');

// A new district, reported now, shows up without a reload within 2 s.
await evaluate('window.__sameDocument = true');
await report('Whoosh Rapids', {
  population: 321, invasion: { cog: 'The Big Cheese', defeated: 7, total: 1000, started_at: now },
});
const took = await until(`(() => {
  const row = document.querySelector('#districts tr[data-district="Whoosh Rapids"]');
  const card = document.querySelector('#invasions .card[data-district="Whoosh Rapids"]');
  return row !== null && card !== null && card.dataset.type === 'The Big Cheese';
})()`, 2000);
check(took >= 0, `a new district and its invasion appear within 2 s (${took} ms)`);
// A field office opening is streamed too.
await report('Acrylic Acres', { ...districts['Acrylic Acres'],
  invasion: { ...districts['Acrylic Acres'].invasion, defeated: 1300 },
  field_offices: [...districts['Acrylic Acres'].field_offices,
    { zone: 9100, department: 's', difficulty: 1, annexes: 3, open: true, expiring: null }] });
const officeTook = await until(`document.querySelector('#offices [data-zone="9100"]') !== null`, 2000);
check(officeTook >= 0, `a new field office appears within 2 s (${officeTook} ms)`);
check(await evaluate('window.__sameDocument === true'), 'the page was not reloaded');
check(await until(`document.getElementById('district-count').textContent === '5'`, 2000) >= 0,
  'the district count follows');

// /status is the same page; the assets have their types.
const statusPage = await fetch(`${base}/status`);
check(statusPage.status === 200 && (await statusPage.text()).includes('<title>Toontown status</title>'),
  'GET /status is the page too');
check(consoleErrors.length === 0, 'no script errors or CSP refusals in the console', consoleErrors.join(' | '));

await screenshot('status-desktop.png');
await viewport(390, 844, true);
await sleep(300);
const overflow = await evaluate('document.documentElement.scrollWidth - window.innerWidth');
check(overflow <= 0, 'nothing sticks out sideways at phone width', `${overflow}px`);
await screenshot('status-phone.png');
await page('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: 'dark' }] });
await sleep(300);
await screenshot('status-phone-dark.png');

await send('Target.closeTarget', { targetId });
ws.close();
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
