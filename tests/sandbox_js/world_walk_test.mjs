// Walks the Clash of Clans sandbox's world with clashofclans.js the way a bot does, and fails on
// any tag the library is handed that does not resolve:
//
//   player → its clan → the clan's war and war log → its Clan War League group → every war of the
//   group → both sides' members → their profiles → their clans → …
//
// breadth first from three recorded players (the seed's player, a member of the clan whose lists
// were recorded, which is in the recorded league group, and a member of the clan at war), until every clan and player within the bounds has been
// visited. A 404 is allowed only where the real API gives one for an existing clan: the league
// group of a clan that is not in the Clan War League. A private war log must be a 403.
//
//   node world_walk_test.mjs BASE_URL API_KEY SEED_DIR
//
// Exit status 1 when anything dangles or the walk did not get through every step of the chain.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, HttpError } from 'clashofclans.js';

const [baseURL, key, seedDir] = process.argv.slice(2);
if (!baseURL || !key || !seedDir) {
  console.error('usage: node world_walk_test.mjs BASE_URL API_KEY SEED_DIR');
  process.exit(2);
}
const seed = (file) => JSON.parse(readFileSync(path.join(seedDir, file), 'utf8'));
const start = [
  seed('player.json').tag,
  seed('clan_members.json').items[0].tag,
  seed('currentwar_inwar.json').clan.members[0].tag,
];

// Bounds: the demo world has thousands of clans; these reach well past the recorded ones.
const maxClans = 60;
const maxPlayers = 1500;
const parallel = 16;

const client = new Client({ baseURL, keys: [key] });
const problems = [];
const seen = { clans: new Set(), players: new Set(), wars: new Set(), groups: new Set() };
const visited = { clans: 0, players: 0, wars: 0, leagueWars: 0, groups: 0, memberships: 0 };
const clanQueue = [];
const playerQueue = [];
const why = new Map();

function clan(tag, from) {
  if (!tag || tag === '#0' || seen.clans.has(tag)) return;
  seen.clans.add(tag);
  why.set(tag, from);
  clanQueue.push(tag);
}
function player(tag, from) {
  if (!tag || seen.players.has(tag)) return;
  seen.players.add(tag);
  why.set(tag, from);
  playerQueue.push(tag);
}

/** Runs a call; an HttpError becomes a problem (unless `allowed` says it is the API's answer). */
async function call(what, fn, allowed = () => false) {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof HttpError && allowed(error)) return error;
    const text = error instanceof HttpError ? `${error.status} ${error.reason}` : (error?.message ?? String(error));
    problems.push(`${what}: ${text}`);
    return undefined;
  }
}

function war(w, from) {
  for (const side of [w.clan, w.opponent]) {
    clan(side.tag, from);
    for (const m of side.members) player(m.tag, from);
  }
}

async function visitClan(tag) {
  const from = `clan ${tag} (from ${why.get(tag)})`;
  const c = await call(from, () => client.getClan(tag));
  if (!c) return;
  visited.clans++;
  for (const m of c.members) player(m.tag, from);
  if (c.isWarLogPublic) {
    const w = await call(`${from} current war`, () => client.getClanWar(tag));
    if (w && w.state !== 'notInWar') {
      visited.wars++;
      war(w, `${from} current war`);
    }
    const log = await call(`${from} war log`, () => client.getClanWarLog(tag));
    for (const entry of log ?? []) if (entry.opponent?.tag) clan(entry.opponent.tag, `${from} war log`);
  } else {
    await call(`${from} private war log`, () => client.getClanWar(tag).then(() => {
      throw new Error('a private war log answered 200');
    }), (e) => e.status === 403 && e.reason === 'privateWarLog');
  }
  const group = await call(`${from} league group`, () => client.getClanWarLeagueGroup(tag),
    (e) => e.status === 404 && e.reason === 'notFound');
  if (group && !(group instanceof HttpError)) await leagueGroup(group, `${from} league group`);
  const raids = await call(`${from} raids`, () => client.rest.getCapitalRaidSeasons(tag));
  for (const season of raids?.body.items ?? []) {
    for (const m of season.members ?? []) player(m.tag, `${from} raids`);
    for (const r of season.attackLog ?? []) clan(r.defender.tag, `${from} raids`);
    for (const r of season.defenseLog ?? []) clan(r.attacker.tag, `${from} raids`);
  }
}

async function leagueGroup(group, from) {
  const id = group.rounds.map((r) => r.warTags.join()).join();
  if (seen.groups.has(id)) return;
  seen.groups.add(id);
  visited.groups++;
  for (const c of group.clans) {
    clan(c.tag, from);
    for (const m of c.members) player(m.tag, from);
  }
  for (const round of group.rounds) {
    for (const warTag of round.warTags) {
      if (warTag === '#0' || seen.wars.has(warTag)) continue;
      seen.wars.add(warTag);
      const w = await call(`${from} war ${warTag}`, () => client.getClanWarLeagueRound(warTag));
      if (!w) continue;
      visited.leagueWars++;
      war(w, `${from} war ${warTag}`);
    }
  }
}

async function visitPlayer(tag) {
  const from = `player ${tag} (from ${why.get(tag)})`;
  const p = await call(from, () => client.getPlayer(tag));
  if (!p) return;
  visited.players++;
  if (!p.clan) return;
  // The library's own step from a player to its clan; the player is in the clan's member list.
  const c = await call(`${from} fetchClan`, () => p.fetchClan());
  if (!c) return;
  if (!c.members.some((m) => m.tag === tag)) problems.push(`${from}: not in the member list of ${c.tag}`);
  visited.memberships++;
  clan(c.tag, from);
}

async function drain(queue, visit, budget) {
  const batch = queue.splice(0, Math.min(parallel, queue.length, budget()));
  await Promise.all(batch.map(visit));
  return batch.length;
}

for (const tag of start) player(tag, 'the start');
for (;;) {
  // Clans first, so that the walk goes through wars and leagues before it fans out to players.
  if (clanQueue.length && visited.clans < maxClans) {
    await drain(clanQueue, visitClan, () => maxClans - visited.clans);
    continue;
  }
  if (playerQueue.length && visited.players < maxPlayers) {
    await drain(playerQueue, visitPlayer, () => maxPlayers - visited.players);
    continue;
  }
  break;
}

const summary = Object.entries(visited).map(([k, v]) => `${k} ${v}`).join(', ');
for (const p of problems.slice(0, 30)) console.log(`FAIL ${p}`);
try {
  assert.equal(problems.length, 0, `${problems.length} problems`);
  // Every step of the chain was taken.
  assert.ok(visited.wars > 0, 'no regular war was reached');
  assert.ok(visited.groups > 0, 'no Clan War League group was reached');
  assert.ok(visited.leagueWars > 0, 'no Clan War League war was reached');
  assert.ok(visited.memberships > 0, 'no player led to its clan');
  assert.ok(visited.clans >= Math.min(maxClans, seen.clans.size), 'clans left unvisited');
} catch (error) {
  console.log(`FAIL world walk — ${error.message} (${summary})`);
  process.exit(1);
}
console.log(`ok   world walk — ${summary}; ${seen.clans.size} clans and ${seen.players.size} players named, none dangling`);
