// What only the PostgreSQL store has: a server that is away (at start, and between calls), and
// several nodes starting on one empty database at once.
#include "support/postgres.hpp"

#include <overworld/store/launcher_store.hpp>
#include <overworld/store/postgres.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace overworld::store {
namespace {

TEST(PostgresStore, AServerThatIsNotThereIsRefusedAtStartWithItsReason) {
  overworld::testing::temp_dir empty;  // no server listens in this folder
  std::string why;
  postgres_options o{"host=" + empty.path() + " user=postgres dbname=postgres"};
  o.connect_timeout = std::chrono::seconds{1};
  auto s = open_postgres_launcher_store(o, why);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(), errc::unavailable);
  EXPECT_NE(why.find("cannot connect"), std::string::npos) << why;
  EXPECT_NE(why.find(empty.path()), std::string::npos) << why;  // libpq names the socket it tried
}

TEST(PostgresStore, CallsFailAsUnavailableWhileTheServerIsAwayAndRecoverByThemselves) {
  overworld::testing::postgres_server server;
  std::string why;
  postgres_options o{server.create_database()};
  o.acquire_timeout = std::chrono::milliseconds{500};
  o.connect_timeout = std::chrono::seconds{1};
  auto opened = open_postgres_launcher_store(o, why);
  ASSERT_TRUE(opened) << why;
  auto& s = **opened;
  ASSERT_TRUE(s.create_account("Flippy", "h"));

  server.stop();
  EXPECT_EQ(s.find_account("Flippy").error(), errc::unavailable);
  EXPECT_EQ(s.set_maintenance(true).error(), errc::unavailable);

  server.start();
  auto again = s.find_account("flippy");  // a new connection, without being asked to reconnect
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->username, "Flippy");
  EXPECT_FALSE(s.maintenance().value());  // the write that failed did not happen
}

TEST(PostgresStore, NodesStartingTogetherOnAnEmptyDatabaseMigrateItOnce) {
  std::string const db = overworld::testing::shared_postgres().create_database();
  std::vector<std::unique_ptr<launcher_store>> stores(4);
  std::vector<std::string> whys(stores.size());
  std::vector<std::thread> nodes;
  for (std::size_t i = 0; i < stores.size(); ++i) {
    nodes.emplace_back([&, i] {
      auto s = open_postgres_launcher_store(postgres_options{db}, whys[i]);
      if (s) stores[i] = std::move(*s);
    });
  }
  for (auto& t : nodes) t.join();
  for (std::size_t i = 0; i < stores.size(); ++i) ASSERT_TRUE(stores[i]) << whys[i];
  ASSERT_TRUE(stores[0]->create_account("Loopy", "h"));
  EXPECT_TRUE(stores[3]->find_account("LOOPY"));
  EXPECT_EQ(stores[1]->create_account("loopy", "h2").error(), errc::invalid_argument);
}

TEST(PostgresStore, ThePoolLendsNoMoreConnectionsThanItsSize) {
  std::string const db = overworld::testing::shared_postgres().create_database();
  postgres_options o{db};
  o.pool_size = 2;
  o.acquire_timeout = std::chrono::milliseconds{200};
  std::string why;
  auto pg = postgres_database::open(o, "pool_test", {}, why);
  ASSERT_TRUE(pg) << why;
  auto& database = **pg;
  // Two calls hold both connections; a third waits for acquire_timeout and is refused.
  std::promise<void> held;
  std::promise<void> release;
  auto release_f = release.get_future().share();
  std::atomic<int> holding{0};
  auto hold = [&] {
    (void)database.run([&](pg_connection&) -> result<void> {
      if (++holding == 2) held.set_value();
      release_f.wait();
      return {};
    });
  };
  std::thread a{hold};
  std::thread b{hold};
  held.get_future().wait();
  EXPECT_EQ(database.run([](pg_connection&) -> result<void> { return {}; }).error(), errc::unavailable);
  release.set_value();
  a.join();
  b.join();
  auto count = database.run([](pg_connection& c) -> result<void> {
    auto rows = c.simple("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'overworld-server'");
    if (!rows) return rows.error();
    return rows->int64(0, 0) <= 2 ? result<void>{} : result<void>{errc::too_large};
  });
  EXPECT_TRUE(count) << "more connections than the pool's size";
}

TEST(PostgresStore, TheFirstCallAfterARestartSucceedsWhateverThePoolHeld) {
  overworld::testing::postgres_server server;
  postgres_options o{server.create_database()};
  o.pool_size = 3;
  o.connect_timeout = std::chrono::seconds{1};
  std::string why;
  auto pg = postgres_database::open(o, "restart_test", {}, why);
  ASSERT_TRUE(pg) << why;
  auto& database = **pg;
  auto const select = [](pg_connection& c) -> result<void> {
    auto rows = c.simple("SELECT 1");
    if (!rows) return rows.error();
    return {};
  };
  // A call within a call: two connections open, both idle once they return.
  ASSERT_TRUE(database.run([&](pg_connection& c) -> result<void> {
    if (auto inner = database.run(select); !inner) return inner;
    return select(c);
  }));
  server.stop();
  server.start();
  // Each stale connection fails its first statement and is dropped; the call goes on to a new one.
  auto const again = database.run(select);
  EXPECT_TRUE(again) << again.error().message();
}

// A transaction whose connection is lost while its COMMIT is under way may or may not have been
// applied: it is reported as unavailable and never run a second time (a write is never applied
// twice). Here the server ends the session just before the COMMIT.
TEST(PostgresStore, ATransactionWhoseCommitWasCutOffIsNotRunAgain) {
  postgres_options o{overworld::testing::shared_postgres().create_database()};
  o.pool_size = 3;
  std::string why;
  auto pg = postgres_database::open(o, "commit_test", {}, why);
  ASSERT_TRUE(pg) << why;
  auto& database = **pg;
  postgres_options other_options = o;
  other_options.pool_size = 1;
  auto other = postgres_database::open(other_options, "commit_test", {}, why);
  ASSERT_TRUE(other) << why;
  ASSERT_TRUE(database.run([](pg_connection& c) -> result<void> {
    auto made = c.simple("CREATE TABLE counted (n integer)");
    if (!made) return made.error();
    return {};
  }));

  int runs = 0;
  auto const r = database.transaction([&](pg_connection& c) -> result<void> {
    ++runs;
    auto inserted = c.simple("INSERT INTO counted VALUES (1)");
    if (!inserted) return inserted.error();
    auto pid = c.simple("SELECT pg_backend_pid()");
    if (!pid) return pid.error();
    std::string const backend{pid->text(0, 0)};
    return (*other)->run([&](pg_connection& killer) -> result<void> {
      auto ended = killer.exec("terminate", "SELECT pg_terminate_backend($1::integer)", {backend});
      if (!ended) return ended.error();
      return {};
    });
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::unavailable);
  EXPECT_EQ(runs, 1) << "the transaction ran again after its COMMIT was cut off";
}

}  // namespace
}  // namespace overworld::store
