// The wire formats: TTR (invasions, population, status), TTCC (districts v1 and .js, game_info)
// and Overworld's v2 view. Compact JSON, field order as the real services send it.
#include <overworld/server/world/snapshot.hpp>

#include <overworld/core/log.hpp>
#include <overworld/http/helpers.hpp>

#include <cstdio>
#include <map>

namespace overworld::world {
namespace {

void str(std::string& out, std::string_view s) {
  out += '"';
  append_json_escaped(out, s);
  out += '"';
}
void num(std::string& out, std::int64_t v) { out += std::to_string(v); }
void boolean(std::string& out, bool v) { out += v ? "true" : "false"; }

// ---- TTR ----
// {"lastUpdated":N,"invasions":{"District":{"asOf":N,"type":"…","progress":"a/b"}},"error":null}
std::string ttr_invasions_content(std::vector<district_view> const& ds) {
  std::string out = "{";
  bool first = true;
  for (auto const& d : ds) {
    if (!d.current) continue;
    if (!first) out += ',';
    first = false;
    str(out, d.name);
    out += ":{\"asOf\":";
    num(out, d.last_report);
    out += ",\"type\":";
    str(out, d.current->ttr_type());
    out += ",\"progress\":";
    str(out, d.current->ttr_progress());
    out += '}';
  }
  out += '}';
  return out;
}

std::string ttr_population_content(std::vector<district_view> const& ds) {
  std::int64_t total = 0;
  for (auto const& d : ds) total += d.population;
  std::string out = "\"totalPopulation\":";
  num(out, total);
  // Both maps in the same key order: some clients zip them by position.
  out += ",\"populationByDistrict\":{";
  for (std::size_t i = 0; i < ds.size(); ++i) {
    if (i) out += ',';
    str(out, ds[i].name);
    out += ':';
    num(out, ds[i].population);
  }
  out += "},\"statusByDistrict\":{";
  for (std::size_t i = 0; i < ds.size(); ++i) {
    if (i) out += ',';
    str(out, ds[i].name);
    out += ':';
    str(out, to_string(ds[i].status));
  }
  out += '}';
  return out;
}

std::string ttr_status_body(game_status const& g) {
  std::string out = "{\"open\":";
  boolean(out, g.open);
  if (!g.banner.empty()) {
    out += ",\"banner\":";
    str(out, g.banner);
  }
  out += '}';
  return out;
}

// {"3100":{"department":"s","difficulty":1,"annexes":4,"open":true,"expiring":null},…} by zone; a
// zone reported by two districts shows the first district's (by name).
std::string ttr_fieldoffices_content(std::vector<district_view> const& ds) {
  std::map<int, field_office const*> by_zone;
  for (auto const& d : ds) {
    for (auto const& fo : d.field_offices) by_zone.emplace(fo.zone, &fo);
  }
  std::string out = "{";
  for (auto const& [zone, fo] : by_zone) {
    if (out.size() > 1) out += ',';
    out += '"' + std::to_string(zone) + "\":{\"department\":";
    str(out, department_letter(fo->dept));
    out += ",\"difficulty\":";
    num(out, fo->difficulty);
    out += ",\"annexes\":";
    num(out, fo->annexes);
    out += ",\"open\":";
    boolean(out, fo->open);
    out += ",\"expiring\":";
    if (fo->expiring)
      num(out, *fo->expiring);
    else
      out += "null";
    out += '}';
  }
  out += '}';
  return out;
}

// {"District":{"Playground":[{"dna":"…","traits":["…"],"cost":N}]}}: districts with doodles only.
std::string ttr_doodles_body(std::vector<district_view> const& ds) {
  std::string out = "{";
  for (auto const& d : ds) {
    if (d.doodles.empty()) continue;
    if (out.size() > 1) out += ',';
    str(out, d.name);
    out += ":{";
    for (std::size_t p = 0; p < d.doodles.size(); ++p) {
      if (p) out += ',';
      str(out, d.doodles[p].playground);
      out += ":[";
      for (std::size_t i = 0; i < d.doodles[p].doodles.size(); ++i) {
        auto const& doodle = d.doodles[p].doodles[i];
        if (i) out += ',';
        out += "{\"dna\":";
        str(out, doodle.dna);
        out += ",\"traits\":[";
        for (std::size_t t = 0; t < doodle.traits.size(); ++t) {
          if (t) out += ',';
          str(out, doodle.traits[t]);
        }
        out += "],\"cost\":";
        num(out, doodle.cost);
        out += '}';
      }
      out += ']';
    }
    out += '}';
  }
  out += '}';
  return out;
}

// ---- TTCC ----
// [{"name":…,["online":…,]"population":…,"invasion_online":…,"last_update":…,"cogs_attacking":…,
//   "count_defeated":…,"count_total":…,"remaining_time":…}]
std::string ttcc_districts(std::vector<district_view> const& ds, clock::wall_time now, bool with_online) {
  auto const now_unix = unix_seconds(now);
  std::string out = "[";
  for (std::size_t i = 0; i < ds.size(); ++i) {
    auto const& d = ds[i];
    if (i) out += ',';
    out += "{\"name\":";
    str(out, d.name);
    if (with_online) {
      out += ",\"online\":";
      boolean(out, d.status == district_status::online && !d.silent);
    }
    out += ",\"population\":";
    num(out, d.population);
    out += ",\"invasion_online\":";
    boolean(out, d.current.has_value());
    out += ",\"last_update\":";
    num(out, d.last_report);
    out += ",\"cogs_attacking\":";
    str(out, d.current ? std::string_view{d.current->cog} : std::string_view{"None"});
    out += ",\"count_defeated\":";
    num(out, d.current ? d.current->defeated : d.last_defeated);  // not reset when an invasion ends
    out += ",\"count_total\":";
    num(out, d.current ? d.current->total : 0);
    out += ",\"remaining_time\":";
    std::int64_t remaining = 0;
    if (d.current && d.estimated_end) remaining = std::max<std::int64_t>(0, *d.estimated_end - now_unix);
    num(out, remaining);
    out += '}';
  }
  out += ']';
  return out;
}

std::string ttcc_game_info(std::vector<district_view> const& ds, game_status const& g) {
  std::int64_t toons = 0;
  for (auto const& d : ds) toons += d.population;
  std::string out = "{\"num_toons\":";
  num(out, toons);
  out += ",\"production_closed\":";
  boolean(out, !g.open);
  out += ",\"production_closed_reason\":";
  str(out, g.banner);
  out += ",\"version\":";
  str(out, g.version);
  out += '}';
  return out;
}

// ---- Overworld v2 ----
void v2_invasion(std::string& out, district_view const& d) {
  auto const& inv = *d.current;
  out += "{\"id\":";
  str(out, d.invasion_id);
  out += ",\"district\":";
  str(out, d.name);
  out += ",\"districtId\":";
  str(out, d.id);
  out += ",\"cog\":";
  str(out, inv.cog);
  out += ",\"department\":";
  str(out, to_string(inv.dept));
  out += ",\"skelecog\":";
  boolean(out, inv.skelecog);
  out += ",\"v2\":";
  boolean(out, inv.v2);
  out += ",\"mega\":";
  boolean(out, inv.mega);
  out += ",\"defeated\":";
  num(out, inv.defeated);
  out += ",\"total\":";
  if (inv.mega)
    out += "null";
  else
    num(out, inv.total);
  out += ",\"startedAt\":";
  num(out, inv.started_at);
  out += ",\"asOf\":";
  num(out, d.last_report);
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.1f", d.defeat_rate);
  out += ",\"defeatRate\":";
  out += rate;
  out += ",\"estimatedEnd\":";
  if (d.estimated_end)
    num(out, *d.estimated_end);
  else
    out += "null";
  out += '}';
}

}  // namespace

std::string v2_invasion_json(district_view const& d) {
  std::string out;
  v2_invasion(out, d);
  return out;
}

namespace {

std::string v2_invasions_content(std::vector<district_view> const& ds) {
  std::string out = "[";
  bool first = true;
  for (auto const& d : ds) {
    if (!d.current) continue;
    if (!first) out += ',';
    first = false;
    v2_invasion(out, d);
  }
  out += ']';
  return out;
}

std::string v2_districts_content(std::vector<district_view> const& ds) {
  std::string out = "[";
  for (std::size_t i = 0; i < ds.size(); ++i) {
    auto const& d = ds[i];
    if (i) out += ',';
    out += "{\"id\":";
    str(out, d.id);
    out += ",\"name\":";
    str(out, d.name);
    out += ",\"status\":";
    str(out, to_string(d.status));
    out += ",\"population\":";
    num(out, d.population);
    out += ",\"lastReport\":";
    num(out, d.last_report);
    out += ",\"invasion\":";
    if (d.current)
      v2_invasion(out, d);
    else
      out += "null";
    out += '}';
  }
  out += ']';
  return out;
}

published make(std::string content, std::string body, std::string const& last_modified, published const* previous) {
  if (previous && previous->body && previous->content == content) return *previous;
  published p;
  p.etag = http::make_etag(body);
  p.body = std::make_shared<std::string const>(std::move(body));
  p.headers = std::make_shared<std::string const>("ETag: " + p.etag + "\r\nLast-Modified: " + last_modified +
                                                  "\r\nAccess-Control-Allow-Origin: *\r\n");
  p.content = std::move(content);
  return p;
}

}  // namespace

std::shared_ptr<snapshot const> build_snapshot(std::vector<district_view> const& ds, game_status const& game,
                                               clock::wall_time now, clock::steady_time next, snapshot const* previous,
                                               std::string const& silly_meter, bool stale) {
  auto s = std::make_shared<snapshot>();
  s->taken = now;
  s->next = next;
  s->sequence = previous ? previous->sequence + 1 : 1;
  std::string const last_modified = http::http_date(now);
  std::string const stamp = std::to_string(unix_seconds(now));
  auto const prev = [&](endpoint e) { return previous ? &previous->get(e) : nullptr; };
  auto const set = [&](endpoint e, std::string content, std::string body) {
    s->bodies[static_cast<std::size_t>(e)] = make(std::move(content), std::move(body), last_modified, prev(e));
  };

  std::string inv = ttr_invasions_content(ds);
  set(endpoint::ttr_invasions, inv, "{\"lastUpdated\":" + stamp + ",\"invasions\":" + inv + ",\"error\":null}");
  std::string pop = ttr_population_content(ds);
  set(endpoint::ttr_population, pop, "{\"lastUpdated\":" + stamp + "," + pop + ",\"error\":null}");
  std::string status = ttr_status_body(game);
  set(endpoint::ttr_status, status, status);
  // TTCC bodies carry per-district timestamps only: their content is the body.
  std::string v1 = ttcc_districts(ds, now, false);
  set(endpoint::ttcc_districts_v1, v1, v1);
  std::string js = ttcc_districts(ds, now, true);
  set(endpoint::ttcc_districts_js, js, js);
  std::string info = ttcc_game_info(ds, game);
  set(endpoint::ttcc_game_info, info, info);
  // A stale snapshot (the districts' shared reports out of reach) says so in the v2 bodies; the
  // marker is part of their content, so the bodies change (and their ETags) when it comes or goes.
  std::string const v2_stamp = "{\"lastUpdated\":" + stamp + (stale ? ",\"stale\":true" : "");
  std::string const marker = stale ? "stale:" : "";
  std::string v2d = v2_districts_content(ds);
  set(endpoint::v2_districts, marker + v2d, v2_stamp + ",\"districts\":" + v2d + "}");
  std::string v2i = v2_invasions_content(ds);
  set(endpoint::v2_invasions, marker + v2i, v2_stamp + ",\"invasions\":" + v2i + "}");
  std::string fo = ttr_fieldoffices_content(ds);
  set(endpoint::ttr_fieldoffices, fo, "{\"lastUpdated\":" + stamp + ",\"fieldOffices\":" + fo + "}");
  // The meter's body carries its own asOf: unchanged bytes mean an unchanged meter.
  std::string silly = silly_meter.empty() ? std::string{R"({"error":"the silly meter is not running"})"} : silly_meter;
  set(endpoint::ttr_sillymeter, silly, silly);
  std::string doodles = ttr_doodles_body(ds);
  set(endpoint::ttr_doodles, doodles, doodles);
  return s;
}

}  // namespace overworld::world
