// overworld-server on PostgreSQL (store.backend = postgres): two nodes and the admin commands share
// accounts, news and settings; while PostgreSQL is away logins and admin writes answer 503 with
// Retry-After, news and version are served from the last read, and all recovers by itself.
#include "apps/app_support.hpp"
#include "support/postgres.hpp"

#include <overworld/server/world/history.hpp>
#include <overworld/store/launcher_store.hpp>
#include <overworld/store/postgres.hpp>

#include <gtest/gtest.h>

#include <map>

namespace overworld {
namespace {

using testing::admin;
using testing::child_process;
using testing::port_of;
using testing::server_binary;
using testing::temp_dir;

using http::testing::raw_connection;
using response = boost::beast::http::response<boost::beast::http::string_body>;

/// One overworld-server on the PostgreSQL database `conninfo`, with a data folder of its own.
class node {
 public:
  explicit node(std::string const& conninfo)
      : process_{server_binary(),
                 {"--listen", "127.0.0.1:0", "--data", dir_.path()},
                 {{"OVERWORLD_STORE_BACKEND", "postgres"},
                  {"OVERWORLD_STORE_POSTGRES", conninfo},
                  {"OVERWORLD_LAUNCHER_ARGON2_MEMORY", "64KiB"},
                  {"OVERWORLD_RATELIMIT_TTCC_LIMIT", "0"}}} {
    auto line = process_.wait_for_line("listening on");
    if (!line) throw std::runtime_error("the node did not start: " + process_.output());
    port_ = port_of(*line);
  }

  std::optional<response> login(std::string const& user, std::string const& password) {
    raw_connection c{port_};
    std::string const body = R"({"username":")" + user + R"(","password":")" + password + R"("})";
    c.send("POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
    return c.read();
  }

  std::optional<response> get(std::string const& target) {
    raw_connection c{port_};
    c.send(http::testing::get_request(target));
    return c.read();
  }

  std::string const& data() const { return dir_.path(); }
  child_process& process() { return process_; }

 private:
  temp_dir dir_;
  child_process process_;
  std::uint16_t port_ = 0;
};

std::string env_of(std::string const& conninfo) {
  return "OVERWORLD_STORE_BACKEND=postgres OVERWORLD_STORE_POSTGRES='" + conninfo + "'";
}

TEST(PostgresNodes, TwoNodesAndTheAdminCommandsShareOneDatabase) {
  std::string const db = testing::shared_postgres().create_database();
  node a{db};
  node b{db};
  auto [rc, out] = admin(a.data(), "account create Clara", "s3cret", env_of(db));  // as on node A's machine
  ASSERT_EQ(rc, 0) << out;
  auto r = b.login("clara", "s3cret");
  ASSERT_TRUE(r);
  EXPECT_NE(r->body().find("\"reason\":1000"), std::string::npos) << r->body();

  ASSERT_EQ(admin(b.data(), "account ban Clara --hours 3", "", env_of(db)).first, 0);
  r = a.login("clara", "s3cret");
  ASSERT_TRUE(r);
  EXPECT_NE(r->body().find("banned for 3 more hours"), std::string::npos) << r->body();

  ASSERT_EQ(admin(a.data(), "news post --title Shared --summary News", "", env_of(db)).first, 0);
  ASSERT_EQ(admin(a.data(), "version set 3.1.4", "", env_of(db)).first, 0);
  r = b.get("/api/v1/launcher/news/");
  ASSERT_TRUE(r);
  EXPECT_NE(r->body().find("\"title\":\"Shared\""), std::string::npos) << r->body();
  r = b.get("/api/v1/launcher/version/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), R"({"version":"3.1.4"})");
}

TEST(PostgresNodes, WhilePostgresIsAwayLoginsAre503AndReadsComeFromTheLastAnswer) {
  testing::postgres_server server;  // its own server: this test stops it
  std::string const db = server.create_database();
  ASSERT_EQ(admin(temp_dir{}.path(), "account create Clara", "s3cret", env_of(db)).first, 0);
  node n{db};
  auto const news = n.get("/api/v1/launcher/news/");
  ASSERT_TRUE(news);
  ASSERT_EQ(news->result_int(), 200);

  server.stop();
  auto r = n.login("clara", "s3cret");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 503);
  EXPECT_EQ((*r)["Retry-After"], "5");
  auto again = n.get("/api/v1/launcher/news/");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->result_int(), 200);
  EXPECT_EQ(again->body(), news->body());
  r = n.get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);  // the node itself is alive and serves the world API

  server.start();
  r = n.login("clara", "s3cret");  // no restart: the node reconnects by itself
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  EXPECT_NE(r->body().find("\"reason\":1000"), std::string::npos) << r->body();
  EXPECT_NE(n.process().output().find("can be reached again"), std::string::npos) << n.process().output();
}

TEST(PostgresNodes, AServerThatCannotReachPostgresAtStartSaysWhyAndExits) {
  temp_dir dir;
  temp_dir nowhere;
  child_process p{server_binary(),
                  {"--listen", "127.0.0.1:0", "--data", dir.path()},
                  {{"OVERWORLD_STORE_BACKEND", "postgres"},
                   {"OVERWORLD_STORE_POSTGRES", "host=" + nowhere.path() + " user=postgres connect_timeout=1"}}};
  auto const rc = p.wait(std::chrono::seconds{30});
  ASSERT_TRUE(rc);
  EXPECT_EQ(*rc, 2);
  EXPECT_NE(p.output().find("PostgreSQL: cannot connect"), std::string::npos) << p.output();

  child_process q{
      server_binary(), {"--listen", "127.0.0.1:0", "--data", dir.path()}, {{"OVERWORLD_STORE_BACKEND", "mysql"}}};
  EXPECT_EQ(q.wait(std::chrono::seconds{30}), 2);
  EXPECT_NE(q.output().find("store.backend"), std::string::npos) << q.output();
}

/// An ended invasion as the world history keeps it.
world::stored_invasion ended(std::int64_t id, std::string cog, std::int64_t ended_at) {
  world::stored_invasion i;
  i.id = id;
  i.invasion_id = "zapwood-" + cog;
  i.district = "Zapwood";
  i.district_id = "zapwood";
  i.cog = std::move(cog);
  i.department = "sellbot";
  i.defeated = 40;
  i.total = 100;
  i.started_at = ended_at - 600;
  i.ended_at = ended_at;
  return i;
}

/// The world history of a single node (its world.sqlite): three ended invasions and the meter.
world::history_contents single_node_history(std::string const& data) {
  world::history_contents h;
  h.invasions = {ended(3, "Flunky", 1'700'000'000), ended(7, "Yesman", 1'700'000'100),
                 ended(12, "Big Wig", 1'700'000'200)};
  h.meter.emplace();
  h.meter->teams = {"A", "B", "C"};
  h.meter->hp = 4321;
  std::string why;
  auto file = world::open_sqlite_history(data + "/world.sqlite", why);
  if (!file) throw std::runtime_error(why);
  if (!(*file)->load(h)) throw std::runtime_error("cannot write the world history");
  return h;
}

world::history_contents postgres_history(std::string const& db) {
  std::string why;
  auto h = world::open_postgres_history(store::postgres_options{db}, why);
  if (!h) throw std::runtime_error(why);
  return (*h)->contents().value();
}

// A single node's data folder moved with `admin migrate --to postgres URL`: a node on PostgreSQL
// then logs its accounts in and serves its news, version and world history; a second migration
// into the same database is refused and changes nothing.
TEST(PostgresNodes, AdminMigrateMovesADataFolderToPostgres) {
  temp_dir single;
  ASSERT_EQ(admin(single.path(), "account create Dana", "pa55word").first, 0);
  ASSERT_EQ(admin(single.path(), "news post --title Moved --summary Along").first, 0);
  ASSERT_EQ(admin(single.path(), "version set 2.7.1").first, 0);
  auto const history = single_node_history(single.path());
  std::string const db = testing::shared_postgres().create_database();
  auto [rc, out] = admin(single.path(), "migrate --to postgres '" + db + "'");
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("copied 1 accounts, 1 news articles, 0 release notes, 0 launcher tokens"), std::string::npos)
      << out;
  EXPECT_NE(out.find("3 ended invasions and the silly meter"), std::string::npos) << out;
  EXPECT_EQ(postgres_history(db), history);  // every invasion with its id, and the meter

  node n{db};
  auto r = n.login("dana", "pa55word");
  ASSERT_TRUE(r);
  EXPECT_NE(r->body().find("\"reason\":1000"), std::string::npos) << r->body();
  r = n.get("/api/v1/launcher/news/");
  ASSERT_TRUE(r);
  EXPECT_NE(r->body().find("\"title\":\"Moved\""), std::string::npos) << r->body();
  r = n.get("/api/v1/launcher/version/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), R"({"version":"2.7.1"})");
  r = n.get("/api/v2/invasions/history?limit=2");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->result_int(), 200) << r->body();
  EXPECT_NE(r->body().find(R"("id":12,"invasionId":"zapwood-Big Wig")"), std::string::npos) << r->body();
  EXPECT_NE(r->body().find(R"("id":7,"invasionId":"zapwood-Yesman")"), std::string::npos) << r->body();
  EXPECT_NE(r->body().find(R"("next":"7")"), std::string::npos) << r->body();
  r = n.get("/api/v2/invasions/history?before=7");
  ASSERT_TRUE(r);
  EXPECT_NE(r->body().find(R"("id":3,"invasionId":"zapwood-Flunky")"), std::string::npos) << r->body();

  std::tie(rc, out) = admin(single.path(), "migrate --to postgres '" + db + "'");
  EXPECT_EQ(rc, 1);
  // The node has saved its silly meter there by now: the history is refused first.
  EXPECT_NE(out.find("already holds world history; nothing was copied"), std::string::npos) << out;
  std::tie(rc, out) = admin(single.path(), "migrate --to mysql somewhere");
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("--to postgres URL"), std::string::npos) << out;
}

TEST(PostgresNodes, AdminMigrateRefusesADatabaseThatHoldsWorldHistoryAndLeavesItUntouched) {
  temp_dir single;
  ASSERT_EQ(admin(single.path(), "account create Dana", "pa55word").first, 0);
  single_node_history(single.path());
  std::string const db = testing::shared_postgres().create_database();
  world::history_contents there;
  there.invasions = {ended(1, "Two-Face", 1'690'000'000)};
  {
    std::string why;
    auto h = world::open_postgres_history(store::postgres_options{db}, why);
    ASSERT_TRUE(h) << why;
    ASSERT_TRUE((*h)->load(there));
  }
  auto [rc, out] = admin(single.path(), "migrate --to postgres '" + db + "'");
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("already holds world history; nothing was copied"), std::string::npos) << out;
  EXPECT_EQ(postgres_history(db), there);
  std::string why;
  auto launcher = store::open_postgres_launcher_store(store::postgres_options{db}, why);
  ASSERT_TRUE(launcher) << why;
  EXPECT_TRUE((*launcher)->contents().value().accounts.empty());  // the launcher data was not copied either

  // A database with launcher data and no history: refused too, and its history stays empty.
  std::string const other = testing::shared_postgres().create_database();
  ASSERT_EQ(admin(temp_dir{}.path(), "account create Erin", "pa55word", env_of(other)).first, 0);
  std::tie(rc, out) = admin(single.path(), "migrate --to postgres '" + other + "'");
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("already holds launcher data; nothing was copied"), std::string::npos) << out;
  EXPECT_EQ(postgres_history(other), world::history_contents{});
}

}  // namespace
}  // namespace overworld
