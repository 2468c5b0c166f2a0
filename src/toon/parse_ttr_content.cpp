// Toontown Rewritten: silly meter, news, release notes and the login answers.
#include "json_read.hpp"

#include <overworld/http/message.hpp>
#include <overworld/toon/parse.hpp>

namespace overworld::toon {
namespace {

using namespace detail;

template <class T>
result<T> not_found() {
  return make_error_code(errc::not_found);
}

read read_string_array(od::value v, std::vector<std::string>& out) {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return read::bad;
  if (t == od::json_type::null) return read::empty;
  od::array a;
  if (v.get_array().get(a) != simdjson::SUCCESS) return read::bad;
  bool const ok = read_elements(a, [&out](od::value item) {
    std::string s;
    if (read_string(item, s) == read::bad) return false;
    out.push_back(std::move(s));
    return true;
  });
  return ok ? read::ok : read::bad;
}

// The document is the literal `null`: TTR's answer for a post or note that does not exist.
bool is_null_document(std::string_view json) {
  while (!json.empty() && (json.front() == ' ' || json.front() == '\n' || json.front() == '\r' || json.front() == '\t'))
    json.remove_prefix(1);
  while (!json.empty() && (json.back() == ' ' || json.back() == '\n' || json.back() == '\r' || json.back() == '\t'))
    json.remove_suffix(1);
  return json == "null";
}

// Elements of a top-level array, each parsed on its own so that each keeps its own JSON.
template <class T, class Parse>
result<std::vector<T>> each_element(std::string_view json, Parse parse) {
  json_doc d{json};
  std::vector<T> out;
  bool const ok = read_root_elements(d, [&](od::value item) {
    std::string_view raw;
    if (!raw_of(item, raw)) return false;
    auto one = parse(raw);
    if (!one) return false;
    out.push_back(std::move(*one));
    return true;
  });
  if (!ok) return parse_error();
  return out;
}

}  // namespace

namespace {

// rewardPoints: numbers, or null for a reward nobody has points for yet; the whole may be null.
bool read_reward_points(od::value v, std::vector<std::optional<std::int64_t>>& out) {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return false;
  if (t == od::json_type::null) return true;
  od::array a;
  if (v.get_array().get(a) != simdjson::SUCCESS) return false;
  return read_elements(a, [&out](od::value item) {
    std::int64_t n = 0;
    auto const got = read_int(item, n);
    if (got == read::bad) return false;
    out.push_back(got == read::ok ? std::optional<std::int64_t>{n} : std::nullopt);
    return true;
  });
}

}  // namespace

result<silly_meter> parse_ttr_silly_meter(std::string_view json, std::string* api_error) {
  json_doc d{json};
  silly_meter out;
  std::optional<std::string> error;
  bool has_state = false;
  bool const ok = read_root_members(d, [&](std::string_view key, od::value value) {
    read r = read::ok;
    if (key == "state") {
      std::string state;
      r = read_string(value, state);
      for (auto s : {silly_state::active, silly_state::reward, silly_state::inactive}) {
        if (http::iequals(state, to_string(s))) out.state = s;
      }
      has_state = r == read::ok;
    } else if (key == "hp") {
      r = read_int(value, out.hp);
    } else if (key == "rewards") {
      r = read_string_array(value, out.rewards);
    } else if (key == "rewardDescriptions") {
      r = read_string_array(value, out.reward_descriptions);
    } else if (key == "winner") {
      r = read_optional_string(value, out.winner);
    } else if (key == "rewardPoints") {
      return read_reward_points(value, out.reward_points);
    } else if (key == "nextUpdateTimestamp") {
      r = read_int(value, out.next_update);
    } else if (key == "asOf") {
      r = read_int(value, out.as_of);
    } else if (key == "error") {
      r = read_optional_string(value, error);
    }
    return r != read::bad;
  });
  if (!ok) return parse_error();
  if (!has_state) {
    if (error) {
      if (api_error) *api_error = *error;
      return not_found<silly_meter>();
    }
    return parse_error();
  }
  out.json.assign(json);
  return out;
}

result<news_post> parse_ttr_news_post(std::string_view json) {
  if (is_null_document(json)) return not_found<news_post>();
  json_doc d{json};
  news_post out;
  bool has_id = false;
  bool const ok = read_root_members(d, [&](std::string_view key, od::value value) {
    read r = read::ok;
    if (key == "postId" || key == "id") {
      r = read_int(value, out.id);
      has_id = r == read::ok;
    } else if (key == "title") {
      r = read_string(value, out.title);
    } else if (key == "author") {
      r = read_string(value, out.author);
    } else if (key == "body") {
      r = read_string(value, out.body);
    } else if (key == "date") {
      r = read_string(value, out.date);
    } else if (key == "image") {
      r = read_string(value, out.image);
    }
    return r != read::bad;
  });
  if (!ok || !has_id) return parse_error();
  out.date_unix = parse_ttr_date(out.date);
  out.json.assign(json);
  return out;
}

result<news_list> parse_ttr_news_list(std::string_view json) {
  auto posts = each_element<news_post>(json, [](std::string_view raw) { return parse_ttr_news_post(raw); });
  if (!posts) return posts.error();
  news_list out;
  out.posts = std::move(*posts);
  out.json.assign(json);
  return out;
}

result<release_note> parse_ttr_release_note(std::string_view json) {
  if (is_null_document(json)) return not_found<release_note>();
  json_doc d{json};
  release_note out;
  bool has_id = false;
  bool has_error = false;
  bool const ok = read_root_members(d, [&](std::string_view key, od::value value) {
    read r = read::ok;
    if (key == "noteId" || key == "id") {
      r = read_int(value, out.id);
      has_id = r == read::ok;
    } else if (key == "slug") {
      r = read_string(value, out.slug);
    } else if (key == "date") {
      r = read_string(value, out.date);
    } else if (key == "body") {
      r = read_optional_string(value, out.body);
    } else if (key == "error") {
      std::string text;
      r = read_string(value, text);
      has_error = r == read::ok;
    }
    return r != read::bad;
  });
  if (!ok) return parse_error();
  if (!has_id) return has_error ? not_found<release_note>() : parse_error();
  out.date_unix = parse_ttr_date(out.date);
  out.json.assign(json);
  return out;
}

result<release_note_list> parse_ttr_release_notes(std::string_view json) {
  auto notes = each_element<release_note>(json, [](std::string_view raw) { return parse_ttr_release_note(raw); });
  if (!notes) return notes.error();
  release_note_list out;
  out.notes = std::move(*notes);
  out.json.assign(json);
  return out;
}

namespace {

// Applies one login member, whatever form the answer came in.
bool apply_login_member(ttr_login& out, std::string_view key, std::string_view value, bool& has_success) {
  auto number = [&](std::optional<std::int64_t>& into) {
    std::int64_t n = 0;
    if (!value.empty() && value != "null" && to_int(value, n)) into = n;
    return true;
  };
  if (value == "null") value = {};
  if (key == "success") {
    has_success = true;
    if (value == "true")
      out.state = login_state::success;
    else if (value == "false")
      out.state = login_state::failure;
    else if (value == "partial")
      out.state = login_state::partial;
    else if (value == "delayed")
      out.state = login_state::delayed;
    else
      return false;
  } else if (key == "banner") {
    out.banner.assign(value);
  } else if (key == "responseToken") {
    out.response_token.assign(value);
  } else if (key == "gameserver") {
    out.gameserver.assign(value);
  } else if (key == "cookie") {
    out.cookie.assign(value);
  } else if (key == "manifest") {
    out.manifest.assign(value);
  } else if (key == "queueToken") {
    out.queue_token.assign(value);
  } else if (key == "eta") {
    return number(out.eta);
  } else if (key == "position") {
    return number(out.position);
  }
  return true;
}

std::string_view trim_space(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// `key=value` lines (TTR without format=json), or `{key=value, key=value}` as launchers log it.
result<ttr_login> parse_login_text(std::string_view body) {
  std::string_view text = trim_space(body);
  char separator = '\n';
  if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
    text = text.substr(1, text.size() - 2);
    separator = ',';
  }
  ttr_login out;
  bool has_success = false;
  while (!text.empty()) {
    auto const end = std::min(text.find(separator), text.size());
    auto const item = trim_space(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
    if (item.empty()) continue;
    auto const eq = item.find('=');
    if (eq == std::string_view::npos) return parse_error();
    if (!apply_login_member(out, trim_space(item.substr(0, eq)), trim_space(item.substr(eq + 1)), has_success)) {
      return parse_error();
    }
  }
  if (!has_success) return parse_error();
  out.json.assign(body);
  return out;
}

}  // namespace

result<ttr_login> parse_ttr_login(std::string_view body) {
  if (trim_space(body).starts_with('{') && body.find('"') == std::string_view::npos) return parse_login_text(body);
  if (!trim_space(body).starts_with('{')) return parse_login_text(body);
  json_doc d{body};
  ttr_login out;
  bool has_success = false;
  bool const ok = read_root_members(d, [&](std::string_view key, od::value value) {
    std::string text;
    if (read_string(value, text) == read::bad) return true;  // an object or array nobody documented
    return apply_login_member(out, key, text, has_success);
  });
  if (!ok || !has_success) return parse_error();
  out.json.assign(body);
  return out;
}

}  // namespace overworld::toon
