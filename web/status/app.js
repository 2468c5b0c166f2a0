// Toontown status page: reads this server's JSON endpoints once, then follows its event stream
// (/api/v2/invasions/stream: invasions, district changes, field offices, the silly meter) and reads
// the endpoints again every few seconds for populations, which are not streamed. Plain
// JavaScript, no framework, nothing loaded from elsewhere.
'use strict';

(() => {
  const REFRESH_MS = 10000;
  const number = new Intl.NumberFormat('en-US');
  const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
  const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
  const streets = {
    3100: 'Walrus Way', 3200: 'Sleet Street', 3300: 'Polar Place', 4100: 'Alto Avenue',
    4200: 'Baritone Boulevard', 4300: 'Tenor Terrace', 5100: 'Elm Street', 5200: 'Maple Street',
    5300: 'Oak Street', 9100: 'Lullaby Lane', 9200: 'Pajama Place',
  };
  const playgrounds = { 3: 'The Brrrgh', 4: "Minnie's Melodyland", 5: 'Daisy Gardens', 9: "Donald's Dreamland" };
  const departments = { c: 'bossbot', l: 'lawbot', m: 'cashbot', s: 'sellbot' };

  const state = { districts: new Map(), offices: {}, silly: null, game: null, updated: 0 };
  const $ = (id) => document.getElementById(id);

  // ---- small DOM helpers (text only: nothing from the server is ever parsed as HTML) ----
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k === 'width') node.style.width = v;  // CSSOM: allowed by the page's CSP, unlike style=
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }
  const title = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  const now = () => Date.now() / 1000;

  function duration(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return 'under a minute';
    const m = Math.round(s / 60);
    if (m < 60) return `${m} min`;
    const h = Math.floor(m / 60);
    if (h < 48) return `${h} h ${m % 60} min`;
    return `${Math.round(h / 24)} days`;
  }
  const when = (unix) => `${duration(unix - now())} (${clock.format(new Date(unix * 1000))})`;

  function ttrType(inv) {
    return (inv.v2 ? 'Version 2.0 ' : '') + inv.cog + (inv.skelecog ? ' (Skelecog)' : '');
  }

  // ---- data ----
  async function getJson(path) {
    const r = await fetch(path, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`${path}: ${r.status}`);
    return r.json();
  }

  async function refresh() {
    const [districts, offices, silly, game] = await Promise.allSettled([
      getJson('api/v2/districts'), getJson('api/fieldoffices'), getJson('api/sillymeter'), getJson('api/status'),
    ]);
    if (districts.status === 'fulfilled') {
      state.districts = new Map(districts.value.districts.map((d) => [d.name, d]));
      state.updated = districts.value.lastUpdated;
    }
    if (offices.status === 'fulfilled') state.offices = offices.value.fieldOffices || {};
    if (silly.status === 'fulfilled') state.silly = silly.value.error ? null : silly.value;
    if (game.status === 'fulfilled') state.game = game.value;
    render();
  }

  // ---- live events ----
  function follow() {
    if (!('EventSource' in window)) {
      setLive('down', 'Live updates need a newer browser; refreshing every few seconds.');
      return;
    }
    const stream = new EventSource('api/v2/invasions/stream');
    stream.onopen = () => {
      setLive('live', 'Live: updates as they happen.');
      refresh().catch(() => {});
    };
    stream.onerror = () => setLive('down', 'Live updates lost; reconnecting…');
    const district = (name) => {
      let d = state.districts.get(name);
      if (!d) {
        d = { name, status: 'online', population: 0, invasion: null };
        state.districts.set(name, d);
      }
      return d;
    };
    stream.addEventListener('district.status', (e) => {
      const data = JSON.parse(e.data);
      if (data.status === 'gone') state.districts.delete(data.district);
      else Object.assign(district(data.district), { status: data.status, population: data.population });
      state.updated = Math.floor(now());
      schedule();
    });
    for (const type of ['invasion.started', 'invasion.progress']) {
      stream.addEventListener(type, (e) => {
        const inv = JSON.parse(e.data);
        district(inv.district).invasion = inv;
        state.updated = Math.floor(now());
        schedule();
      });
    }
    stream.addEventListener('fieldoffices.changed', (e) => {
      state.offices = JSON.parse(e.data).fieldOffices || {};
      schedule();
    });
    stream.addEventListener('sillymeter.changed', (e) => {
      const silly = JSON.parse(e.data);
      state.silly = silly.error ? null : silly;
      schedule();
    });
    stream.addEventListener('invasion.ended', (e) => {
      const inv = JSON.parse(e.data);
      const d = state.districts.get(inv.district);
      if (d && d.invasion && d.invasion.id === inv.id) d.invasion = null;
      schedule();
    });
  }

  function setLive(mode, text) {
    $('live').dataset.state = mode;
    $('live-text').textContent = text;
  }

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    const run = () => {
      pending = false;
      render();
    };
    // A hidden tab gets no animation frames: draw anyway, so it is current when it is shown.
    if (document.hidden) setTimeout(run, 0);
    else requestAnimationFrame(run);
  }

  // ---- rendering ----
  function render() {
    const districts = [...state.districts.values()].sort((a, b) => a.name.localeCompare(b.name));
    const invasions = districts.filter((d) => d.invasion).map((d) => d.invasion);
    const total = districts.reduce((n, d) => n + (d.population || 0), 0);
    $('total-population').textContent = number.format(total);
    $('district-count').textContent = number.format(districts.length);
    $('invasion-count').textContent = number.format(invasions.length);
    renderGame();
    renderInvasions(invasions);
    renderDistricts(districts);
    renderSilly();
    renderOffices();
    const updated = $('updated');
    if (state.updated) {
      updated.dateTime = new Date(state.updated * 1000).toISOString();
      updated.textContent = clock.format(new Date(state.updated * 1000));
    }
  }

  function renderGame() {
    const g = state.game;
    $('game-status').textContent = !g ? 'Checking the game…' : g.open ? 'Toontown is open.' : 'Toontown is closed.';
    const banner = $('banner');
    banner.hidden = !(g && g.banner);
    banner.textContent = g && g.banner ? g.banner : '';
  }

  function invasionCard(inv) {
    const dept = inv.department || 'unknown';
    const badges = el('ul', { class: 'badges', 'aria-label': 'Kind' },
      el('li', { class: 'badge', text: title(dept) }),
      inv.mega ? el('li', { class: 'badge mega', text: 'Mega invasion' }) : null,
      inv.v2 ? el('li', { class: 'badge v2', text: 'Version 2.0' }) : null,
      inv.skelecog ? el('li', { class: 'badge skelecog', text: 'Skelecog' }) : null);
    const share = inv.mega || !inv.total ? 100 : Math.min(100, (100 * inv.defeated) / inv.total);
    const progressText = inv.mega
      ? number.format(inv.defeated)
      : `${number.format(inv.defeated)} / ${number.format(inv.total)}`;
    const bar = el('div', {
      class: inv.mega ? 'bar mega' : 'bar', role: 'progressbar', 'aria-label': `${inv.cog} invasion progress`,
      'aria-valuemin': 0, 'aria-valuemax': inv.mega ? undefined : inv.total,
      'aria-valuenow': inv.mega ? undefined : inv.defeated, 'aria-valuetext': `${progressText} defeated`,
    }, el('span', { width: inv.mega ? undefined : `${share.toFixed(1)}%` }));
    const ends = inv.estimatedEnd ? when(inv.estimatedEnd) : inv.mega ? 'no end in sight' : 'measuring';
    const rate = inv.defeatRate > 0 ? `${decimal.format(inv.defeatRate)}/min` : 'measuring';
    return el('li', {
      class: `card dept-${dept}`, 'data-district': inv.district, 'data-type': ttrType(inv),
      'data-progress': inv.mega ? '0/1000000' : `${inv.defeated}/${inv.total}`,
    },
    el('h3', { text: inv.cog }),
    el('p', { class: 'where', text: inv.district }),
    badges, bar,
    el('dl', { class: 'stats' },
      el('div', {}, el('dt', { text: 'Defeated' }), el('dd', { class: 'progress-text', text: progressText })),
      el('div', {}, el('dt', { text: 'Defeat rate' }), el('dd', { text: rate })),
      el('div', {}, el('dt', { text: 'Ends in' }), el('dd', { text: ends }))));
  }

  function renderInvasions(invasions) {
    const list = $('invasions');
    list.replaceChildren(...invasions.map(invasionCard));
    $('invasions-empty').hidden = invasions.length > 0;
  }

  function renderDistricts(districts) {
    const rows = districts.map((d) => el('tr', { 'data-district': d.name },
      el('th', { scope: 'row', class: 'name', text: d.name }),
      el('td', { class: 'num population', text: number.format(d.population || 0) }),
      el('td', {}, el('span', { class: `status ${d.status}`, text: title(d.status) })),
      el('td', { class: 'cog invasion-col' }, d.invasion ? ttrType(d.invasion) : el('span', { class: 'none', text: '—' }))));
    $('districts').replaceChildren(...rows);
    $('districts-empty').hidden = districts.length > 0;
  }

  function renderSilly() {
    const s = state.silly;
    const box = $('silly');
    if (!s) {
      $('silly-state').textContent = 'Not running.';
      box.replaceChildren();
      return;
    }
    const max = 5000000;
    const words = {
      Active: `Filling up: next tally in ${duration(s.nextUpdateTimestamp - now())}.`,
      Reward: `${s.winner} won! Reward ends in ${duration(s.nextUpdateTimestamp - now())}.`,
      Inactive: `Cooling down: back in ${duration(s.nextUpdateTimestamp - now())}.`,
    };
    $('silly-state').textContent = words[s.state] || s.state;
    const pct = Math.min(100, (100 * s.hp) / max);
    const meter = el('div', {
      class: 'meter', role: 'meter', 'aria-label': 'Silly Meter', 'aria-valuemin': 0, 'aria-valuemax': max,
      'aria-valuenow': s.hp, 'aria-valuetext': `${number.format(s.hp)} of ${number.format(max)}`,
    }, el('span', { width: `${pct.toFixed(1)}%` }));
    const label = el('p', { class: 'meter-label' },
      el('span', { text: `${number.format(s.hp)} silly particles` }), el('span', { text: `${pct.toFixed(1)}%` }));
    const teams = el('ul', { class: 'teams', 'aria-label': 'Silly Teams' }, ...s.rewards.map((name, i) => {
      const points = s.rewardPoints && s.rewardPoints[i] !== null ? s.rewardPoints[i] : null;
      return el('li', { class: name === s.winner ? 'team winner' : 'team' },
        points !== null ? el('span', { class: 'points', text: number.format(points) }) : null,
        el('strong', { text: name === s.winner ? `🏆 ${name}` : name }),
        el('p', { text: (s.rewardDescriptions || [])[i] || '' }));
    }));
    box.replaceChildren(meter, label, teams);
  }

  function renderOffices() {
    const zones = Object.keys(state.offices).sort((a, b) => Number(a) - Number(b));
    const items = zones.map((zone) => {
      const fo = state.offices[zone];
      const street = streets[zone] || `Zone ${zone}`;
      const stars = fo.difficulty + 1;
      let detail = `${fo.annexes} ${fo.annexes === 1 ? 'annex' : 'annexes'} left`;
      if (fo.expiring) detail = `Last annex down: closes in ${duration(fo.expiring - now())}`;
      const dept = departments[fo.department] || 'sellbot';
      return el('li', { class: `office dept-${dept}`, 'data-zone': zone },
        el('strong', { text: street }),
        el('span', { class: 'stars', 'aria-label': `${stars} ${stars === 1 ? 'star' : 'stars'}`, text: '★'.repeat(stars) }),
        el('span', { class: fo.open ? 'office-open' : 'office-closed', text: fo.open ? 'Open' : 'Closed' }),
        el('span', { class: 'detail', text: `${playgrounds[Math.floor(zone / 1000)] || ''} · ${detail}` }));
    });
    $('offices').replaceChildren(...items);
    $('offices-empty').hidden = items.length > 0;
  }

  refresh().catch(() => setLive('down', 'Cannot reach the server; retrying…'));
  follow();
  setInterval(() => refresh().catch(() => {}), REFRESH_MS);
  setInterval(schedule, 15000);  // relative times ("ends in 12 min") move on
})();
