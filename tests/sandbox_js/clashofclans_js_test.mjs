// Calls every method of the npm client clashofclans.js (4.0.5) against the Clash of Clans sandbox
// and checks the answers against the seed data the sandbox serves.
//
//   node clashofclans_js_test.mjs BASE_URL API_KEY SEED_DIR
//
// BASE_URL is the sandbox's http://127.0.0.1:PORT/v1, API_KEY a key allowed from 127.0.0.1 (the
// one --demo writes), SEED_DIR data/coc-seed. The script must sit next to a node_modules folder
// holding clashofclans.js (run.sh copies it into the folder npm installed into). One line per
// call; the exit status is 1 when any check fails.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Agent, fetch, setGlobalDispatcher } from 'undici';
import { Client, HttpError, RequestHandler, RestManager, Util, LEGEND_LEAGUE_ID } from 'clashofclans.js';

const [baseURL, key, seedDir] = process.argv.slice(2);
if (!baseURL || !key || !seedDir) {
  console.error('usage: node clashofclans_js_test.mjs BASE_URL API_KEY SEED_DIR');
  process.exit(2);
}
const seed = (file) => JSON.parse(readFileSync(path.join(seedDir, file), 'utf8'));

// --- a tiny runner: one line per check, failures counted ---------------------------------------

let passed = 0;
const failures = [];
const covered = new Set(); // "Client.getClan", "RestManager.getClan", … reached by a check

async function check(name, fn) {
  covered.add(name.split(' ')[0]);
  try {
    let detail = await fn();
    if (detail instanceof HttpError) detail = `${detail.status} ${detail.reason}: ${detail.message}`;
    passed++;
    console.log(`ok   ${name}${typeof detail === 'string' && detail ? ` — ${detail}` : ''}`);
  } catch (error) {
    failures.push(name);
    const text = error instanceof HttpError
      ? `HttpError ${error.status} ${error.reason}: ${error.message} (${error.method} ${error.path})`
      : (error?.message ?? String(error));
    console.log(`FAIL ${name} — ${text.split('\n').join('\n       ')}`);
  }
}

/** Awaits a call that must fail with the library's HttpError of this status and reason. */
async function rejects(promise, status, reason) {
  let result;
  try {
    result = await promise;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    assert.equal(error.status, status, `status of ${error.path}`);
    assert.equal(error.reason, reason, `reason of ${error.path}`);
    return error;
  }
  throw new Error(`expected HttpError ${status} ${reason}, got a result: ${JSON.stringify(result)?.slice(0, 200)}`);
}

/** A raw RestManager result must be a 200 with a positive max-age. */
function ok200(result) {
  assert.equal(result.res.status, 200, `status of ${result.res.path}`);
  assert.equal(result.res.ok, true);
  assert.ok(result.res.maxAge > 0, `max-age of ${result.res.path} is ${result.res.maxAge}`);
  return result.body;
}

const tags = (items) => items.map((i) => i.tag);
const ids = (items) => items.map((i) => i.id);

// --- the seed ------------------------------------------------------------------------------------

const player = seed('player.json');
const clan = seed('clan.json');
const members = seed('clan_members.json');
const warlog = seed('warlog.json');
const raids = seed('capitalraidseasons.json');
const search = seed('clan_search_large.json');
const inWar = seed('currentwar_inwar.json');
const preparation = seed('currentwar_preparation.json');
const group = seed('cwl_leaguegroup.json');
const cwlEnded = seed('cwl_war_ended.json');
const cwlInWar = seed('cwl_war_inwar.json');
const cwlPreparation = seed('cwl_war_preparation.json');
const battlelog = seed('battlelog.json');
const leagueHistory = seed('leaguehistory.json');
const rankedGroup = seed('ranked_leaguegroup_current.json');
const leagueTiers = seed('leaguetiers.json');
const builderLeagues = seed('builderbaseleagues.json');
const capitalLeagues = seed('capitalleagues.json');
const warLeagues = seed('warleagues.json');
const seasons = seed('league_seasons.json');
const seasonRanking = seed('league_season_rankings.json');
const locations = seed('locations.json');
const country = seed('location_country.json');
const region = seed('location_region.json');
const clanRanks = seed('rankings_clans.json');
const playerRanks = seed('rankings_players.json');
const builderClanRanks = seed('rankings_clans_builder_base.json');
const builderPlayerRanks = seed('rankings_players_builder_base.json');
const capitalRanks = seed('rankings_capitals.json');
const clanLabels = seed('labels_clans.json');
const playerLabels = seed('labels_players.json');
const goldPass = seed('goldpass.json');
const verified = seed('verifytoken_ok.json');

const listClan = members.items.length ? '#29Y8PRCJR' : null; // the clan the recorded lists belong to
const privateClan = clan.tag; // #2PP: isWarLogPublic false
const scheduled = group.rounds.map((r) => r.warTags).filter((t) => !t.includes('#0'));
const cwlClan = cwlInWar.clan.tag;
const latestSeason = seasons.items.at(-1).id;
const rankedSeasonId = 1773032400;
const unknownTag = '#2PPP';

const client = new Client({ baseURL, keys: [key] });
const rest = new RestManager({ baseURL, keys: [key] });

// --- Client: clans ------------------------------------------------------------------------------

await check('Client.getClans by name (the recorded search)', async () => {
  const clans = await client.getClans({ name: 'test' });
  assert.equal(clans.length, search.items.length);
  assert.deepEqual(tags(clans), tags(search.items));
  assert.equal(clans[0].name, search.items[0].name);
  return `${clans.length} clans`;
});
await check('Client.getClans by filters', async () => {
  const clans = await client.getClans({ minMembers: 45, minClanLevel: 10, limit: 5 });
  assert.ok(clans.length > 0 && clans.length <= 5, `${clans.length} clans`);
  for (const c of clans) assert.ok(c.memberCount >= 45 && c.level >= 10, `${c.tag}: ${c.memberCount} members, level ${c.level}`);
  const labelled = await client.getClans({ labelIds: '56000000', warFrequency: 'always', limit: 3 });
  for (const c of labelled) assert.ok(c.labels.some((l) => l.id === 56000000), `${c.tag} lacks label 56000000`);
  return `${clans.length} + ${labelled.length} clans`;
});
await check('Client.getClans by tags', async () => {
  const clans = await client.getClans([clan.tag, unknownTag]);
  assert.deepEqual(tags(clans), [clan.tag]);
});
await check('Client.getClans without a filter is a 400', () => rejects(client.getClans({}), 400, 'badRequest'));
await check('Client.getClan', async () => {
  const c = await client.getClan(clan.tag.toLowerCase().replace('#', ''));
  assert.equal(c.tag, clan.tag);
  assert.equal(c.name, 'The Order');
  assert.equal(c.name, clan.name);
  assert.equal(c.memberCount, clan.members);
  assert.deepEqual(tags(c.members), tags(clan.memberList));
  assert.equal(c.isWarLogPublic, false);
  assert.equal(c.warLeague?.id, clan.warLeague.id);
  return `${c.name} (${c.tag}), ${c.memberCount} members`;
});
await check('Client.getClan unknown tag is a 404', async () => {
  const e = await rejects(client.getClan(unknownTag), 404, 'notFound');
  assert.equal(e.message, 'Not found with tag 2PPP');
});
await check('Client.getClanMembers', async () => {
  const list = await client.getClanMembers(listClan);
  assert.deepEqual(tags(list), tags(members.items));
  assert.equal(list[0].name, members.items[0].name);
  const page = await client.getClanMembers(listClan, { limit: 2 });
  assert.deepEqual(tags(page), tags(members.items.slice(0, 2)));
  return `${list.length} members`;
});
await check('Client.getCapitalRaidSeasons', async () => {
  const list = await client.getCapitalRaidSeasons(listClan, { limit: 3 });
  assert.equal(list.length, 3);
  assert.equal(list[0].state, raids.items[0].state);
  assert.equal(list[0].startTime.getTime(), Util.formatDate(raids.items[0].startTime).getTime());
  assert.equal(list[0].capitalTotalLoot, raids.items[0].capitalTotalLoot);
  return `${list.length} seasons, first from ${list[0].startTime.toISOString()}`;
});
await check('Client.getClanWarLog', async () => {
  const log = await client.getClanWarLog(listClan);
  assert.equal(log.length, warlog.items.length);
  assert.equal(log[0].result, warlog.items[0].result);
  assert.equal(log[0].clan.tag, warlog.items[0].clan.tag);
  return `${log.length} wars`;
});
await check('Client.getClanWarLog of a private log is a 403', async () => {
  const e = await rejects(client.getClanWarLog(privateClan), 403, 'privateWarLog');
  assert.equal(e.message, 'Access denied, clan war log is private.');
});
await check('Client.getClanWar', async () => {
  const war = await client.getClanWar(inWar.clan.tag);
  assert.equal(war.state, 'inWar');
  assert.equal(war.clan.tag, inWar.clan.tag);
  assert.equal(war.opponent.tag, inWar.opponent.tag);
  assert.equal(war.teamSize, inWar.teamSize);
  const prep = await client.getClanWar(preparation.clan.tag);
  assert.equal(prep.state, 'preparation');
  assert.equal(prep.opponent.tag, preparation.opponent.tag);
  const none = await client.getClanWar(listClan);
  assert.equal(none.state, 'notInWar');
  assert.equal(none.isNotInWar, true);
  return `${war.clan.name} vs ${war.opponent.name}`;
});
await check('Client.getClanWar of a private log is a 403', () => rejects(client.getClanWar(privateClan), 403, 'privateWarLog'));
await check('Client.getClanWarLeagueGroup', async () => {
  const g = await client.getClanWarLeagueGroup(group.clans[0].tag);
  assert.equal(g.state, group.state);
  assert.equal(g.season, group.season);
  assert.deepEqual(tags(g.clans), tags(group.clans));
  assert.equal(g.rounds.length, group.rounds.length);
  assert.equal(g.getRoundIndex(scheduled[0][0]), 1);
  return `${g.season}, ${g.clans.length} clans, ${g.rounds.length} rounds`;
});
await check('Client.getClanWarLeagueGroup of a clan not in CWL is a 404', async () => {
  const e = await rejects(client.getClanWarLeagueGroup(privateClan), 404, 'notFound');
  assert.equal(e.message, 'Requested resource was not found.'); // the real body has no message
});
await check('Client.getClanWarLeagueRound', async () => {
  const war = await client.getClanWarLeagueRound(scheduled[0][0]);
  assert.equal(war.state, cwlEnded.state);
  assert.equal(war.warTag, scheduled[0][0]);
  assert.equal(war.isCWL, true);
  assert.equal(war.attacksPerMember, 1);
  const flipped = await client.getClanWarLeagueRound({ warTag: scheduled.at(-1)[0], clanTag: cwlPreparation.opponent.tag });
  assert.equal(flipped.state, 'preparation');
  assert.equal(flipped.clan.tag, cwlPreparation.opponent.tag);
  return `${war.clan.name} vs ${war.opponent.name}`;
});
await check('Client.getClanWarLeagueRound unknown war is a 404', () => rejects(client.getClanWarLeagueRound('#8PPPPPPP'), 404, 'notFound'));
await check('Client.getLeagueWar', async () => {
  const current = await client.getLeagueWar(cwlClan);
  assert.ok(current, 'no war in the last two rounds');
  assert.equal(current.state, 'inWar');
  assert.equal(current.clan.tag, cwlClan);
  const next = await client.getLeagueWar({ clanTag: cwlClan, round: 'NEXT_ROUND' });
  assert.equal(next?.state, 'preparation');
  const previous = await client.getLeagueWar({ clanTag: cwlClan, round: 'PREVIOUS_ROUND' });
  assert.equal(previous?.state, 'warEnded');
  return `${current.warTag}: ${current.clan.name} vs ${current.opponent.name}`;
});
await check('Client.getLeagueWar of a clan not in CWL is a 404', () => rejects(client.getLeagueWar(privateClan), 404, 'notFound'));
await check('Client.getCurrentWar of a clan at war', async () => {
  const war = await client.getCurrentWar(inWar.clan.tag);
  assert.equal(war.state, 'inWar');
  assert.equal(war.isCWL, false);
});
await check('Client.getCurrentWar of a clan in CWL', async () => {
  // Out of a regular war (notInWar) the library looks for the clan's CWL round.
  const war = await client.getCurrentWar(cwlClan);
  assert.ok(war, 'null');
  assert.equal(war.isCWL, true);
  assert.equal(war.state, 'inWar');
  const previous = await client.getCurrentWar({ clanTag: cwlClan, round: 'PREVIOUS_ROUND' });
  assert.equal(previous?.state, 'warEnded');
  return `${war.warTag}`;
});
await check('Client.getCurrentWar of a private clan not in CWL is a 404', () => rejects(client.getCurrentWar(privateClan), 404, 'notFound'));
await check('Client.getLeagueWars', async () => {
  const wars = await client.getLeagueWars(cwlClan);
  assert.deepEqual(wars.map((w) => w.state).sort(), ['inWar', 'preparation']);
  for (const w of wars) assert.equal(w.clan.tag, cwlClan);
  return `${wars.length} wars`;
});
await check('Client.getWars', async () => {
  // Days 1–10 of a month ask CWL first; either way the clan's wars come back.
  const wars = await client.getWars(inWar.clan.tag);
  assert.deepEqual(wars.map((w) => w.state), ['inWar']);
  const cwl = await client.getWars(cwlClan);
  assert.ok(cwl.length >= 1, `${cwl.length} wars`);
  return `${wars.length} + ${cwl.length} wars`;
});

// --- Client: players ----------------------------------------------------------------------------

await check('Client.getPlayer', async () => {
  const p = await client.getPlayer('#2pp');
  assert.equal(p.tag, '#2PP');
  assert.equal(p.name, 'Morgil');
  assert.equal(p.townHallLevel, player.townHallLevel);
  assert.equal(p.expLevel, player.expLevel);
  assert.equal(p.clan?.tag, player.clan.tag);
  assert.equal(p.achievements.length, player.achievements.length);
  assert.equal(p.troops.length, player.troops.length);
  assert.equal(p.heroes.length, player.heroes.length);
  return `${p.name} (${p.tag}), TH${p.townHallLevel}`;
});
await check('Client.getPlayer unknown tag is a 404', async () => {
  const e = await rejects(client.getPlayer(unknownTag), 404, 'notFound');
  assert.equal(e.message, 'Not found with tag 2PPP');
  assert.ok(e.maxAge > 0, `max-age ${e.maxAge}`);
});
await check('Client.getPlayers', async () => {
  const players = await client.getPlayers([player.tag, unknownTag]);
  assert.deepEqual(tags(players), [player.tag]);
});
await check('Client.verifyPlayerToken', async () => {
  assert.equal(await client.verifyPlayerToken(verified.tag, verified.token), true);
  assert.equal(await client.verifyPlayerToken(verified.tag, 'WRONG123'), false);
});
await check('Client.verifyPlayerToken of an unknown player is a 404', () => rejects(client.verifyPlayerToken(unknownTag, 'x'), 404, 'notFound'));
await check('Client.getBattleLog', async () => {
  const log = await client.getBattleLog(player.tag);
  assert.deepEqual(log, battlelog.items);
  return `${log.length} battles`;
});
await check('Client.getLeagueHistory', async () => {
  const history = await client.getLeagueHistory(player.tag);
  assert.deepEqual(history, leagueHistory.items);
  return `${history.length} seasons`;
});
await check('Client.getLeagueGroup', async () => {
  const g = await client.getLeagueGroup(player.tag.slice(1), String(rankedSeasonId));
  assert.deepEqual(g, rankedGroup);
  return `${g.members.length} members`;
});
await check('Client.getLeagueGroup unknown group is a 404', () => rejects(client.getLeagueGroup('PYLQGRJ', String(rankedSeasonId)), 404, 'notFound'));

// --- Client: leagues, locations, labels, gold pass ------------------------------------------------

await check('Client.getLeaguesTiers', async () => {
  const list = await client.getLeaguesTiers();
  assert.deepEqual(list, leagueTiers.items);
  assert.equal(list.at(-1).id, LEGEND_LEAGUE_ID);
  return `${list.length} tiers`;
});
await check('Client.getBuilderBaseLeagues', async () => {
  const list = await client.getBuilderBaseLeagues();
  assert.deepEqual(list, builderLeagues.items);
  return `${list.length} leagues`;
});
await check('Client.getCapitalLeagues', async () => {
  const list = await client.getCapitalLeagues();
  assert.deepEqual(list, capitalLeagues.items);
  return `${list.length} leagues`;
});
await check('Client.getWarLeagues', async () => {
  const list = await client.getWarLeagues();
  assert.deepEqual(list, warLeagues.items);
  return `${list.length} leagues`;
});
await check('Client.getLeagueSeasons', async () => {
  const list = await client.getLeagueSeasons();
  assert.deepEqual(list, ids(seasons.items));
  return `${list.length} seasons, ${list[0]} to ${list.at(-1)}`;
});
await check('Client.getSeasonRankings', async () => {
  const list = await client.getSeasonRankings(latestSeason, { limit: 10 });
  assert.deepEqual(tags(list), tags(seasonRanking.items.slice(0, 10)));
  assert.equal(list[0].name, seasonRanking.items[0].name);
  assert.equal(list[0].rank, 1);
  return `${latestSeason}: ${list.length} players`;
});
await check('Client.getLocations', async () => {
  const list = await client.getLocations();
  assert.deepEqual(ids(list), ids(locations.items));
  const afghanistan = list.find((l) => l.id === country.id);
  assert.equal(afghanistan.name, country.name);
  assert.equal(afghanistan.isCountry, true);
  return `${list.length} locations`;
});
for (const [method, recorded] of [['getClanRanks', clanRanks], ['getPlayerRanks', playerRanks],
  ['getBuilderBaseClanRanks', builderClanRanks], ['getBuilderBasePlayerRanks', builderPlayerRanks],
  ['getClanCapitalRanks', capitalRanks]]) {
  await check(`Client.${method}`, async () => {
    const list = await client[method](country.id);
    assert.deepEqual(tags(list), tags(recorded.items));
    assert.equal(list[0].name, recorded.items[0].name);
    const global = await client[method]('global', { limit: 5 });
    assert.deepEqual(tags(global), tags(recorded.items.slice(0, 5)));
    assert.deepEqual(await client[method](region.id), [], 'a region is not ranked');
    return `${list.length} in ${country.name}`;
  });
}
await check('Client.getPlayerRanks of an unknown location is a 400', async () => {
  const e = await rejects(client.getPlayerRanks(1), 400, 'badRequest');
  assert.equal(e.message, 'Unknown value for parameter locationId');
});
await check('Client.getClanLabels', async () => {
  const list = await client.getClanLabels();
  assert.deepEqual(list, clanLabels.items);
  return `${list.length} labels`;
});
await check('Client.getPlayerLabels', async () => {
  const list = await client.getPlayerLabels();
  assert.deepEqual(list, playerLabels.items);
  return `${list.length} labels`;
});
await check('Client.getGoldPassSeason', async () => {
  const season = await client.getGoldPassSeason();
  assert.equal(season.startTime.getTime(), Util.formatDate(goldPass.startTime).getTime());
  assert.equal(season.endTime.getTime(), Util.formatDate(goldPass.endTime).getTime());
  return `${season.startTime.toISOString()} to ${season.endTime.toISOString()}`;
});

// --- methods of the returned objects that call the API ------------------------------------------

await check('Clan.fetchMembers', async () => {
  const c = await client.getClan(clan.tag);
  const fetched = await c.fetchMembers();
  // Only members the dataset has a profile for come back (the others are 404s, which it skips).
  for (const p of fetched) assert.ok(c.members.some((m) => m.tag === p.tag), `${p.tag} is not a member`);
  return `${fetched.length} of ${c.members.length} profiles`;
});
await check('Player.fetchClan', async () => {
  const p = await client.getPlayer(player.tag);
  const c = await client.getClan(clan.tag);
  const member = c.members.find((m) => m.tag === player.tag);
  if (member) assert.equal((await member.fetch()).tag, player.tag);
  // The seed has no profile of #2PP's clan; the sandbox completes one around the recordings.
  assert.ok(p.clan, 'the seed player is in a clan');
  const own = await p.fetchClan();
  assert.equal(own.tag, p.clan.tag);
  assert.ok(own.members.some((m) => m.tag === p.tag), `${p.tag} is not in ${own.tag}'s member list`);
  return `${own.tag}, ${own.members.length} members`;
});
await check('ClanWarLeagueGroup.getWars', async () => {
  const g = await client.getClanWarLeagueGroup(cwlClan);
  const wars = await g.getWars(cwlClan);
  assert.deepEqual(wars.map((w) => w.state).sort(), ['inWar', 'preparation', ...scheduled.slice(0, -2).map(() => 'warEnded')].sort());
  const current = await g.getCurrentWars(cwlClan);
  assert.equal(current.length, 2);
  return `${wars.length} wars`;
});
await check('ClanWar.getClanWarLeagueGroup', async () => {
  const war = await client.getClanWarLeagueRound({ warTag: scheduled.at(-2)[0], clanTag: cwlClan });
  const g = await war.getClanWarLeagueGroup();
  assert.equal(g.season, group.season);
});

// --- RestManager: every operation raw, with status, max-age and paging ----------------------------

const raw = {
  getClans: () => rest.getClans({ name: 'clan', limit: 2 }),
  getClan: () => rest.getClan(clan.tag),
  getClanMembers: () => rest.getClanMembers(listClan),
  getClanWarLog: () => rest.getClanWarLog(listClan, { limit: 1 }),
  getCurrentWar: () => rest.getCurrentWar(inWar.clan.tag),
  getClanWarLeagueGroup: () => rest.getClanWarLeagueGroup(group.clans[0].tag),
  getClanWarLeagueRound: () => rest.getClanWarLeagueRound(scheduled[0][0]),
  getCapitalRaidSeasons: () => rest.getCapitalRaidSeasons(listClan, { limit: 1 }),
  getPlayer: () => rest.getPlayer(player.tag),
  verifyPlayerToken: () => rest.verifyPlayerToken(verified.tag, verified.token),
  getLeagueHistory: () => rest.getLeagueHistory(player.tag),
  getBattleLog: () => rest.getBattleLog(player.tag),
  getLeagueGroup: () => rest.getLeagueGroup(player.tag.slice(1), rankedSeasonId, { playerTag: player.tag }),
  getLeagueTiers: () => rest.getLeagueTiers({ limit: 5 }),
  getLeagueTier: () => rest.getLeagueTier(LEGEND_LEAGUE_ID),
  getBuilderBaseLeagues: () => rest.getBuilderBaseLeagues(),
  getBuilderBaseLeague: () => rest.getBuilderBaseLeague(builderLeagues.items[3].id),
  getCapitalLeagues: () => rest.getCapitalLeagues(),
  getCapitalLeague: () => rest.getCapitalLeague(capitalLeagues.items[3].id),
  getLeagueSeasons: () => rest.getLeagueSeasons(LEGEND_LEAGUE_ID, { limit: 3 }),
  getSeasonRankings: () => rest.getSeasonRankings(LEGEND_LEAGUE_ID, latestSeason, { limit: 3 }),
  getWarLeagues: () => rest.getWarLeagues(),
  getWarLeague: () => rest.getWarLeague(clan.warLeague.id),
  getLocations: () => rest.getLocations({ limit: 1 }),
  getLocation: () => rest.getLocation(country.id),
  getClanRanks: () => rest.getClanRanks('global', { limit: 2 }),
  getPlayerRanks: () => rest.getPlayerRanks(country.id, { limit: 2 }),
  getBuilderBaseClanRanks: () => rest.getBuilderBaseClanRanks(country.id, { limit: 2 }),
  getBuilderBasePlayerRanks: () => rest.getBuilderBasePlayerRanks(country.id, { limit: 2 }),
  getClanCapitalRanks: () => rest.getClanCapitalRanks(country.id, { limit: 2 }),
  getClanLabels: () => rest.getClanLabels(),
  getPlayerLabels: () => rest.getPlayerLabels({ limit: 4 }),
  getGoldPassSeason: () => rest.getGoldPassSeason(),
};
const rawExpect = {
  getClan: (b) => assert.equal(b.name, clan.name),
  getClanMembers: (b) => assert.deepEqual(b, members),
  getClanWarLog: (b) => assert.equal(b.items.length, 1),
  getCurrentWar: (b) => assert.deepEqual(b, inWar),
  getClanWarLeagueGroup: (b) => assert.deepEqual(b, group),
  getClanWarLeagueRound: (b) => assert.deepEqual(b, cwlEnded),
  getPlayer: (b) => assert.deepEqual(b, player),
  verifyPlayerToken: (b) => assert.deepEqual(b, verified),
  getLeagueHistory: (b) => assert.deepEqual(b, leagueHistory),
  getBattleLog: (b) => assert.deepEqual(b, battlelog),
  getLeagueGroup: (b) => assert.deepEqual(b, rankedGroup),
  getLeagueTier: (b) => assert.deepEqual(b, leagueTiers.items.at(-1)),
  getBuilderBaseLeague: (b) => assert.deepEqual(b, builderLeagues.items[3]),
  getCapitalLeague: (b) => assert.deepEqual(b, capitalLeagues.items[3]),
  getSeasonRankings: (b) => assert.deepEqual(tags(b.items), tags(seasonRanking.items.slice(0, 3))),
  getWarLeague: (b) => assert.deepEqual(b, warLeagues.items.find((l) => l.id === clan.warLeague.id)),
  getLocation: (b) => assert.deepEqual(b, country),
  getClanLabels: (b) => assert.deepEqual(b, clanLabels),
  getGoldPassSeason: (b) => assert.deepEqual(b, goldPass),
};
for (const [method, call] of Object.entries(raw)) {
  await check(`RestManager.${method}`, async () => {
    const result = await call();
    const body = ok200(result);
    if ('items' in body) {
      assert.ok(Array.isArray(body.items), 'items is not an array');
      if (body.paging !== undefined) assert.equal(typeof body.paging.cursors, 'object', 'paging without cursors');
    }
    rawExpect[method]?.(body);
    return `200, max-age ${result.res.maxAge / 1000}s${'items' in body ? `, ${body.items.length} items` : ''}`;
  });
}

await check('RestManager.getLocations pages with after and before cursors', async () => {
  const seen = [];
  let after;
  let pages = 0;
  let last;
  do {
    const { body } = await rest.getLocations(after ? { limit: 100, after } : { limit: 100 });
    seen.push(...ids(body.items));
    if (pages > 0) assert.ok(body.paging.cursors.before, `page ${pages + 1} has no before cursor`);
    after = body.paging.cursors.after;
    last = body;
    pages++;
  } while (after && pages < 10);
  assert.deepEqual(seen, ids(locations.items));
  const { body: back } = await rest.getLocations({ limit: 100, before: last.paging.cursors.before });
  assert.deepEqual(ids(back.items), ids(locations.items).slice(100, 200));
  return `${pages} pages, ${seen.length} locations`;
});
await check('RestManager.getClanMembers with both cursors is a 400', async () => {
  const first = await rest.getClanMembers(listClan, { limit: 1 });
  const next = await rest.getClanMembers(listClan, { limit: 1, after: first.body.paging.cursors.after });
  assert.equal(next.body.items[0].tag, members.items[1].tag);
  await rejects(rest.getClanMembers(listClan, { after: next.body.paging.cursors.after, before: next.body.paging.cursors.before }), 400, 'badRequest');
});
await check('RestManager.getLeagueSeasons of another league is a 400', async () => {
  const e = await rejects(rest.getLeagueSeasons(leagueTiers.items[5].id), 400, 'badRequest');
  assert.equal(e.message, 'Seasons are available only for legendary league');
});
await check('RestManager.getLeagueTier unknown id is a 400', async () => {
  const e = await rejects(rest.getLeagueTier(1), 400, 'badRequest');
  assert.equal(e.message, 'Unknown value for parameter leagueTierId');
});
await check('RestManager without rejectIfNotValid reports errors as results', async () => {
  const lenient = new RestManager({ baseURL, keys: [key], rejectIfNotValid: false });
  const missing = await lenient.getPlayer(unknownTag);
  assert.equal(missing.res.status, 404);
  assert.equal(missing.res.ok, false);
  assert.deepEqual(missing.body, { reason: 'notFound', message: 'Not found with tag 2PPP' });
  const denied = await new RestManager({ baseURL, keys: ['not-a-key'], rejectIfNotValid: false }).getPlayer(player.tag);
  assert.equal(denied.res.status, 403);
  assert.equal(denied.body.reason, 'accessDenied');
});
await check('Client with an unknown key is a 403', () => rejects(new Client({ baseURL, keys: ['not-a-key'] }).getPlayer(player.tag), 403, 'accessDenied'));
await check('Client with cache serves repeats from its cache', async () => {
  const cached = new Client({ baseURL, keys: [key], cache: true });
  const first = await cached.rest.getPlayer(player.tag);
  const second = await cached.rest.getPlayer(player.tag);
  assert.ok(second.res.maxAge > 0 && second.res.maxAge <= first.res.maxAge, `max-age ${first.res.maxAge} then ${second.res.maxAge}`);
  assert.deepEqual(second.body, first.body);
});

// --- keys: setKeys, and login through the sandbox's developer portal -------------------------------

await check('Client.setKeys', async () => {
  const c = new Client({ baseURL });
  c.setKeys([key]);
  assert.equal((await c.getPlayer(player.tag)).name, 'Morgil');
});
await check('RestManager.setKeys', async () => {
  const r = new RestManager({ baseURL });
  r.setKeys(['not-a-key', key]); // keys are used in turn
  await rejects(r.getPlayer(player.tag), 403, 'accessDenied');
  assert.equal(ok200(await r.getPlayer(player.tag)).name, 'Morgil');
});

// login() talks to https://developer.clashofclans.com/api, which the library does not let a caller
// change; the sandbox serves the same portal, so requests for that origin go to the sandbox instead.
const portalOrigin = new URL(baseURL).origin;
class PortalRedirect extends Agent {
  dispatch(options, handler) {
    if (new URL(String(options.origin)).origin === 'https://developer.clashofclans.com') {
      options = { ...options, origin: portalOrigin };
    }
    return super.dispatch(options, handler);
  }
}
setGlobalDispatcher(new PortalRedirect());
/** Calls the portal as its web page does: a session cookie from /api/login, then /api/apikey/*. */
async function portal(endpoint, body, cookie) {
  const res = await fetch(`${portalOrigin}/api/${endpoint}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body)
  });
  assert.equal(res.status, 200, `/api/${endpoint}`);
  return { cookie: res.headers.get('set-cookie'), body: await res.json() };
}
await check('Client.login', async () => {
  // A key of the same name bound to another address is revoked and replaced by one for this address.
  const session = await portal('login', { email: 'demo@example.com', password: 'demo' });
  const stale = await portal('apikey/create', { name: 'clashofclans.js-test', description: 'elsewhere', cidrRanges: ['10.1.2.3'], scopes: ['clash'] }, session.cookie);
  const c = new Client({ baseURL, keys: ['not-a-key'] }); // dropped: /locations answers it with a 403
  const keys = await c.login({ email: 'demo@example.com', password: 'demo', keyName: 'clashofclans.js-test' });
  assert.equal(keys.length, 1);
  assert.notEqual(keys[0], stale.body.key.key);
  assert.equal((await c.getPlayer(player.tag)).name, 'Morgil');
  const listed = (await portal('apikey/list', {}, session.cookie)).body.keys.filter((k) => k.name === 'clashofclans.js-test');
  assert.deepEqual(listed.map((k) => [k.key, k.cidrRanges]), [[keys[0], ['127.0.0.1']]]);
  // A second login finds the key made for this address instead of making another.
  const again = await new Client({ baseURL }).login({ email: 'demo@example.com', password: 'demo', keyName: 'clashofclans.js-test' });
  assert.deepEqual(again, keys);
  await assert.rejects(new Client({ baseURL }).login({ email: 'demo@example.com', password: 'wrong' }), /Invalid email or password/);
  return 'stale key revoked, key created, then reused';
});
await check('RestManager.login', async () => {
  const r = new RestManager({ baseURL });
  const keys = await r.login({ email: 'demo@example.com', password: 'demo', keyName: 'clashofclans.js-rest', keyCount: 2 });
  assert.equal(keys.length, 2);
  assert.equal(ok200(await r.getPlayer(player.tag)).name, 'Morgil');
  assert.equal(ok200(await r.getPlayer(player.tag)).name, 'Morgil');
  return `${keys.length} keys`;
});

await check('RequestHandler.init', async () => {
  const handler = new RestManager({ baseURL }).requestHandler;
  const keys = await handler.init({ email: 'demo@example.com', password: 'demo', keyName: 'clashofclans.js-handler' });
  assert.equal(keys.length, 1);
});
await check('RequestHandler.setKeys', async () => {
  const handler = new RestManager({ baseURL }).requestHandler;
  assert.equal(handler.setKeys([key]), handler);
});
await check('RequestHandler.request', async () => {
  const result = await rest.requestHandler.request(`/players/${encodeURIComponent(player.tag)}`);
  assert.equal(ok200(result).name, 'Morgil');
});
await check('RequestHandler.rawRequest', async () => {
  const body = await rest.requestHandler.rawRequest('/leaguetiers/105000000');
  assert.deepEqual(body, leagueTiers.items[0]);
});

// --- every public method of Client, RestManager and RequestHandler was called ----------------------

await check('coverage of Client, RestManager and RequestHandler methods', () => {
  const methods = (cls) => Object.getOwnPropertyNames(cls.prototype)
    .filter((n) => n !== 'constructor' && typeof Object.getOwnPropertyDescriptor(cls.prototype, n).value === 'function')
    .map((n) => `${cls.name}.${n}`);
  // RequestHandler's other methods are private (TypeScript) and run inside these.
  const handler = ['init', 'setKeys', 'request', 'rawRequest'];
  for (const m of handler) assert.equal(typeof RequestHandler.prototype[m], 'function', `RequestHandler.${m}`);
  const all = [...methods(Client), ...methods(RestManager), ...handler.map((m) => `RequestHandler.${m}`)];
  const missing = all.filter((m) => !covered.has(m));
  assert.deepEqual(missing, [], `not called: ${missing.join(', ')}`);
  return `${all.length} methods`;
});

console.log(`\n${passed} passed, ${failures.length} failed`);
if (failures.length) console.log(`failed: ${failures.join('; ')}`);
process.exit(failures.length ? 1 : 0);
