#include <overworld/coc/errors.hpp>
#include <overworld/sdk/retry.hpp>

#include "support/data.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace overworld::coc {
namespace {

// A recorded error body from data/coc-seed.
std::string fixture(std::string const& name) {
  return overworld::testing::read_data_file(overworld::testing::coc_fixtures_dir() / name);
}

TEST(Errors, BadRequestFixtures) {
  struct sample {
    char const* file;
    char const* path;
    char const* message;
  };
  for (auto const& s :
       {sample{"location_badrequest_400.json", "/v1/locations/1", "Unknown value for parameter locationId"},
        sample{"league_badrequest_400.json", "/v1/leagues/1", "Unknown value for parameter leagueId"},
        sample{"leaguetier_badrequest_400.json", "/v1/leaguetiers/1", "Unknown value for parameter leagueTierId"},
        sample{"league_seasons_badrequest_400.json", "/v1/leagues/29000000/seasons",
               "Seasons are available only for legendary league"},
        sample{"rankings_badrequest_400.json", "/v1/locations/1/rankings/clans",
               "Unknown value for parameter locationId"}}) {
    auto e = error_from_response(400, fixture(s.file), s.path);
    EXPECT_EQ(e.kind, error_kind::bad_request) << s.file;
    EXPECT_EQ(e.status, 400U);
    EXPECT_EQ(e.reason, "badRequest");
    EXPECT_EQ(e.message, s.message);
    EXPECT_EQ(e.path, s.path);
    EXPECT_FALSE(e.retry_after);
  }
}

TEST(Errors, NotFoundFixtures) {
  auto player = error_from_response(404, fixture("player_notfound_404.json"), "/v1/players/%232PP");
  EXPECT_EQ(player.kind, error_kind::not_found);
  EXPECT_EQ(player.reason, "notFound");
  EXPECT_EQ(player.message, "Not found with tag 2PP");
  EXPECT_EQ(player.describe(), "404 notFound: Not found with tag 2PP (/v1/players/%232PP)");

  auto cwl =
      error_from_response(404, fixture("cwl_leaguegroup_notfound_404.json"), "/v1/clans/%232PP/currentwar/leaguegroup");
  EXPECT_EQ(cwl.kind, error_kind::not_found);
  EXPECT_EQ(cwl.message, "");
}

TEST(Errors, PrivateWarLogIsToldApartByPath) {
  auto warlog = error_from_response(403, fixture("warlog_private_403.json"), "/v1/clans/%232PP/warlog?limit=5");
  EXPECT_EQ(warlog.kind, error_kind::private_war_log);
  EXPECT_EQ(warlog.reason, "accessDenied");

  auto current = error_from_response(403, fixture("currentwar_private_403.json"), "/v1/clans/%232PP/currentwar");
  EXPECT_EQ(current.kind, error_kind::private_war_log);

  // The same body elsewhere is a key problem.
  auto player = error_from_response(403, fixture("warlog_private_403.json"), "/v1/players/%232PP");
  EXPECT_EQ(player.kind, error_kind::access_denied);
  auto group = error_from_response(403, fixture("warlog_private_403.json"), "/v1/clans/%232PP/currentwar/leaguegroup");
  EXPECT_EQ(group.kind, error_kind::access_denied);

  // With a message it is the key, even on the war log.
  auto key = error_from_response(403, R"({"reason":"accessDenied","message":"Invalid authorization"})",
                                 "/v1/clans/%232PP/warlog");
  EXPECT_EQ(key.kind, error_kind::access_denied);
  EXPECT_EQ(key.message, "Invalid authorization");

  // The explicit reason some servers send.
  EXPECT_EQ(error_from_response(403, R"({"reason":"accessDenied.privateWarLog"})", "/x").kind,
            error_kind::private_war_log);
}

TEST(Errors, EveryReason) {
  auto invalid_ip = error_from_response(
      403, R"({"reason":"accessDenied.invalidIp","message":"API key does not allow access from IP 203.0.113.7"})",
      "/v1/players/%232PP");
  EXPECT_EQ(invalid_ip.kind, error_kind::invalid_ip);
  EXPECT_NE(invalid_ip.message.find("203.0.113.7"), std::string::npos);

  auto throttled =
      error_from_response(429, R"({"reason":"requestThrottled","message":"Request was throttled"})", "/v1/x");
  EXPECT_EQ(throttled.kind, error_kind::throttled);

  auto maintenance = error_from_response(503, R"({"reason":"inMaintenance","message":"Maintenance break"})", "/v1/x");
  EXPECT_EQ(maintenance.kind, error_kind::maintenance);

  auto unknown = error_from_response(500, R"({"reason":"unknownException","message":"Unknown error"})", "/v1/x");
  EXPECT_EQ(unknown.kind, error_kind::server_error);

  // Extra fields (type, detail) are ignored, a null message is none.
  auto extra =
      error_from_response(400, R"({"reason":"badRequest","message":null,"type":"x","detail":{"a":[1,2]}})", "/v1/x");
  EXPECT_EQ(extra.kind, error_kind::bad_request);
  EXPECT_EQ(extra.message, "");

  // A reason the SDK does not know keeps the status's meaning and the reason itself.
  auto future = error_from_response(403, R"({"reason":"accessDenied.somethingNew"})", "/v1/x");
  EXPECT_EQ(future.kind, error_kind::access_denied);
  EXPECT_EQ(future.reason, "accessDenied.somethingNew");
}

TEST(Errors, HtmlAndEmptyBodies) {
  auto gateway =
      error_from_response(502,
                          "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
                          "Gateway</h1></center>\r\n</body>\r\n</html>",
                          "/v1/clans/%232PP");
  EXPECT_EQ(gateway.kind, error_kind::gateway);
  EXPECT_EQ(gateway.reason, "");
  EXPECT_EQ(gateway.message, "502 Bad Gateway 502 Bad Gateway");

  auto timeout = error_from_response(504, "", "/v1/x");
  EXPECT_EQ(timeout.kind, error_kind::gateway);
  EXPECT_EQ(timeout.message, "");

  auto maintenance = error_from_response(503, "<html><body><h1>Maintenance</h1> back soon</body></html>", "/v1/x");
  EXPECT_EQ(maintenance.kind, error_kind::maintenance);
  EXPECT_EQ(maintenance.message, "Maintenance back soon");

  // Status alone decides when the body says nothing.
  EXPECT_EQ(error_from_response(500, "oops", "/").kind, error_kind::server_error);
  EXPECT_EQ(error_from_response(404, "", "/").kind, error_kind::not_found);
  EXPECT_EQ(error_from_response(429, "", "/").kind, error_kind::throttled);
  EXPECT_EQ(error_from_response(403, "", "/").kind, error_kind::access_denied);
  EXPECT_EQ(error_from_response(405, "", "/").kind, error_kind::bad_request);
  // Broken JSON or JSON without a reason is treated as text.
  EXPECT_EQ(error_from_response(400, R"({"reason":)", "/").kind, error_kind::bad_request);
  EXPECT_EQ(error_from_response(404, R"({"message":"x"})", "/").reason, "");
  EXPECT_EQ(error_from_response(404, "[1,2]", "/").kind, error_kind::not_found);

  // A long page is cut.
  auto big = error_from_response(502, "<p>" + std::string(5000, 'x') + "</p>", "/");
  EXPECT_LE(big.message.size(), 200U);
}

TEST(Errors, RetryAfter) {
  auto e = error_from_response(429, R"({"reason":"requestThrottled"})", "/v1/x", std::string_view{" 30 "});
  ASSERT_TRUE(e.retry_after);
  EXPECT_EQ(*e.retry_after, std::chrono::seconds{30});
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"));
  EXPECT_FALSE(parse_retry_after("-1"));
  EXPECT_FALSE(parse_retry_after(""));
  EXPECT_EQ(parse_retry_after("0"), std::chrono::seconds{0});
}

TEST(Errors, TransportAndDecode) {
  auto t = error_from_transport(make_error_code(errc::timeout), "/v1/x");
  EXPECT_EQ(t.kind, error_kind::timeout);
  EXPECT_EQ(t.status, 0U);
  EXPECT_EQ(t.code, errc::timeout);
  EXPECT_EQ(error_from_transport(make_error_code(boost::system::errc::timed_out), "/").kind, error_kind::timeout);

  auto refused = error_from_transport(make_error_code(boost::system::errc::connection_refused), "/v1/x");
  EXPECT_EQ(refused.kind, error_kind::transport);
  EXPECT_FALSE(refused.message.empty());

  auto d = decode_error("/v1/players/%232PP", "missing field tag");
  EXPECT_EQ(d.kind, error_kind::decode);
  EXPECT_EQ(d.status, 200U);
  EXPECT_EQ(d.code, errc::parse_error);
}

TEST(Errors, ResultAndException) {
  api_result<int> ok = 7;
  EXPECT_EQ(ok.value(), 7);
  api_result<int> failed =
      error_from_response(404, R"({"reason":"notFound","message":"Not found with tag 2PP"})", "/p");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind, error_kind::not_found);
  try {
    (void)failed.value();
    FAIL() << "value() must throw";
  } catch (api_exception const& ex) {
    EXPECT_EQ(ex.error().kind, error_kind::not_found);
    EXPECT_STREQ(ex.what(), "404 notFound: Not found with tag 2PP (/p)");
  }
  error_code ec = error_kind::private_war_log;
  EXPECT_EQ(ec.message(), "private war log");
  EXPECT_EQ(&ec.category(), &api_category());
}

TEST(Errors, WhichCocAnswersAreRetried) {
  auto answer = [](unsigned status, char const* body) { return error_from_response(status, body, "/v1/clans/%232PP"); };
  EXPECT_TRUE(sdk::is_retryable(answer(500, R"({"reason":"unknownException"})")));
  EXPECT_TRUE(sdk::is_retryable(answer(502, "<html>Bad Gateway</html>")));
  EXPECT_TRUE(sdk::is_retryable(answer(504, "")));
  EXPECT_TRUE(sdk::is_retryable(answer(503, R"({"reason":"unknownException"})")));  // 503 that is not maintenance
  EXPECT_FALSE(sdk::is_retryable(answer(503, R"({"reason":"inMaintenance"})")));
  EXPECT_FALSE(sdk::is_retryable(answer(503, "<html>maintenance</html>")));
  EXPECT_FALSE(sdk::is_retryable(answer(501, "")));
  EXPECT_FALSE(sdk::is_retryable(answer(400, R"({"reason":"badRequest"})")));
  EXPECT_FALSE(sdk::is_retryable(answer(403, R"({"reason":"accessDenied"})")));
  EXPECT_FALSE(sdk::is_retryable(answer(404, R"({"reason":"notFound"})")));
  EXPECT_FALSE(sdk::is_retryable(answer(429, R"({"reason":"requestThrottled"})")));
}

}  // namespace
}  // namespace overworld::coc
