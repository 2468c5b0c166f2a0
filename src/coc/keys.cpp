// The developer portal's key management (see keys.hpp for what provision_keys decides).
#include <overworld/coc/keys.hpp>
#include <overworld/core/base64.hpp>
#include <overworld/core/log.hpp>

#include <simdjson.h>
#include <boost/beast/core/string.hpp>

#include <algorithm>

namespace overworld::coc {
namespace {

namespace od = simdjson::ondemand;

template <class T>
api_result<T> failed(error e) {
  return api_result<T>{boost::system::in_place_error, std::move(e)};
}

// The portal answers errors as {"status":{"code","message"},"error","description"} or an empty
// 403; the description is the useful part when there is one.
error portal_error(unsigned status, std::string_view body, std::string const& path) {
  error e = error_from_response(status, body, path);
  simdjson::padded_string padded{body};
  od::parser parser;
  od::document doc;
  std::string_view text;
  if (parser.iterate(padded).get(doc) == simdjson::SUCCESS &&
      doc["description"].get_string().get(text) == simdjson::SUCCESS && !text.empty()) {
    e.message = text;
  }
  if (e.message.empty() && status == 403) e.message = "the developer portal refused the credentials or session";
  return e;
}

std::string json_body(std::initializer_list<std::pair<std::string_view, std::string_view>> strings,
                      std::string_view array_name = {}, std::vector<std::string> const* array = nullptr,
                      std::string_view array2_name = {}, std::vector<std::string> const* array2 = nullptr) {
  std::string out = "{";
  auto sep = [&] {
    if (out.size() > 1) out += ',';
  };
  for (auto const& [name, value] : strings) {
    sep();
    out += '"';
    out += name;
    out += "\":\"";
    append_json_escaped(out, value);
    out += '"';
  }
  auto add_array = [&](std::string_view name, std::vector<std::string> const* values) {
    if (!values) return;
    sep();
    out += '"';
    out += name;
    out += "\":[";
    for (std::size_t i = 0; i < values->size(); ++i) {
      if (i) out += ',';
      out += '"';
      append_json_escaped(out, (*values)[i]);
      out += '"';
    }
    out += ']';
  };
  add_array(array_name, array);
  add_array(array2_name, array2);
  out += '}';
  return out;
}

simdjson::error_code read_strings(od::value v, std::vector<std::string>& out) {
  od::array a;
  if (auto ec = v.get_array().get(a)) return ec;
  for (auto item : a) {
    std::string_view s;
    if (auto ec = item.get_string().get(s)) return ec;
    out.emplace_back(s);
  }
  return simdjson::SUCCESS;
}

simdjson::error_code read_key(od::object o, portal_key& k) {
  for (auto field : o) {
    std::string_view name;
    if (auto ec = field.unescaped_key().get(name)) return ec;
    od::value v;
    if (auto ec = field.value().get(v)) return ec;
    if (v.is_null()) continue;
    std::string_view s;
    if (name == "id" || name == "name" || name == "description" || name == "key") {
      if (auto ec = v.get_string().get(s)) return ec;
      (name == "id" ? k.id : name == "name" ? k.name : name == "description" ? k.description : k.key) = s;
    } else if (name == "cidrRanges") {
      if (auto ec = read_strings(v, k.cidr_ranges)) return ec;
    } else if (name == "scopes") {
      if (auto ec = read_strings(v, k.scopes)) return ec;
    }
  }
  return simdjson::SUCCESS;
}

bool allows(portal_key const& k, std::string_view ip) {
  return std::any_of(k.cidr_ranges.begin(), k.cidr_ranges.end(), [&](std::string const& c) {
    std::string_view range = c;
    if (range.ends_with("/32")) range.remove_suffix(3);
    return range == ip;
  });
}

}  // namespace

std::string ip_from_temporary_token(std::string_view token) {
  auto const first = token.find('.');
  auto const last = token.rfind('.');
  if (first == std::string_view::npos || last == first) return {};
  auto payload = base64url_decode(token.substr(first + 1, last - first - 1));
  if (!payload) return {};
  simdjson::padded_string padded{*payload};
  od::parser parser;
  od::document doc;
  if (parser.iterate(padded).get(doc)) return {};
  od::array limits;
  if (doc["limits"].get_array().get(limits)) return {};
  for (auto limit : limits) {
    od::array cidrs;
    if (limit["cidrs"].get_array().get(cidrs)) continue;
    for (auto c : cidrs) {
      std::string_view cidr;
      if (c.get_string().get(cidr)) continue;
      if (auto slash = cidr.find('/'); slash != std::string_view::npos) cidr = cidr.substr(0, slash);
      if (!cidr.empty()) return std::string{cidr};
    }
  }
  return {};
}

namespace {

// POST base + path with a JSON body (and the session cookie when there is one).
boost::asio::awaitable<api_result<http::client_response>> post(http::client& http, std::string url, std::string body,
                                                               std::string cookie, std::string path) {
  http::client_request req;
  req.method = http::verb::post;
  req.url = std::move(url);
  req.headers.emplace_back("Content-Type", "application/json");
  req.headers.emplace_back("Accept", "application/json");
  if (!cookie.empty()) req.headers.emplace_back("Cookie", std::move(cookie));
  req.body = std::move(body);
  auto answer = co_await http.request(std::move(req));
  if (!answer) co_return failed<http::client_response>(error_from_transport(answer.error(), path));
  if (answer->status != 200) {
    co_return failed<http::client_response>(portal_error(answer->status, answer->body, path));
  }
  co_return std::move(*answer);
}

}  // namespace

boost::asio::awaitable<api_result<portal_session>> portal_session::login(http::client& http, std::string base_url,
                                                                         developer_account account) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  std::string body = json_body({{"email", account.email}, {"password", account.password}});
  std::string url = base_url + "/login";
  auto answer = co_await post(http, std::move(url), std::move(body), std::string{}, std::string{"/login"});
  if (!answer) co_return failed<portal_session>(answer.error());
  portal_session s;
  s.base_ = std::move(base_url);
  for (auto const& [name, value] : answer->headers) {
    if (!boost::beast::iequals(name, "set-cookie")) continue;
    std::string_view v = value;
    v = v.substr(0, v.find(';'));
    if (v.starts_with("session=")) s.cookie_ = v;
  }
  simdjson::padded_string padded{answer->body};
  od::parser parser;
  od::document doc;
  std::string_view token;
  if (parser.iterate(padded).get(doc) || doc["temporaryAPIToken"].get_string().get(token)) {
    co_return failed<portal_session>(decode_error("/login", "the login answer has no temporaryAPIToken"));
  }
  s.ip_ = ip_from_temporary_token(token);
  std::string_view id;
  if (!doc["developer"]["id"].get_string().get(id)) s.developer_id_ = id;
  if (s.cookie_.empty())
    co_return failed<portal_session>(decode_error("/login", "the login answer set no session cookie"));
  if (s.ip_.empty()) {
    co_return failed<portal_session>(decode_error("/login", "the temporary token names no IP address"));
  }
  co_return s;
}

boost::asio::awaitable<api_result<std::vector<portal_key>>> portal_session::list(http::client& http) const {
  auto answer = co_await post(http, base_ + "/apikey/list", std::string{"{}"}, cookie_, std::string{"/apikey/list"});
  if (!answer) co_return failed<std::vector<portal_key>>(answer.error());
  simdjson::padded_string padded{answer->body};
  od::parser parser;
  od::document doc;
  od::array keys;
  if (parser.iterate(padded).get(doc) || doc["keys"].get_array().get(keys)) {
    co_return failed<std::vector<portal_key>>(decode_error("/apikey/list", "the key list has no keys array"));
  }
  std::vector<portal_key> out;
  for (auto item : keys) {
    od::object o;
    portal_key k;
    if (item.get_object().get(o) || read_key(o, k)) {
      co_return failed<std::vector<portal_key>>(decode_error("/apikey/list", "a key of the list is not readable"));
    }
    out.push_back(std::move(k));
  }
  co_return out;
}

boost::asio::awaitable<api_result<portal_key>> portal_session::create(http::client& http, std::string name,
                                                                      std::string description,
                                                                      std::vector<std::string> cidr_ranges,
                                                                      std::vector<std::string> scopes) const {
  auto body = json_body({{"name", name}, {"description", description}}, "cidrRanges", &cidr_ranges, "scopes", &scopes);
  auto answer = co_await post(http, base_ + "/apikey/create", std::move(body), cookie_, std::string{"/apikey/create"});
  if (!answer) co_return failed<portal_key>(answer.error());
  simdjson::padded_string padded{answer->body};
  od::parser parser;
  od::document doc;
  od::object o;
  portal_key k;
  if (parser.iterate(padded).get(doc) || doc["key"].get_object().get(o) || read_key(o, k) || k.key.empty()) {
    co_return failed<portal_key>(decode_error("/apikey/create", "the answer carries no key"));
  }
  co_return k;
}

boost::asio::awaitable<api_result<void>> portal_session::revoke(http::client& http, std::string id) const {
  std::string body = json_body({{"id", id}});
  auto answer = co_await post(http, base_ + "/apikey/revoke", std::move(body), cookie_, std::string{"/apikey/revoke"});
  if (!answer) co_return failed<void>(answer.error());
  co_return api_result<void>{};
}

boost::asio::awaitable<api_result<key_provision>> provision_keys(http::client& http, portal_options options) {
  if (options.accounts.empty()) {
    co_return failed<key_provision>(decode_error("/login", "key management needs at least one portal account", 0));
  }
  auto const wanted = std::clamp(options.keys_per_account, 1U, 10U);
  key_provision out;
  for (auto const& account : options.accounts) {
    auto session = co_await portal_session::login(http, options.base_url, account);
    if (!session) co_return failed<key_provision>(session.error());
    if (out.ip.empty()) out.ip = session->ip();
    auto keys = co_await session->list(http);
    if (!keys) co_return failed<key_provision>(keys.error());

    unsigned have = 0;
    std::size_t total = keys->size();
    for (auto const& k : *keys) {
      if (k.name != options.key_name) continue;
      if (allows(k, session->ip()) && have < wanted) {
        out.keys.push_back(k.key);
        ++have;
        ++out.reused;
        continue;
      }
      // A managed key for another address (or one too many): it only uses up the account's ten.
      auto gone = co_await session->revoke(http, k.id);
      if (!gone) co_return failed<key_provision>(gone.error());
      ++out.revoked;
      --total;
    }
    for (; have < wanted; ++have) {
      if (total >= 10) {
        spdlog::warn("coc: portal account {} already has 10 keys of other names; it gives {} of {} wanted",
                     account.email, have, wanted);
        break;
      }
      std::vector<std::string> cidrs{session->ip() + "/32"};
      auto made =
          co_await session->create(http, options.key_name, options.key_description, std::move(cidrs), options.scopes);
      if (!made) co_return failed<key_provision>(made.error());
      out.keys.push_back(std::move(made->key));
      ++out.created;
      ++total;
    }
  }
  co_return out;
}

}  // namespace overworld::coc
