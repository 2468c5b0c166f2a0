// Watcher events and launcher sync summaries, for people and as JSON.
#include "json_view.hpp"
#include "table.hpp"
#include "toon_render.hpp"

#include <overworld/core/log.hpp>

namespace overworld::cli::toon_render {
namespace {

style kind_style(toon::event_kind k) {
  switch (k) {
    case toon::event_kind::invasion_started:
      return style::green;
    case toon::event_kind::invasion_ended:
      return style::yellow;
    case toon::event_kind::district_online:
      return style::cyan;
    case toon::event_kind::district_offline:
      return style::red;
    case toon::event_kind::invasion_progress:
      break;
  }
  return style::plain;
}

// `text` cut or padded to exactly `width` columns, so that successive lines line up (a stream
// cannot measure ahead).
std::string fixed(std::string_view text, std::size_t width) {
  std::string out = truncate_to(text, width);
  out.append(width - display_width(out), ' ');
  return out;
}

std::string json_number(double v) { return format_number(v); }

}  // namespace

std::string_view short_name(toon::event_kind k) {
  switch (k) {
    case toon::event_kind::invasion_started:
      return "started";
    case toon::event_kind::invasion_progress:
      return "progress";
    case toon::event_kind::invasion_ended:
      return "ended";
    case toon::event_kind::district_online:
      return "online";
    case toon::event_kind::district_offline:
      break;
  }
  return "offline";
}

std::string event_line(toon::event const& e, bool color) {
  // time  kind  district  cog  progress, two spaces apart; district and cog narrow to fit the
  // terminal, the rest is cut at its edge.
  constexpr std::size_t time_width = 8, kind_width = 8, gap = 2;
  std::size_t district_width = 20, cog_width = 28;
  std::string tail;
  std::string cog;
  if (e.invasion) {
    auto const& inv = *e.invasion;
    cog = inv.cog.name;
    if (inv.cog.skelecog) cog += " (skelecog)";
    if (inv.cog.v2) cog += " (v2.0)";
    tail = inv.mega ? "mega" : std::to_string(inv.defeated) + (inv.total ? "/" + std::to_string(*inv.total) : "");
    if (auto const f = inv.fraction(); f && !inv.mega) tail += " " + format_percent(*f * 100.0);
    if (inv.defeat_rate && *inv.defeat_rate > 0) tail += "  " + format_number(*inv.defeat_rate) + "/min";
    if (inv.estimated_end) tail += "  ends " + relative_time(*inv.estimated_end, e.at);
  } else {
    tail = std::string{toon::to_string(e.status)};
    cog_width = 0;
  }
  std::size_t const fixed_part = time_width + kind_width + 4 * gap + display_width(tail);
  if (std::size_t const limit = output_width(); limit > 0 && fixed_part + district_width + cog_width > limit) {
    std::size_t const room = limit > fixed_part + 16 ? limit - fixed_part : 16;
    district_width = cog_width == 0 ? room : std::max<std::size_t>(8, room * 2 / 5);
    if (cog_width > 0) cog_width = std::max<std::size_t>(8, room - district_width);
  }
  std::string const sep(gap, ' ');
  std::string plain = clock_time(e.at) + sep + fixed(short_name(e.kind), kind_width) + sep +
                      fixed(sanitize(e.district), district_width) + sep;
  if (cog_width > 0) plain += fixed(sanitize(cog), cog_width) + sep;
  plain += tail;
  if (std::size_t const limit = output_width(); limit > 0) plain = truncate_to(plain, limit - 1);
  while (!plain.empty() && plain.back() == ' ') plain.pop_back();
  std::size_t const kind_at = time_width + gap;
  if (!color || plain.size() <= kind_at + kind_width) return plain + "\n";
  // Plain ASCII up to the district: the columns' positions are known.
  return paint(plain.substr(0, time_width), style::dim, color) + sep +
         paint(plain.substr(kind_at, kind_width), kind_style(e.kind), color) + plain.substr(kind_at + kind_width) +
         "\n";
}

std::string event_json(toon::event const& e) {
  std::string out = "{";
  json_member(out, "event", toon::to_string(e.kind), true);
  json_member(out, "district", e.district, true);
  json_member(out, "status", toon::to_string(e.status), true);
  json_member(out, "at", std::to_string(e.at), false);
  if (e.invasion) {
    auto const& inv = *e.invasion;
    std::string o = "{";
    json_member(o, "cog", inv.cog.name, true);
    json_member(o, "type", inv.type, true);
    json_member(o, "department", toon::to_string(inv.cog.dept), true);
    json_member(o, "skelecog", inv.cog.skelecog ? "true" : "false", false);
    json_member(o, "v2", inv.cog.v2 ? "true" : "false", false);
    json_member(o, "mega", inv.mega ? "true" : "false", false);
    json_member(o, "defeated", std::to_string(inv.defeated), false);
    json_member(o, "total", inv.total ? std::to_string(*inv.total) : "null", false);
    json_member(o, "asOf", std::to_string(inv.as_of), false);
    json_member(o, "startedAt", inv.started_at ? std::to_string(*inv.started_at) : "null", false);
    json_member(o, "endsAt", inv.ends_at ? std::to_string(*inv.ends_at) : "null", false);
    json_member(o, "defeatRate", inv.defeat_rate ? json_number(*inv.defeat_rate) : "null", false);
    json_member(o, "estimatedEnd", inv.estimated_end ? std::to_string(*inv.estimated_end) : "null", false);
    if (!inv.id.empty()) json_member(o, "id", inv.id, true);
    o += '}';
    json_member(out, "invasion", o, false);
  } else {
    json_member(out, "invasion", "null", false);
  }
  out += "}\n";
  return out;
}

std::string sync_summary(toon::sync_summary const& s, bool color) {
  details d;
  d.add("Files listed", std::to_string(s.files_listed));
  d.add("Up to date", std::to_string(s.files_up_to_date));
  d.add("Downloaded", {std::to_string(s.files_downloaded), s.files_downloaded > 0 ? style::green : style::plain});
  d.add("Failed", {std::to_string(s.files_failed), s.files_failed > 0 ? style::red : style::plain});
  d.add("Bytes checked", std::to_string(s.bytes_checked));
  d.add("Bytes downloaded", std::to_string(s.bytes_downloaded));
  if (s.bytes_resumed > 0) d.add("Bytes resumed", std::to_string(s.bytes_resumed));
  d.add("Time", format_number(s.seconds) + " s");
  std::string out = d.render(color);
  if (!s.failures.empty()) {
    table t{{{"File"}, {"Error"}, {"Detail"}}};
    for (auto const& f : s.failures) t.add_row({{f.path, style::bold}, {f.error.message(), style::red}, f.detail});
    out += heading("Failures", color) + t.render(color);
  }
  return out;
}

std::string sync_summary_json(toon::sync_summary const& s) {
  std::string out = "{";
  json_member(out, "ok", s.ok() ? "true" : "false", false);
  json_member(out, "filesListed", std::to_string(s.files_listed), false);
  json_member(out, "filesChecked", std::to_string(s.files_checked), false);
  json_member(out, "filesUpToDate", std::to_string(s.files_up_to_date), false);
  json_member(out, "filesDownloaded", std::to_string(s.files_downloaded), false);
  json_member(out, "filesFailed", std::to_string(s.files_failed), false);
  json_member(out, "bytesChecked", std::to_string(s.bytes_checked), false);
  json_member(out, "bytesDownloaded", std::to_string(s.bytes_downloaded), false);
  json_member(out, "bytesResumed", std::to_string(s.bytes_resumed), false);
  json_member(out, "seconds", json_number(s.seconds), false);
  std::string failures = "[";
  for (auto const& f : s.failures) {
    std::string o = "{";
    json_member(o, "path", f.path, true);
    json_member(o, "error", f.error.message(), true);
    json_member(o, "detail", f.detail, true);
    o += '}';
    if (failures.size() > 1) failures += ',';
    failures += o;
  }
  failures += ']';
  json_member(out, "failures", failures, false);
  out += "}\n";
  return out;
}

}  // namespace overworld::cli::toon_render
