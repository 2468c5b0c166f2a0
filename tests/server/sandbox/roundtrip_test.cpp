// Every fixture whose request was recorded comes back byte for byte, with its status and type.
#include "support.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace overworld::sandbox {
namespace {

namespace json = boost::json;
using testing::sandbox_server;

/// "GET /clans/{clanTag}/members" with {"clantag":"#29Y8PRCJR"} -> "/v1/clans/%2329Y8PRCJR/members".
std::string target_of(std::string endpoint, json::object const& args) {
  endpoint = endpoint.substr(endpoint.find(' ') + 1);
  if (auto q = endpoint.find('?'); q != std::string::npos) endpoint.erase(q);
  std::string query;
  for (auto const& [name, value] : args) {
    std::string const v{value.as_string()};
    bool replaced = false;
    for (std::size_t open = endpoint.find('{'); open != std::string::npos; open = endpoint.find('{', open + 1)) {
      auto const close = endpoint.find('}', open);
      std::string param = endpoint.substr(open + 1, close - open - 1);
      for (auto& ch : param) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (param == name) {
        endpoint.replace(open, close - open + 1, http::percent_encode(v));
        replaced = true;
        break;
      }
    }
    if (!replaced) query += (query.empty() ? "?" : "&") + std::string{name} + "=" + http::percent_encode(v);
  }
  return "/v1" + endpoint + query;
}

/// Asks for every recorded request; each must get the recorded status, bytes and content type.
void expect_recorded_answers(sandbox_server& s) {
  auto const responses = json::parse(testing::read_file(testing::fixtures_dir() / "_responses.json")).as_object();
  std::size_t checked = 0;
  for (auto const& [file, entry] : responses) {
    auto const& e = entry.as_object();
    if (!e.at("request_args").is_object()) continue;
    std::string const target = target_of(std::string{e.at("endpoint").as_string()}, e.at("request_args").as_object());
    SCOPED_TRACE(std::string{file} + " <- " + target);
    auto const r = s.get(target);
    EXPECT_EQ(r.result_int(), e.at("status").as_int64());
    EXPECT_EQ(r.body(), testing::read_file(testing::fixtures_dir() / std::string{file}));
    auto const& headers = e.at("headers").as_object();
    EXPECT_EQ(r[boost::beast::http::field::content_type], std::string{headers.at("content-type").as_string()});
    ++checked;
  }
  EXPECT_GE(checked, 6u);
}

TEST(SandboxRoundTrip, RecordedRequestsGetTheRecordedBytes) {
  sandbox_server s;
  expect_recorded_answers(s);
}

TEST(SandboxRoundTrip, TimeLeavesRecordedAnswersAsRecorded) {
  // Six world hours at an hour a second: the made-up clans around the recordings live (wars and
  // drift); what was recorded is still served as recorded.
  sandbox_options o;
  o.time.scale = 3600;
  sandbox_server s{o};
  auto const before = s.sandbox->data();
  s.time.advance(std::chrono::seconds{6});
  EXPECT_EQ(s.sandbox->world_time(), 1'700'000'000 + 6 * 3600);
  expect_recorded_answers(s);
  EXPECT_NE(s.sandbox->data(), before);  // the world did change around them
}

}  // namespace
}  // namespace overworld::sandbox
