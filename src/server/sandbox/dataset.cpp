#include "build.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace overworld::sandbox {

namespace {
constexpr std::string_view tag_alphabet = "0289PYLQGRJCUV";
}

std::string tag_from_id(std::uint64_t id) {
  std::string digits;
  do {
    digits += tag_alphabet[id % tag_alphabet.size()];
    id /= tag_alphabet.size();
  } while (id > 0);
  std::reverse(digits.begin(), digits.end());
  return "#" + digits;
}

std::optional<std::string> normalize_tag(std::string_view tag) {
  if (tag.starts_with('#')) tag.remove_prefix(1);
  std::string out = "#";
  for (char c : tag) {
    char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (u == 'O') u = '0';
    if (tag_alphabet.find(u) == std::string_view::npos) return std::nullopt;
    out += u;
  }
  if (out.size() < 4) return std::nullopt;
  return out;
}

}  // namespace overworld::sandbox

namespace overworld::sandbox::detail {

namespace json = boost::json;

bytes share(std::string text) { return std::make_shared<std::string const>(std::move(text)); }

namespace {

void write_string(std::string& out, std::string_view text) {
  out += '"';
  // Runs of plain characters are copied at once; only quotes, backslashes and control
  // characters are escaped.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto const u = static_cast<unsigned char>(text[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    if (u >= 0x20) {
      out += '\\';
      out += text[i];
    } else {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

template <typename Number>
void write_number(std::string& out, Number n) {
  char buf[32];
  auto const [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, ec == std::errc{} ? end : buf);
}

/// As Boost.JSON writes, except doubles: it writes 90.2 as 9.02E1 where the API writes 90.2,
/// and 100.0 for whole numbers.
void write_compact(std::string& out, json::value const& v) {
  switch (v.kind()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return;
    case json::kind::int64:
      write_number(out, v.get_int64());
      return;
    case json::kind::uint64:
      write_number(out, v.get_uint64());
      return;
    case json::kind::double_: {
      double const d = v.get_double();
      if (!std::isfinite(d)) {
        out += "null";
        return;
      }
      auto const start = out.size();
      write_number(out, d);
      if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
      return;
    }
    case json::kind::string:
      write_string(out, v.get_string());
      return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (auto const& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        write_compact(out, item);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (auto const& field : v.get_object()) {
        if (!first) out += ',';
        first = false;
        write_string(out, field.key());
        out += ':';
        write_compact(out, field.value());
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

json_text& json_text::open() {
  if (out_.empty()) out_.reserve(512);
  out_ += '{';
  first_ = true;
  return *this;
}

json_text& json_text::close() {
  out_ += '}';
  first_ = false;
  return *this;
}

void json_text::key(std::string_view k) {
  if (!first_) out_ += ',';
  first_ = false;
  write_string(out_, k);
  out_ += ':';
}

json_text& json_text::number(std::string_view k, std::int64_t value) {
  key(k);
  write_number(out_, value);
  return *this;
}

json_text& json_text::text(std::string_view k, std::string_view value) {
  key(k);
  write_string(out_, value);
  return *this;
}

json_text& json_text::boolean(std::string_view k, bool value) {
  key(k);
  out_ += value ? "true" : "false";
  return *this;
}

json_text& json_text::raw(std::string_view k, std::string_view json) {
  key(k);
  out_ += json;
  return *this;
}

std::string compact(json::value const& v) {
  std::string out;
  write_compact(out, v);
  return out;
}

std::int64_t int_of(json::object const& o, std::string_view key, std::int64_t fallback) {
  auto const* v = o.if_contains(key);
  if (!v) return fallback;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  return fallback;
}

std::string string_of(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  return v && v->is_string() ? std::string{v->get_string()} : std::string{};
}

paged_list make_list(json::value const& doc, bytes whole) {
  paged_list list;
  list.whole = std::move(whole);
  if (auto const* o = doc.if_object()) {
    if (auto const* items = o->if_contains("items"); items && items->is_array()) {
      list.items.reserve(items->get_array().size());
      for (auto const& item : items->get_array()) list.items.push_back(compact(item));
    }
  }
  return list;
}

id_table make_id_table(json::value const& doc, bytes whole) {
  id_table table;
  table.list = make_list(doc, std::move(whole));
  if (auto const* o = doc.if_object()) {
    if (auto const* items = o->if_contains("items"); items && items->is_array()) {
      for (auto const& item : items->get_array()) {
        if (!item.is_object()) continue;
        table.by_id[int_of(item.get_object(), "id", -1)] = share(compact(item));
      }
    }
  }
  return table;
}

std::shared_ptr<clan_summary const> make_summary(json::object const& item) {
  auto s = std::make_shared<clan_summary>();
  s->tag = string_of(item, "tag");
  s->name_lower = string_of(item, "name");
  for (auto& c : s->name_lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  s->war_frequency = string_of(item, "warFrequency");
  if (auto const* loc = item.if_contains("location"); loc && loc->is_object()) {
    s->location_id = int_of(loc->get_object(), "id");
  }
  s->members = int_of(item, "members");
  s->clan_points = int_of(item, "clanPoints");
  s->clan_level = int_of(item, "clanLevel");
  if (auto const* labels = item.if_contains("labels"); labels && labels->is_array()) {
    for (auto const& l : labels->get_array()) {
      if (l.is_object()) s->label_ids.push_back(int_of(l.get_object(), "id"));
    }
  }
  s->json = compact(item);
  return s;
}

void add_clan_summary(dataset& data, json::object const& item) {
  auto const tag = string_of(item, "tag");
  if (tag.empty()) return;
  if (auto const* known = data.clan(tag); known && known->summary) return;
  data.clans[tag].summary = make_summary(item);
  data.search_order.write().push_back(tag);
}

json::object summary_of_profile(json::object const& clan) {
  json::object summary;
  for (auto const& [key, value] : clan) {
    if (key != "memberList" && key != "description" && key != "clanCapital") summary.emplace(key, value);
  }
  return summary;
}

void add_clan_profile(dataset& data, json::object const& clan, bytes profile) {
  std::string const tag = string_of(clan, "tag");
  if (tag.empty()) return;
  auto& entry = data.clans[tag];
  entry.profile = std::move(profile);
  if (auto const* pub = clan.if_contains("isWarLogPublic"); pub && pub->is_bool())
    entry.war_log_public = pub->get_bool();
  bool const listed = !entry.members->items.empty() || entry.members->whole;
  if (auto const* members = clan.if_contains("memberList"); members && members->is_array() && !listed) {
    json::value doc = json::object{{"items", *members}};
    entry.members = make_list(doc, nullptr);
  }
  add_clan_summary(data, summary_of_profile(clan));
}

void put_clan(dataset& data, json::object clan) {
  std::string const tag = string_of(clan, "tag");
  json::array members;
  if (auto* list = clan.if_contains("memberList"); list && list->is_array()) members = std::move(list->get_array());
  auto const trophies = [](json::value const& m) { return m.is_object() ? int_of(m.get_object(), "trophies") : 0; };
  std::stable_sort(members.begin(), members.end(),
                   [&](json::value const& a, json::value const& b) { return trophies(a) > trophies(b); });
  paged_list listed;
  listed.items.reserve(members.size());
  std::int64_t rank = 0;
  for (auto& m : members) {
    if (m.is_object()) m.get_object()["clanRank"] = ++rank;
    listed.items.push_back(compact(m));
  }
  auto const count = static_cast<std::int64_t>(members.size());
  clan["members"] = count;
  clan["memberList"] = json::array{};
  // The members are written once: the list's items go into the profile as they are.
  json_text profile;
  profile.open();
  for (auto const& [key, value] : clan) {
    if (key != "memberList") {
      profile.raw(key, compact(value));
      continue;
    }
    std::string joined = "[";
    for (auto const& item : listed.items) {
      if (joined.size() > 1) joined += ',';
      joined += item;
    }
    profile.raw(key, joined + "]");
  }
  auto& entry = data.clans[tag];
  entry.profile = share(profile.close().take());
  entry.members = std::move(listed);
  if (auto const* pub = clan.if_contains("isWarLogPublic"); pub && pub->is_bool())
    entry.war_log_public = pub->get_bool();
  if (!entry.summary) {
    clan.erase("memberList");
    entry.summary = make_summary(summary_of_profile(clan));
    data.search_order.write().push_back(tag);
  } else if (entry.summary->members != count) {
    // A recorded search item keeps its fields; only the count follows the members.
    boost::system::error_code ec;
    auto item = json::parse(entry.summary->json, ec);
    if (!ec && item.is_object()) {
      item.get_object()["members"] = count;
      entry.summary = make_summary(item.get_object());
    }
  }
}

void put_player(dataset& data, json::object const& player) {
  add_player_profile(data, string_of(player, "tag"), share(compact(player)));
}

void add_player_profile(dataset& data, std::string const& tag, bytes profile) {
  if (tag.empty()) return;
  auto& entry = data.players[tag];
  if (!entry.profile) {
    entry.order = static_cast<std::uint32_t>(data.player_order->size());
    data.player_order.write().push_back(tag);
  }
  entry.profile = std::move(profile);
}

}  // namespace overworld::sandbox::detail
