#include <overworld/core/config.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>

namespace overworld {
namespace {

std::vector<config_key> schema() {
  return {{"listen", "127.0.0.1:8080", ""}, {"threads", "1", ""},
          {"log.format", "text", ""},       {"http.idle_timeout", "30s", ""},
          {"http.body_limit", "1MiB", ""},  {"http.trusted_proxies", "", ""},
          {"world.secrets.*", "", ""}};
}

TEST(Config, DefaultsApply) {
  config c{schema()};
  EXPECT_EQ(c.get("listen"), "127.0.0.1:8080");
  EXPECT_EQ(c.get_int("threads").value(), 1);
  EXPECT_EQ(c.source_of("listen"), config_source::defaults);
}

TEST(Config, PrecedenceIsDefaultsFileEnvironmentFlags) {
  config c{schema()};
  ASSERT_TRUE(c.merge_toml_string("listen = \"0.0.0.0:1\"\nthreads = 4\n[log]\nformat = \"json\"\n"));
  EXPECT_EQ(c.get("listen"), "0.0.0.0:1");
  EXPECT_EQ(c.get("log.format"), "json");
  std::map<std::string, std::string> env{{"OVERWORLD_LISTEN", "0.0.0.0:2"}, {"OVERWORLD_THREADS", "3"}};
  c.merge_environment([&](char const* name) -> char const* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  EXPECT_EQ(c.get("listen"), "0.0.0.0:2");
  EXPECT_EQ(c.get_int("threads").value(), 3);
  ASSERT_TRUE(c.set("listen", "0.0.0.0:3", config_source::flag));
  EXPECT_EQ(c.get("listen"), "0.0.0.0:3");
  // A weaker source never overrides a stronger one, whatever the order of calls.
  ASSERT_TRUE(c.set("listen", "0.0.0.0:4", config_source::file));
  EXPECT_EQ(c.get("listen"), "0.0.0.0:3");
  EXPECT_EQ(c.source_of("listen"), config_source::flag);
  EXPECT_EQ(c.get("log.format"), "json");  // file value stays where nothing stronger set it
}

TEST(Config, EnvironmentNames) {
  EXPECT_EQ(config::env_name("log.format"), "OVERWORLD_LOG_FORMAT");
  EXPECT_EQ(config::env_name("sandbox_listen"), "OVERWORLD_SANDBOX_LISTEN");
  EXPECT_EQ(config::env_name("http.idle-timeout"), "OVERWORLD_HTTP_IDLE_TIMEOUT");
}

TEST(Config, UnknownKeyInFileIsAnError) {
  config c{schema()};
  std::string why;
  EXPECT_FALSE(c.merge_toml_string("lisen = \"x\"\n", &why));
  EXPECT_NE(why.find("lisen"), std::string::npos);
}

TEST(Config, SyntaxErrorNamesTheLine) {
  config c{schema()};
  std::string why;
  EXPECT_FALSE(c.merge_toml_string("threads = 1\nlisten = \n", &why));
  EXPECT_NE(why.find("line 2"), std::string::npos) << why;
}

TEST(Config, FileThatDoesNotExist) {
  config c{schema()};
  std::string why;
  EXPECT_FALSE(c.merge_toml_file("/nonexistent/overworld.toml", &why));
  EXPECT_NE(why.find("/nonexistent/overworld.toml"), std::string::npos);
}

TEST(Config, FileOnDisk) {
  auto const path = std::filesystem::temp_directory_path() / "overworld-config-test.toml";
  {
    std::ofstream out{path};
    out << "[http]\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]\nidle_timeout = \"1500ms\"\n"
           "[world.secrets]\n\"Boingy Acres\" = \"s1\"\n";
  }
  config c{schema()};
  std::string why;
  ASSERT_TRUE(c.merge_toml_file(path, &why)) << why;
  EXPECT_EQ(c.get_list("http.trusted_proxies"), (std::vector<std::string>{"10.0.0.0/8", "::1"}));
  EXPECT_EQ(c.get_duration("http.idle_timeout").value(), std::chrono::milliseconds{1500});
  auto const secrets = c.get_table("world.secrets");
  ASSERT_EQ(secrets.size(), 1u);
  EXPECT_EQ(secrets.at("Boingy Acres"), "s1");
  std::filesystem::remove(path);
}

TEST(Config, TypedValues) {
  EXPECT_EQ(parse_duration("250ms").value(), std::chrono::milliseconds{250});
  EXPECT_EQ(parse_duration("2").value(), std::chrono::milliseconds{2000});
  EXPECT_EQ(parse_duration("5m").value(), std::chrono::minutes{5});
  EXPECT_EQ(parse_duration("1.5s").value(), std::chrono::milliseconds{1500});
  EXPECT_FALSE(parse_duration("soon"));
  EXPECT_FALSE(parse_duration("-1s"));
  EXPECT_EQ(parse_size("4KiB").value(), 4096u);
  EXPECT_EQ(parse_size("1MiB").value(), 1048576u);
  EXPECT_EQ(parse_size("2MB").value(), 2000000u);
  EXPECT_FALSE(parse_size("lots"));
  // Found by fuzz_config: a huge, infinite or NaN duration was converted to an integer (undefined
  // behaviour), and a huge size wrapped around to a small one.
  EXPECT_FALSE(parse_duration("1e20s"));
  EXPECT_FALSE(parse_duration("1e400"));
  EXPECT_FALSE(parse_duration("inf"));
  EXPECT_FALSE(parse_duration("nan"));
  EXPECT_EQ(parse_duration("1000000h").value(), std::chrono::hours{1'000'000});
  EXPECT_FALSE(parse_size("99999999999GiB"));
  EXPECT_FALSE(parse_size("18446744073709551615k"));
  EXPECT_EQ(parse_size("16GiB").value(), 16ull << 30);
  EXPECT_TRUE(parse_bool("yes").value());
  EXPECT_FALSE(parse_bool("off").value());
  EXPECT_FALSE(parse_bool("maybe"));
  config c{schema()};
  ASSERT_TRUE(c.set("threads", "four", config_source::flag));
  EXPECT_FALSE(c.get_int("threads"));
}

}  // namespace
}  // namespace overworld
