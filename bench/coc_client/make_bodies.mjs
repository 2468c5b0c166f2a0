// Real-sized answers for bench/coc_client, made from the recorded ones of data/coc-seed: a clan
// of 50 members (the recorded clan's 13 members repeated with their own tags, names and ranks,
// as /clans/{tag} answers for a full clan) and a 50-war log (the first 50 wars of the recorded
// log, paged as the API pages it); plus TAGS valid player tags for the clients to ask for.
// Written as the recorded files are (two-space indentation).
// Usage: node make_bodies.mjs SEED_DIR OUT_DIR [TAGS]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [seed, out, tagCountArg] = process.argv.slice(2);
const tagCount = Number(tagCountArg ?? 2000);
const alphabet = '0289PYLQGRJCUV';

// The tag of a number, as the game writes it (base 14 over the alphabet, no leading zero).
function tagOf(n) {
  let s = '';
  do {
    s = alphabet[n % 14] + s;
    n = Math.floor(n / 14);
  } while (n > 0);
  return '#' + s;
}

const clan = JSON.parse(readFileSync(join(seed, 'clan.json'), 'utf8'));
const recorded = clan.memberList;
clan.memberList = Array.from({ length: 50 }, (_, i) => {
  const m = structuredClone(recorded[i % recorded.length]);
  m.tag = tagOf(90000000 + i * 7919);
  if (i >= recorded.length) m.name = `${m.name} ${i + 1}`;
  m.clanRank = i + 1;
  m.previousClanRank = i + 1;
  return m;
});
clan.members = 50;
writeFileSync(join(out, 'clan_50.json'), JSON.stringify(clan, null, 2));

const log = JSON.parse(readFileSync(join(seed, 'warlog.json'), 'utf8'));
log.items = log.items.slice(0, 50);
log.paging = { cursors: { after: 'eyJwb3MiOjUwfQ' } };
writeFileSync(join(out, 'warlog_50.json'), JSON.stringify(log, null, 2));

const tags = Array.from({ length: tagCount }, (_, i) => tagOf(2000000 + i * 104729).slice(1));
writeFileSync(join(out, 'tags'), tags.join('\n') + '\n');
