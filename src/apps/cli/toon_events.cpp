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

// Pads to `width` columns so that successive lines line up (a stream cannot measure ahead).
std::string padded(std::string text, std::size_t width) {
  auto const w = display_width(text);
  if (w < width) text.append(width - w, ' ');
  return text;
}

void member(std::string& out, std::string_view name, std::string_view value, bool quote) {
  if (out.back() != '{') out += ',';
  out += '"';
  out += name;
  out += "\":";
  if (quote) {
    out += '"';
    append_json_escaped(out, value);
    out += '"';
  } else {
    out += value;
  }
}

std::string json_number(double v) { return format_number(v); }

}  // namespace

std::string event_line(toon::event const& e, bool color) {
  std::string const kind{toon::to_string(e.kind)};
  std::string line = paint(epoch_time(e.at), style::dim, color) + "  ";
  line += paint(padded(kind, 18), kind_style(e.kind), color);
  line += paint(padded(sanitize(e.district), 22), style::bold, color);
  if (e.invasion) {
    auto const& inv = *e.invasion;
    std::string cog = inv.cog.name;
    if (inv.cog.skelecog) cog += " (skelecog)";
    if (inv.cog.v2) cog += " (v2.0)";
    line += padded(sanitize(cog), 24);
    if (inv.mega) {
      line += "mega";
    } else {
      line += std::to_string(inv.defeated);
      if (inv.total) line += "/" + std::to_string(*inv.total);
    }
    if (inv.defeat_rate) line += "  " + format_number(*inv.defeat_rate) + "/min";
    if (inv.estimated_end) line += "  ends ~" + epoch_time(*inv.estimated_end);
  } else {
    line += std::string{toon::to_string(e.status)};
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

std::string event_json(toon::event const& e) {
  std::string out = "{";
  member(out, "event", toon::to_string(e.kind), true);
  member(out, "district", e.district, true);
  member(out, "status", toon::to_string(e.status), true);
  member(out, "at", std::to_string(e.at), false);
  if (e.invasion) {
    auto const& inv = *e.invasion;
    std::string o = "{";
    member(o, "cog", inv.cog.name, true);
    member(o, "type", inv.type, true);
    member(o, "department", toon::to_string(inv.cog.dept), true);
    member(o, "skelecog", inv.cog.skelecog ? "true" : "false", false);
    member(o, "v2", inv.cog.v2 ? "true" : "false", false);
    member(o, "mega", inv.mega ? "true" : "false", false);
    member(o, "defeated", std::to_string(inv.defeated), false);
    member(o, "total", inv.total ? std::to_string(*inv.total) : "null", false);
    member(o, "asOf", std::to_string(inv.as_of), false);
    member(o, "startedAt", inv.started_at ? std::to_string(*inv.started_at) : "null", false);
    member(o, "endsAt", inv.ends_at ? std::to_string(*inv.ends_at) : "null", false);
    member(o, "defeatRate", inv.defeat_rate ? json_number(*inv.defeat_rate) : "null", false);
    member(o, "estimatedEnd", inv.estimated_end ? std::to_string(*inv.estimated_end) : "null", false);
    if (!inv.id.empty()) member(o, "id", inv.id, true);
    o += '}';
    member(out, "invasion", o, false);
  } else {
    member(out, "invasion", "null", false);
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
  member(out, "ok", s.ok() ? "true" : "false", false);
  member(out, "filesListed", std::to_string(s.files_listed), false);
  member(out, "filesChecked", std::to_string(s.files_checked), false);
  member(out, "filesUpToDate", std::to_string(s.files_up_to_date), false);
  member(out, "filesDownloaded", std::to_string(s.files_downloaded), false);
  member(out, "filesFailed", std::to_string(s.files_failed), false);
  member(out, "bytesChecked", std::to_string(s.bytes_checked), false);
  member(out, "bytesDownloaded", std::to_string(s.bytes_downloaded), false);
  member(out, "bytesResumed", std::to_string(s.bytes_resumed), false);
  member(out, "seconds", json_number(s.seconds), false);
  std::string failures = "[";
  for (auto const& f : s.failures) {
    std::string o = "{";
    member(o, "path", f.path, true);
    member(o, "error", f.error.message(), true);
    member(o, "detail", f.detail, true);
    o += '}';
    if (failures.size() > 1) failures += ',';
    failures += o;
  }
  failures += ']';
  member(out, "failures", failures, false);
  out += "}\n";
  return out;
}

}  // namespace overworld::cli::toon_render
