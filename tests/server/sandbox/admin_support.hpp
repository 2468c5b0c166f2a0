// Test support: the sandbox over a generated dataset, with its admin API installed.
#pragma once

#include "support.hpp"

#include <overworld/server/sandbox/admin.hpp>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace overworld::sandbox::testing {

namespace json = boost::json;

inline constexpr char const* admin_key = "admin-secret";

/// Eight made-up clans of ten; about one in four keeps its war log private. Made as of the test
/// clock's start, a Tuesday: no raid weekend is on.
inline std::shared_ptr<dataset const> generated_dataset() {
  auto data = std::make_shared<dataset>();
  generate_into(*data, generator_options{8, 10, 7, 32000007, 1'700'000'000});
  return data;
}

inline json::value body_of(sandbox_server::response const& r) { return json::parse(r.body()); }

/// "%23TAG", as a tag goes into a path.
inline std::string in_path(std::string const& tag) { return "%23" + tag.substr(1); }

class admin_test : public ::testing::Test {
 protected:
  std::unique_ptr<sandbox_admin> admin;
  sandbox_server s{sandbox_options{}, generated_dataset(), [this](sandbox_server& server) {
                     server.server.options.threads = 2;  // changes and reads on different threads
                     admin = std::make_unique<sandbox_admin>(*server.sandbox, admin_key);
                     admin->install(*server.server.routes);
                   }};

  sandbox_server::response call(std::string const& method, std::string const& path, std::string const& body = {}) {
    return s.request(method, "/sandbox/admin/v1" + path, admin_key, body);
  }
  json::value get_json(std::string const& target) {
    auto const r = s.get(target);
    EXPECT_EQ(r.result_int(), 200) << target << ": " << r.body();
    boost::system::error_code ec;
    auto v = json::parse(r.body(), ec);
    EXPECT_FALSE(ec) << target << ": " << r.body();
    return v;
  }
  /// Clans of the dataset whose war log (and so current war) is public, in generation order.
  std::vector<std::string> public_clans() {
    std::vector<std::string> tags;
    auto const data = s.sandbox->data();
    for (auto const& tag : *data->search_order) {
      if (data->clans.at(tag).war_log_public) tags.push_back(tag);
    }
    return tags;
  }
  std::vector<std::string> members_of(std::string const& clan) {
    std::vector<std::string> tags;
    auto const profile = get_json("/v1/clans/" + in_path(clan));
    for (auto const& m : profile.at("memberList").as_array()) {
      tags.emplace_back(m.at("tag").as_string());
    }
    return tags;
  }
};

}  // namespace overworld::sandbox::testing
