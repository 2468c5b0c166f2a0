// The CoC client under load: `total` GET /players over the tags of a file, `inflight` at a time,
// the cache off, through one key whose limiter never holds a request back (the sandbox does not
// throttle in this run). Like cocjs_bench.mjs: `inflight` workers each take the next tag, await
// the typed player (decoded, as getPlayer builds its Player) and drop it. Prints
// "req/s cpu_seconds_per_1000 errors" for run.sh. OPERATION (default player) picks what each
// request asks: player (GET /players/{tag}), clan (GET /clans/{tag}) or warlog
// (GET /clans/{tag}/warlog), each decoded into its model; raw-player, raw-clan and raw-warlog ask
// the same and keep the raw answer (the read path alone, what wrk measures: no decoding).
// Usage: bench_coc_client BASE_URL KEY TAGS_FILE TOTAL INFLIGHT [OPERATION]
#include <overworld/coc/api.hpp>
#include <overworld/coc/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <iostream>
#include <string>
#include <vector>

namespace {

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto const s = [](timeval t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

enum class operation { player, clan, warlog };

struct run_state {
  overworld::coc::api* api;
  std::vector<std::string> const* work;
  operation op = operation::player;
  bool raw = false;      // the raw answer, not decoded
  std::size_t next = 0;  // the workers share the client's one thread
  std::size_t errors = 0;
};

template <class T>
void count(run_state* s, overworld::coc::api_result<T> const& r) {
  if (!r && s->errors++ == 0) std::cerr << "first error: " << r.error().describe() << "\n";
}

boost::asio::awaitable<void> raw_call(run_state* s, std::string tag) {
  auto& c = s->api->client();
  switch (s->op) {
    case operation::player:
      count(s, co_await c.player(tag));
      break;
    case operation::clan:
      count(s, co_await c.clan(tag));
      break;
    case operation::warlog:
      count(s, co_await c.war_log(tag));
      break;
  }
}

boost::asio::awaitable<void> worker(run_state* s) {
  for (;;) {
    auto const i = s->next++;
    if (i >= s->work->size()) co_return;
    auto tag = (*s->work)[i];
    if (s->raw) {
      co_await raw_call(s, std::move(tag));
      continue;
    }
    switch (s->op) {
      case operation::player:
        count(s, co_await s->api->player(std::move(tag)));
        break;
      case operation::clan:
        count(s, co_await s->api->clan(std::move(tag)));
        break;
      case operation::warlog:
        count(s, co_await s->api->war_log(std::move(tag)));
        break;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6 && argc != 7) {
    std::cerr << "usage: bench_coc_client BASE_URL KEY TAGS_FILE TOTAL INFLIGHT [[raw-]player|clan|warlog]\n";
    return 2;
  }
  std::string op_name = argc == 7 ? argv[6] : "player";
  bool const raw = op_name.starts_with("raw-");
  if (raw) op_name.erase(0, 4);
  auto const op = op_name == "clan" ? operation::clan : op_name == "warlog" ? operation::warlog : operation::player;
  if (op == operation::player && op_name != "player") {
    std::cerr << "unknown operation " << op_name << " (player, clan or warlog, each with raw- or not)\n";
    return 2;
  }
  std::vector<std::string> tags;
  {
    std::ifstream in{argv[3]};
    for (std::string t; std::getline(in, t);) {
      if (!t.empty()) tags.push_back("#" + t);
    }
  }
  if (tags.empty()) {
    std::cerr << "no tags in " << argv[3] << "\n";
    return 2;
  }
  auto const total = std::stoul(argv[4]);
  auto const inflight = static_cast<unsigned>(std::stoul(argv[5]));
  std::vector<std::string> work;
  work.reserve(total);
  for (std::size_t i = 0; i < total; ++i) work.push_back(tags[i % tags.size()]);

  overworld::coc::client_options o;
  o.base_url = argv[1];
  o.keys = {argv[2]};
  o.cache_enabled = false;
  o.limiter.rate = 1e9;
  o.limiter.burst = 1'000'000;
  o.http.max_idle_per_host = inflight;
  overworld::coc::client c{o};

  overworld::coc::api api{c};
  run_state state{&api, &work, op, raw};

  auto const cpu0 = cpu_seconds();
  auto const t0 = std::chrono::steady_clock::now();
  // The workers run on the client's own thread, as a bot's loop would: no hop per call.
  std::vector<std::future<void>> workers;
  for (unsigned i = 0; i < inflight; ++i) {
    workers.push_back(boost::asio::co_spawn(c.executor(), worker(&state), boost::asio::use_future));
  }
  for (auto& w : workers) w.get();
  auto const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto const cpu = cpu_seconds() - cpu0;
  auto const errors = state.errors;
  std::printf("%.0f %.4f %zu\n", static_cast<double>(total) / seconds, cpu / (static_cast<double>(total) / 1000.0),
              errors);
  return errors == 0 ? 0 : 1;
}
