// The launcher store, one suite run against each implementation: a real SQLite file and a real
// PostgreSQL server (tests/support/postgres.hpp).
#include "support/postgres.hpp"
#include "support/process.hpp"

#include <overworld/store/launcher_store.hpp>
#include <overworld/store/postgres.hpp>

#include <gtest/gtest.h>

namespace overworld::store {
namespace {

/// Where one test's store lives: a SQLite file in a temporary folder, or a new PostgreSQL database.
class LauncherStore : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres")
      target_ = overworld::testing::shared_postgres().create_database();
    else
      target_ = dir_.path() + "/launcher.sqlite";
  }

  /// A store on this test's data; a second call is a second process (node, admin command) on it.
  std::unique_ptr<launcher_store> open_store() {
    std::string why;
    auto s = GetParam() == "postgres" ? open_postgres_launcher_store(postgres_options{target_}, why)
                                      : open_sqlite_launcher_store(target_, why);
    if (!s) throw std::runtime_error(why);
    return std::move(*s);
  }

  /// A new, empty store of the other kind (a PostgreSQL database for a SQLite test and back).
  std::unique_ptr<launcher_store> open_other_kind() {
    std::string why;
    auto s = GetParam() == "postgres"
                 ? open_sqlite_launcher_store(dir_.path() + "/other.sqlite", why)
                 : open_postgres_launcher_store(
                       postgres_options{overworld::testing::shared_postgres().create_database()}, why);
    if (!s) throw std::runtime_error(why);
    return std::move(*s);
  }

 private:
  overworld::testing::temp_dir dir_;
  std::string target_;
};

INSTANTIATE_TEST_SUITE_P(Backends, LauncherStore, ::testing::Values("sqlite", "postgres"),
                         [](auto const& info) { return info.param; });

TEST_P(LauncherStore, AccountsLifecycle) {
  auto s = open_store();
  auto id = s->create_account("Flippy", "hash1");
  ASSERT_TRUE(id);
  EXPECT_EQ(s->create_account("flippy", "hash2").error(), errc::invalid_argument);  // names ignore case
  auto a = s->find_account("FLIPPY");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->id, *id);
  EXPECT_EQ(a->username, "Flippy");
  EXPECT_EQ(a->password_hash, "hash1");
  EXPECT_FALSE(a->terminated);
  EXPECT_EQ(s->find_account("nobody").error(), errc::not_found);

  ASSERT_TRUE(s->set_password_hash("Flippy", "hash3"));
  EXPECT_EQ(s->add_moderation_points("Flippy", 4).value(), 4);
  EXPECT_EQ(s->add_moderation_points("Flippy", 7).value(), 11);
  EXPECT_EQ(s->add_moderation_points("Flippy", -20).value(), 0);  // never below zero
  ASSERT_TRUE(s->set_banned_until("Flippy", 1'800'000'000));
  ASSERT_TRUE(s->set_terminated("Flippy", true));
  a = s->find_account("flippy");
  EXPECT_EQ(a->password_hash, "hash3");
  EXPECT_EQ(a->banned_until, 1'800'000'000);
  EXPECT_TRUE(a->terminated);
  EXPECT_EQ(s->set_terminated("nobody", true).error(), errc::not_found);
}

TEST_P(LauncherStore, NamesIgnoreTheCaseOfAsciiLettersOnly) {
  auto s = open_store();
  ASSERT_TRUE(s->create_account("\u00c9lodie", "h1"));  // É
  ASSERT_TRUE(s->create_account("\u00e9lodie", "h2"));  // é: another name, as in SQLite's NOCASE
  auto a = s->find_account("\u00e9LODIE");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->password_hash, "h2");
  EXPECT_EQ(s->create_account("\u00c9LODIE", "h3").error(), errc::invalid_argument);
}

TEST_P(LauncherStore, SettingsNewsAndRevision) {
  auto s = open_store();
  auto const r0 = s->revision().value();
  EXPECT_FALSE(s->maintenance().value());
  EXPECT_EQ(s->launcher_version().value(), "1.0.0");
  ASSERT_TRUE(s->set_maintenance(true));
  ASSERT_TRUE(s->set_launcher_version("1.2.3"));
  EXPECT_TRUE(s->maintenance().value());
  EXPECT_EQ(s->launcher_version().value(), "1.2.3");
  EXPECT_GT(s->revision().value(), r0);

  news_item n{
      0, "The Team", "2018-03-29 21:38:50", "First Article!", "See what this blog post has in store!", "alpha-updates",
      ""};
  auto first = s->post_news(n);
  n.title = "Second";
  auto second = s->post_news(n);
  ASSERT_TRUE(first && second);
  auto all = s->news().value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].title, "Second");  // newest first
  n.id = *first;
  n.title = "First, edited";
  ASSERT_TRUE(s->edit_news(n));
  ASSERT_TRUE(s->delete_news(*second));
  EXPECT_EQ(s->delete_news(*second).error(), errc::not_found);
  n.id = 999;
  EXPECT_EQ(s->edit_news(n).error(), errc::not_found);
  all = s->news().value();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].title, "First, edited");
}

TEST_P(LauncherStore, SurvivesReopeningAndIsSharedBetweenProcesses) {
  auto a = open_store();
  auto b = open_store();  // as a second process (an admin command, another node) would
  ASSERT_TRUE(a->create_account("Loopy", "h"));
  auto const before = b->revision().value();
  ASSERT_TRUE(b->set_maintenance(true));
  EXPECT_GT(a->revision().value(), before);  // the server notices the admin's change
  EXPECT_TRUE(a->maintenance().value());
  a.reset();
  b.reset();
  auto c = open_store();
  EXPECT_TRUE(c->find_account("loopy"));
  EXPECT_TRUE(c->maintenance().value());
}

TEST_P(LauncherStore, NewsBodiesAndReleaseNotes) {
  auto s = open_store();
  news_item n{0, "The Team", "2022-02-25 21:16:00", "Title", "Summary", "Blog", "", "<p>Body</p>"};
  auto id = s->post_news(n);
  ASSERT_TRUE(id);
  EXPECT_EQ(s->news().value().at(0).body, "<p>Body</p>");
  n.id = *id;
  n.body = "<p>Edited</p>";
  ASSERT_TRUE(s->edit_news(n));
  EXPECT_EQ(s->news().value().at(0).body, "<p>Edited</p>");

  auto const r0 = s->revision().value();
  auto first = s->post_release_note(release_note{0, "ttr-live-v4.1.7d", "2025-04-20 05:25:00", "<p>Fixes</p>"});
  auto second = s->post_release_note(release_note{0, "ttr-live-v4.1.8", "2025-05-01 10:00:00", "<p>More</p>"});
  ASSERT_TRUE(first && second);
  EXPECT_GT(s->revision().value(), r0);
  auto notes = s->release_notes().value();
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].slug, "ttr-live-v4.1.8");  // newest first
  EXPECT_EQ(notes[1].posted, "2025-04-20 05:25:00");
  EXPECT_EQ(notes[1].body, "<p>Fixes</p>");
  ASSERT_TRUE(s->edit_release_note(release_note{*first, "ttr-live-v4.1.7e", "2025-04-20 05:25:00", "<p>x</p>"}));
  EXPECT_EQ(s->edit_release_note(release_note{999, "a", "b", "c"}).error(), errc::not_found);
  ASSERT_TRUE(s->delete_release_note(*second));
  EXPECT_EQ(s->delete_release_note(*second).error(), errc::not_found);
  notes = s->release_notes().value();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].slug, "ttr-live-v4.1.7e");
  EXPECT_EQ(notes[0].body, "<p>x</p>");
}

TEST_P(LauncherStore, TwoStepHash) {
  auto s = open_store();
  ASSERT_TRUE(s->create_account("Flippy", "h"));
  EXPECT_EQ(s->find_account("flippy")->two_step_hash, "");
  ASSERT_TRUE(s->set_two_step("FLIPPY", "code-hash"));
  EXPECT_EQ(s->find_account("flippy")->two_step_hash, "code-hash");
  ASSERT_TRUE(s->set_two_step("flippy", ""));
  EXPECT_EQ(s->find_account("flippy")->two_step_hash, "");
  EXPECT_EQ(s->set_two_step("nobody", "x").error(), errc::not_found);
}

TEST_P(LauncherStore, LauncherTokensAreBoundedPerAccountAndRevocable) {
  auto s = open_store();
  auto const flippy = s->create_account("Flippy", "h").value();
  auto const loopy = s->create_account("Loopy", "h").value();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) {
    auto id = s->add_launcher_token(flippy, "hash-" + std::to_string(i), "laptop " + std::to_string(i), 1000 + i, 3);
    ASSERT_TRUE(id);
    ids.push_back(*id);
  }
  ASSERT_TRUE(s->add_launcher_token(loopy, "hash-loopy", "desktop", 2000, 3));
  EXPECT_EQ(s->add_launcher_token(999, "hash-x", "x", 1, 3).error(), errc::not_found);
  EXPECT_FALSE(s->add_launcher_token(loopy, "hash-loopy", "again", 1, 3));  // a hash is unique

  // The oldest of Flippy's four went when the fourth came; Loopy's are untouched.
  EXPECT_EQ(s->find_launcher_token("hash-0").error(), errc::not_found);
  auto t = s->find_launcher_token("hash-3");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->id, ids[3]);
  EXPECT_EQ(t->account_id, flippy);
  EXPECT_EQ(t->username, "Flippy");
  EXPECT_EQ(t->friendly, "laptop 3");
  EXPECT_EQ(t->created, 1003);
  auto mine = s->launcher_tokens("FLIPPY").value();
  ASSERT_EQ(mine.size(), 3u);
  EXPECT_EQ(mine[0].id, ids[1]);  // oldest first
  EXPECT_EQ(s->launcher_tokens("").value().size(), 4u);
  EXPECT_TRUE(s->launcher_tokens("nobody").value().empty());

  ASSERT_TRUE(s->revoke_launcher_token(ids[3]));
  EXPECT_EQ(s->find_launcher_token("hash-3").error(), errc::not_found);
  EXPECT_EQ(s->revoke_launcher_token(ids[3]).error(), errc::not_found);
  auto other = open_store();  // another process sees the revocation
  EXPECT_EQ(other->find_launcher_token("hash-3").error(), errc::not_found);
  EXPECT_TRUE(other->find_launcher_token("hash-2"));
}

// What `admin migrate` does: everything, ids included, into an empty store of the other kind;
// new rows there continue after the copied ids; a store that holds anything is refused untouched.
TEST_P(LauncherStore, ContentsMoveIntoAnEmptyStoreOfTheOtherKind) {
  auto s = open_store();
  auto const ann = s->create_account("Ann", "$argon2id$ann").value();
  auto const bob = s->create_account("bob", "$argon2id$bob").value();
  ASSERT_TRUE(s->create_account("gone", "$argon2id$gone"));
  ASSERT_TRUE(s->add_moderation_points("bob", 7));
  ASSERT_TRUE(s->set_banned_until("bob", 1'900'000'000));
  ASSERT_TRUE(s->set_terminated("gone", true));
  ASSERT_TRUE(s->set_two_step("Ann", "$argon2id$app"));
  auto const first = s->post_news({0, "Team", "2026-12-01 10:00:00", "One", "S1", "Blog", "", "<p>1</p>"}).value();
  ASSERT_TRUE(s->post_news({0, "Team", "2026-12-02 10:00:00", "Two", "S2", "Update", "https://x/y.png", ""}));
  ASSERT_TRUE(s->delete_news(first));  // ids with a hole
  ASSERT_TRUE(s->post_release_note({0, "ttr-live-v4.1.7d", "2026-12-03 09:00:00", "<p>notes</p>"}));
  auto const t1 = s->add_launcher_token(ann, "aa11", "laptop", 1'800'000'000, 10).value();
  ASSERT_TRUE(s->add_launcher_token(bob, "bb22", "desktop", 1'800'000'100, 10));
  ASSERT_TRUE(s->revoke_launcher_token(t1));
  ASSERT_TRUE(s->set_maintenance(true));
  ASSERT_TRUE(s->set_launcher_version("2.5.1"));

  auto const all = s->contents();
  ASSERT_TRUE(all) << all.error().message();
  ASSERT_EQ(all->accounts.size(), 3U);
  ASSERT_EQ(all->news.size(), 1U);
  ASSERT_EQ(all->tokens.size(), 1U);
  EXPECT_EQ(all->tokens.front().token_hash, "bb22");

  auto other = open_other_kind();
  ASSERT_TRUE(other->load(*all));
  auto const copied = other->contents();
  ASSERT_TRUE(copied);
  EXPECT_EQ(*copied, *all);
  EXPECT_EQ(other->find_account("BOB")->moderation_points, 7);
  EXPECT_EQ(other->find_launcher_token("bb22")->account_id, bob);
  EXPECT_EQ(other->news()->front().title, "Two");
  EXPECT_GT(other->create_account("new", "$argon2id$new").value(), all->accounts.back().id);
  EXPECT_GT(other->post_news({0, "T", "2026-12-04 00:00:00", "Three", "S3", "Blog", "", ""}).value(),
            all->news.back().id);

  // A store that holds anything is refused, and keeps what it holds.
  auto const before = other->contents();
  auto again = other->load(*all);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), errc::invalid_argument);
  EXPECT_EQ(other->contents().value(), before.value());
}

}  // namespace
}  // namespace overworld::store
