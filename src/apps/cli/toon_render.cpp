#include "toon_render.hpp"

#include "json_view.hpp"
#include "table.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

namespace overworld::cli::toon_render {
namespace {

std::string capitalised(std::string_view s) {
  std::string out{s};
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

style status_style(toon::district_status s) {
  switch (s) {
    case toon::district_status::online:
      return style::green;
    case toon::district_status::draining:
      return style::yellow;
    case toon::district_status::closed:
      return style::red;
    case toon::district_status::offline:
      return style::dim;
    case toon::district_status::unknown:
      break;
  }
  return style::plain;
}

std::string department_name(toon::department d) {
  return d == toon::department::unknown ? std::string{} : capitalised(toon::to_string(d));
}

// "Flunky", "Flunky (skelecog)", "Flunky (v2.0)".
std::string cog_label(toon::cog_type const& cog) {
  std::string out = cog.name;
  if (cog.skelecog) out += " (skelecog)";
  if (cog.v2) out += " (v2.0)";
  return out;
}

std::string progress(toon::invasion const& inv) {
  if (inv.mega) return "mega";
  std::string out = std::to_string(inv.defeated);
  if (inv.total) out += "/" + std::to_string(*inv.total);
  return out;
}

std::string percent(toon::invasion const& inv) {
  auto const f = inv.fraction();
  return f ? format_percent(*f * 100.0) : std::string{};
}

std::string optional_time(std::optional<std::int64_t> t) { return t ? epoch_time(*t) : std::string{}; }

std::string population_of(toon::district const& d) { return d.population ? std::to_string(*d.population) : ""; }

}  // namespace

std::string invasions(toon::invasion_list const& list, bool color) {
  // An end is known when the API gives the district's timer (TTCC) or a rate (overworld's v2);
  // TTR's one snapshot has neither, and the column is then left out (watch invasions measures it).
  bool const ends = std::any_of(list.invasions.begin(), list.invasions.end(),
                                [](auto const& inv) { return inv.estimated_end.has_value(); });
  std::vector<column> columns{
      {"District"}, {"Cog"}, {"Department"}, {"Progress", align::right}, {"Done", align::right}};
  if (ends) columns.push_back({"Ends"});
  table t{std::move(columns)};
  for (auto const& inv : list.invasions) {
    std::vector<cell> row{{inv.district, style::bold},
                          {cog_label(inv.cog), inv.mega ? style::red : style::plain},
                          department_name(inv.cog.dept),
                          progress(inv),
                          percent(inv)};
    if (ends) row.emplace_back(optional_time(inv.estimated_end));
    t.add_row(std::move(row));
  }
  std::string out = t.empty() ? paint("no invasions", style::dim, color) + "\n" : t.render(color);
  if (list.last_updated > 0) out += paint("as of " + epoch_time(list.last_updated), style::dim, color) + "\n";
  return out;
}

std::string population(toon::population const& pop, bool color) {
  table t{{{"District"}, {"Population", align::right}, {"Status"}}};
  for (auto const& d : pop.districts) {
    t.add_row(
        {{d.name, style::bold}, population_of(d), {std::string{toon::to_string(d.status)}, status_style(d.status)}});
  }
  t.add_row({{"Total", style::bold}, {std::to_string(pop.total), style::bold}, {}});
  std::string out = t.render(color);
  if (pop.last_updated > 0) out += paint("as of " + epoch_time(pop.last_updated), style::dim, color) + "\n";
  return out;
}

std::string status(toon::game_status const& s, bool color) {
  details d;
  d.add("Open", {s.open ? "yes" : "no", s.open ? style::green : style::red});
  if (s.banner) d.add("Banner", *s.banner);
  return d.render(color);
}

std::string field_offices(toon::field_office_list const& list, bool color) {
  table t{{{"Zone", align::right},
           {"Street"},
           {"Department"},
           {"Stars", align::right},
           {"Annexes", align::right},
           {"Open"},
           {"Expiring"}}};
  for (auto const& o : list.offices) {
    t.add_row({std::to_string(o.zone),
               {o.street, style::bold},
               department_name(o.dept),
               std::to_string(o.difficulty + 1),
               std::to_string(o.annexes),
               {o.open ? "yes" : "no", o.open ? style::green : style::red},
               optional_time(o.expiring)});
  }
  if (t.empty()) return paint("no field offices", style::dim, color) + "\n";
  return t.render(color);
}

std::string silly_meter(toon::silly_meter const& m, bool color) {
  details d;
  d.add("State", {capitalised(toon::to_string(m.state)), style::bold});
  d.add("Points", std::to_string(m.hp) + " / 5000000");
  if (m.winner) d.add("Winner", {*m.winner, style::green});
  if (m.next_update > 0) d.add("Next update", epoch_time(m.next_update));
  if (m.as_of > 0) d.add("As of", epoch_time(m.as_of));
  std::string out = d.render(color);
  table t{{{"Team"}, {"Description"}, {"Points", align::right}}};
  for (std::size_t i = 0; i < m.rewards.size(); ++i) {
    std::string points;
    if (i < m.reward_points.size() && m.reward_points[i]) points = std::to_string(*m.reward_points[i]);
    t.add_row({{m.rewards[i], style::bold}, i < m.reward_descriptions.size() ? m.reward_descriptions[i] : "", points});
  }
  if (!t.empty()) out += heading("Teams", color) + t.render(color);
  return out;
}

std::string doodles(toon::doodle_list const& list, bool color) {
  table t{{{"District"}, {"Playground"}, {"Traits"}, {"Cost", align::right}, {"DNA"}}};
  for (auto const& d : list.doodles) {
    std::string traits;
    for (auto const& trait : d.traits) traits += (traits.empty() ? "" : ", ") + trait;
    t.add_row({{d.district, style::bold}, d.playground, traits, std::to_string(d.cost), {d.dna, style::dim}});
  }
  return t.render(color);
}

std::string news_post(toon::news_post const& post, bool color) {
  details d;
  d.add("Title", {post.title, style::bold});
  d.add("Author", post.author);
  d.add("Date", post.date);
  d.add("ID", std::to_string(post.id));
  d.add("Image", post.image);
  d.add("Link", "https://www.toontownrewritten.com/news/item/" + std::to_string(post.id));
  std::string out = d.render(color);
  if (auto const body = html_to_text(post.body); !body.empty()) out += "\n" + body + "\n";
  return out;
}

std::string news_list(toon::news_list const& list, bool color) {
  table t{{{"ID", align::right}, {"Date"}, {"Title"}, {"Author"}}};
  for (auto const& p : list.posts) t.add_row({std::to_string(p.id), p.date, {p.title, style::bold}, p.author});
  return t.render(color);
}

std::string release_notes(toon::release_note_list const& list, bool color) {
  table t{{{"ID", align::right}, {"Date"}, {"Version"}}};
  for (auto const& n : list.notes) t.add_row({std::to_string(n.id), n.date, {n.slug, style::bold}});
  return t.render(color);
}

std::string release_note(toon::release_note const& note, bool color) {
  details d;
  d.add("Version", {note.slug, style::bold});
  d.add("Date", note.date);
  d.add("ID", std::to_string(note.id));
  std::string out = d.render(color);
  if (auto const body = html_to_text(note.body.value_or("")); !body.empty()) out += "\n" + body + "\n";
  return out;
}

std::string ttr_login(toon::ttr_login const& login, bool color) {
  bool const ok = login.state == toon::login_state::success;
  details d;
  d.add("Status", {ok ? "logged in" : std::string{toon::to_string(login.state)}, ok ? style::green : style::red});
  d.add("Message", login.banner);
  d.add("Game server", login.gameserver);
  d.add("Cookie", {login.cookie, style::bold});
  std::string out = d.render(color);
  if (ok) {
    out +=
        paint("play with TTR_GAMESERVER=" + login.gameserver + " TTR_PLAYCOOKIE=" + login.cookie, style::dim, color) +
        "\n";
  }
  return out;
}

std::string districts(toon::district_list const& list, bool color) {
  table t{{{"District"}, {"Status"}, {"Population", align::right}, {"Invasion"}, {"Progress", align::right}, {"Ends"}}};
  std::int64_t total = 0;
  for (auto const& d : list.districts) {
    if (d.population) total += *d.population;
    std::string cog, prog, ends;
    if (d.invasion) {
      cog = cog_label(d.invasion->cog);
      prog = progress(*d.invasion);
      ends = optional_time(d.invasion->estimated_end ? d.invasion->estimated_end : d.invasion->ends_at);
    }
    t.add_row({{d.name, style::bold},
               {std::string{toon::to_string(d.status)}, status_style(d.status)},
               population_of(d),
               cog,
               prog,
               ends});
  }
  t.add_row({{"Total", style::bold}, {}, {std::to_string(total), style::bold}, {}, {}, {}});
  return t.render(color);
}

std::string game_info(toon::game_info const& info, bool color) {
  details d;
  d.add("Open", {info.production_closed ? "no" : "yes", info.production_closed ? style::red : style::green});
  if (info.production_closed) d.add("Reason", info.production_closed_reason);
  d.add("Toons in game", std::to_string(info.toons));
  d.add("Game version", info.version);
  return d.render(color);
}

std::string articles(toon::article_list const& list, bool color) {
  table t{{{"ID", align::right}, {"Posted"}, {"Title"}, {"Category"}, {"Author"}}};
  for (auto const& a : list.articles) {
    t.add_row({std::to_string(a.id), a.posted, {a.title, style::bold}, a.category, a.author});
  }
  if (t.empty()) return paint("no news", style::dim, color) + "\n";
  return t.render(color);
}

std::string article(toon::article const& a, bool color) {
  details d;
  d.add("Title", {a.title, style::bold});
  d.add("Author", a.author);
  d.add("Posted", a.posted);
  d.add("Category", a.category);
  d.add("ID", std::to_string(a.id));
  d.add("Image", a.image_url);
  d.add("Link", "https://corporateclash.net/news/article/" + std::to_string(a.id));
  std::string out = d.render(color);
  if (auto const summary = html_to_text(a.summary); !summary.empty()) out += "\n" + summary + "\n";
  return out;
}

std::string launcher_version(toon::launcher_version const& v, bool color) {
  details d;
  d.add("Launcher version", {v.version, style::bold});
  return d.render(color);
}

std::string ttcc_login(toon::ttcc_login const& login, bool color) {
  details d;
  d.add("Status", {login.status ? "logged in" : "refused", login.status ? style::green : style::red});
  d.add("Reason", std::to_string(login.reason_code) + " " + std::string{toon::to_string(login.reason)});
  d.add("Message", login.friendly_reason);
  d.add("Token", {login.token, style::bold});
  if (login.retry_after) d.add("Retry after", std::to_string(*login.retry_after) + "s");
  std::string out = d.render(color);
  if (login.status && !login.token.empty()) {
    out += paint("play with TT_PLAYCOOKIE=" + login.token + " (valid for about two minutes)", style::dim, color) + "\n";
  }
  return out;
}

std::string launcher_token_answer(toon::launcher_token_answer const& a, char const* done, bool color) {
  details d;
  std::string const status = a.status ? done : a.bad_token ? "bad token" : "refused";
  d.add("Status", {status, a.status ? style::green : style::red});
  if (a.reason_code != 0) d.add("Reason", std::to_string(a.reason_code) + " " + std::string{toon::to_string(a.reason)});
  d.add("Message", a.message);
  if (a.toonstep) d.add("Two-step", "required: log in with the password and the code instead");
  d.add("Token", {a.token, style::bold});
  if (a.id) d.add("Token id", std::to_string(*a.id));
  if (a.retry_after) d.add("Retry after", std::to_string(*a.retry_after) + "s");
  return d.render(color);
}

std::string html_to_text(std::string_view html) {
  std::string text;
  std::size_t i = 0;
  while (i < html.size()) {
    char const c = html[i];
    if (c == '<') {
      auto const end = html.find('>', i);
      if (end == std::string_view::npos) break;
      std::string tag{html.substr(i + 1, end - i - 1)};
      for (auto& ch : tag) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (tag.starts_with("br") || tag == "/p" || tag == "/div" || tag == "/li" || tag.starts_with("/h")) text += '\n';
      if (tag == "li") text += "- ";
      i = end + 1;
    } else if (c == '&') {
      static constexpr std::pair<std::string_view, std::string_view> entities[] = {
          {"&amp;", "&"}, {"&lt;", "<"},   {"&gt;", ">"},  {"&quot;", "\""},
          {"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "}};
      bool matched = false;
      for (auto const& [name, value] : entities) {
        if (html.substr(i).starts_with(name)) {
          text += value;
          i += name.size();
          matched = true;
          break;
        }
      }
      if (!matched) {
        text += c;
        ++i;
      }
    } else {
      text += c;
      ++i;
    }
  }
  // Line by line: sanitize() would turn the breaks into spaces; blank runs collapse to one.
  std::string out;
  std::size_t start = 0;
  bool blank = true;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string line = sanitize(std::string_view{text}.substr(start, nl - start));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    auto const first = line.find_first_not_of(' ');
    line = first == std::string::npos ? std::string{} : line.substr(first);
    if (!line.empty() || !blank) out += line + "\n";
    blank = line.empty();
    start = nl + 1;
  }
  while (!out.empty() && (out.back() == '\n')) out.pop_back();
  return out;
}

}  // namespace overworld::cli::toon_render
