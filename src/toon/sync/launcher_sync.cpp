#include <overworld/toon/launcher_sync.hpp>

#include "download.hpp"
#include "folder.hpp"

#include <overworld/http/message.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <mutex>
#include <unordered_set>

namespace overworld::toon {

namespace {

namespace asio = boost::asio;
using namespace sync_detail;
using steady = std::chrono::steady_clock;
using done_channel = asio::experimental::concurrent_channel<void(error_code)>;

class sync_category_impl final : public boost::system::error_category {
 public:
  char const* name() const noexcept override { return "overworld.toon.sync"; }
  std::string message(int ev) const override {
    switch (static_cast<sync_errc>(ev)) {
      case sync_errc::ok:
        return "ok";
      case sync_errc::unsafe_path:
        return "the path would leave the game folder";
      case sync_errc::symbolic_link:
        return "a symbolic link is in the way";
      case sync_errc::wrong_type:
        return "something else is in the way (a file where a folder goes, or the reverse)";
      case sync_errc::md5_mismatch:
        return "the downloaded file does not have the manifest's md5";
      case sync_errc::http_status:
        return "the server did not answer 200";
      case sync_errc::bad_range:
        return "the server answered another range than the one asked for";
      case sync_errc::truncated:
        return "the connection ended before the whole file arrived";
      case sync_errc::folder_unusable:
        return "the game folder cannot be created or opened";
    }
    return "unknown launcher sync error";
  }
};

/// What a file needs after checking.
enum class need { nothing, download, failed };

struct sync_state {
  sync_options options;
  std::string manifest_url;
  std::vector<manifest_file> files;  // distinct paths, manifest order
  std::vector<need> needs;
  std::vector<std::optional<file_failure>> failures;
  std::vector<std::string> urls;      // empty: none could be made
  std::vector<std::size_t> to_fetch;  // indexes into files
  game_folder folder;

  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> files_done{0};
  std::atomic<std::uint64_t> bytes_done{0};
  std::atomic<std::uint64_t> bytes_total{0};
  std::atomic<std::size_t> checked{0}, up_to_date{0}, downloaded{0};
  std::atomic<std::uint64_t> bytes_checked{0}, bytes_received{0}, bytes_resumed{0};

  std::mutex progress_mutex;
  sync_stage stage = sync_stage::manifest;
  steady::time_point stage_start = steady::now();
  steady::time_point last_report{};

  explicit sync_state(game_folder f) : folder(std::move(f)) {}

  void fail(std::size_t i, error_code ec, std::string detail) {
    needs[i] = need::failed;
    failures[i] = file_failure{files[i].path, ec, std::move(detail)};
  }

  std::size_t stage_files() const { return stage == sync_stage::checking ? files.size() : to_fetch.size(); }

  /// Calls on_progress when forced or when the interval has passed; never two at once.
  void report(bool force) {
    if (!options.on_progress) return;
    std::unique_lock lock{progress_mutex, std::defer_lock};
    if (force) {
      lock.lock();
    } else if (!lock.try_lock()) {
      return;  // someone is reporting right now; the next chunk will
    }
    auto const now = steady::now();
    if (!force && now - last_report < options.progress_interval) return;
    last_report = now;
    sync_progress p;
    p.stage = stage;
    p.files_done = files_done.load();
    p.files_total = stage_files();
    p.bytes_done = bytes_done.load();
    p.bytes_total = std::max(bytes_total.load(), p.bytes_done);
    p.elapsed = now - stage_start;
    options.on_progress(p);
  }

  /// A new stage; `reset` starts its counters from zero (the last stage keeps the downloads').
  void begin(sync_stage s, bool reset) {
    if (stage != sync_stage::manifest) report(true);  // the last figures of the stage that ends
    {
      std::lock_guard lock{progress_mutex};
      stage = s;
      if (reset) {
        stage_start = steady::now();
        files_done = 0;
        bytes_done = 0;
        bytes_total = 0;
      }
    }
    report(true);
  }
};

void check_one(sync_state& s, std::size_t i) {
  auto const& f = s.files[i];
  if (!safe_relative_path(f.path)) return s.fail(i, sync_errc::unsafe_path, "refused: " + f.path);
  auto where = s.folder.locate(f.path, false);
  if (!where) {
    if (where.error() == errc::not_found)
      s.needs[i] = need::download;
    else
      s.fail(i, where.error(), where.error().message());
    return;
  }
  auto fd = open_existing(*where, where->name);
  if (!fd) {
    if (fd.error() == errc::not_found)
      s.needs[i] = need::download;
    else
      s.fail(i, fd.error(), fd.error().message());
    return;
  }
  struct stat st {};
  if (::fstat(fd->get(), &st) == 0) s.bytes_total += static_cast<std::uint64_t>(st.st_size);
  std::uint64_t bytes = 0;
  auto md5 = md5_of(fd->get(), bytes);
  if (!md5) return s.fail(i, md5.error(), "reading the local copy: " + md5.error().message());
  ++s.checked;
  s.bytes_checked += bytes;
  s.bytes_done += bytes;
  if (*md5 == f.md5) {
    ++s.up_to_date;
    s.needs[i] = need::nothing;
  } else {
    s.needs[i] = need::download;
  }
}

void check_files(sync_state* s) {
  for (std::size_t i; (i = s->next++) < s->files.size();) {
    check_one(*s, i);
    ++s->files_done;
    s->report(false);
  }
}

bool transient(error_code ec) {
  return ec == sync_errc::truncated || ec == sync_errc::bad_range || ec == errc::timeout ||
         ec == asio::error::connection_reset || ec == asio::error::connection_aborted ||
         ec == asio::error::broken_pipe || ec == asio::error::eof || ec == asio::error::connection_refused;
}

/// Fetches one file into its part, verifies it and moves it in place; tried again with what the
/// part holds after a transport failure, and from scratch once when a resumed file's md5 is wrong
/// (the server's copy changed since the part was written).
asio::awaitable<void> fetch_one(sync_state* s, downloader* d, std::size_t i) {
  auto const& f = s->files[i];
  auto where = s->folder.locate(f.path, true);
  if (!where) co_return s->fail(i, where.error(), where.error().message());
  auto fd = open_part(*where);
  if (!fd) co_return s->fail(i, fd.error(), fd.error().message());

  part_writer part{fd->get()};
  bool sized = f.size.has_value();
  if (sized) s->bytes_total += *f.size;
  part.on_bytes = [s](std::int64_t n) {
    if (n >= 0) {
      s->bytes_done += static_cast<std::uint64_t>(n);
      s->bytes_received += static_cast<std::uint64_t>(n);
    } else {
      s->bytes_done -= static_cast<std::uint64_t>(-n);
    }
    s->report(false);
  };
  part.on_full_size = [s, &sized](std::uint64_t n) {
    if (!std::exchange(sized, true)) s->bytes_total += n;
  };
  auto const kept = s->options.resume ? part.adopt() : part.restart();
  if (!kept) co_return s->fail(i, kept.error(), "the .part file: " + kept.error().message());
  s->bytes_done += part.size();

  bool started_over = false;
  for (unsigned attempt = 0;; ++attempt) {
    std::string detail;
    auto r = co_await d->fetch(s->urls[i], &part, &detail);
    if (r) {
      s->bytes_resumed += r->resumed;
      auto const got = part.md5().hex_digest();
      if (got == f.md5) {
        if (auto c = commit_part(*where); !c) co_return s->fail(i, c.error(), c.error().message());
        s->needs[i] = need::nothing;
        ++s->downloaded;
        co_return;
      }
      if (r->resumed > 0 && !started_over) {
        started_over = true;
        if (auto w = part.restart(); !w) co_return s->fail(i, w.error(), w.error().message());
        continue;
      }
      remove_part(*where);  // complete and wrong: resuming it could only fail again
      co_return s->fail(i, sync_errc::md5_mismatch, "expected " + f.md5 + ", got " + got);
    }
    if (!transient(r.error()) || attempt >= s->options.retries) {
      if (part.size() == 0) remove_part(*where);  // nothing worth resuming
      co_return s->fail(i, r.error(), detail.empty() ? r.error().message() : detail);
    }
    if (r.error() == sync_errc::bad_range || !s->options.resume) {
      if (auto w = part.restart(); !w) co_return s->fail(i, w.error(), w.error().message());
    }
  }
}

asio::awaitable<void> download_files(sync_state* s) {
  downloader d{co_await asio::this_coro::executor, s->options};
  for (std::size_t k; (k = s->next++) < s->to_fetch.size();) {
    co_await fetch_one(s, &d, s->to_fetch[k]);
    ++s->files_done;
    s->report(false);
  }
}

asio::awaitable<result<std::string>> fetch_manifest(sync_options const* o) {
  auto co = o->http;
  if (!o->user_agent.empty()) co.user_agent = o->user_agent;
  http::client client{co_await asio::this_coro::executor, co};
  http::client_request req;
  req.method = o->post_manifest ? http::verb::post : http::verb::get;
  req.url = o->manifest_url;
  req.headers.emplace_back("Accept", "application/json");
  auto r = co_await client.request(std::move(req));
  if (!r) co_return r.error();
  if (r->status != 200) co_return http::status_error(r->status);
  co_return std::move(r->body);
}

/// Waits for `n` workers, each of which sends once on `done` when it ends.
asio::awaitable<void> join_workers(std::shared_ptr<done_channel> done, unsigned n) {
  for (unsigned k = 0; k < n; ++k) co_await done->async_receive(asio::as_tuple(asio::use_awaitable));
}

sync_summary summarise(sync_state& s, steady::time_point started) {
  sync_summary out;
  out.files_listed = s.files.size();
  out.files_checked = s.checked;
  out.files_up_to_date = s.up_to_date;
  out.files_downloaded = s.downloaded;
  out.bytes_checked = s.bytes_checked;
  out.bytes_downloaded = s.bytes_received;
  out.bytes_resumed = s.bytes_resumed;
  for (std::size_t i = 0; i < s.files.size(); ++i) {
    // A worker that died (it should not) leaves its file unfetched but not failed.
    if (s.needs[i] == need::download) s.fail(i, errc::io_error, "not attempted");
    if (s.failures[i]) out.failures.push_back(std::move(*s.failures[i]));
  }
  out.files_failed = out.failures.size();
  out.seconds = std::chrono::duration<double>(steady::now() - started).count();
  return out;
}

}  // namespace

boost::system::error_category const& sync_category() noexcept {
  static sync_category_impl const instance;
  return instance;
}

asio::awaitable<result<sync_summary>> sync_folder(sync_options options) {
  auto const started = steady::now();
  options.parallel = std::max(options.parallel, 1u);
  if (options.on_progress) options.on_progress(sync_progress{});
  auto body = co_await fetch_manifest(&options);
  if (!body) co_return body.error();
  auto m = parse_manifest(*body);
  if (!m) co_return m.error();
  auto folder = game_folder::open(options.folder);
  if (!folder) co_return folder.error();

  auto s = std::make_shared<sync_state>(std::move(*folder));
  std::unordered_set<std::string_view> seen;
  for (auto& f : m->files) {
    if (seen.insert(f.path).second) s->files.push_back(f);  // copies: the views point into *m
  }
  auto const n = s->files.size();
  s->needs.assign(n, need::download);
  s->failures.resize(n);
  s->urls.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (auto url = file_url(*m, s->files[i], options.manifest_url)) s->urls[i] = std::move(*url);
  }
  s->options = std::move(options);
  unsigned const threads = s->options.parallel;
  auto const ex = co_await asio::this_coro::executor;
  asio::thread_pool pool{threads};

  s->begin(sync_stage::checking, true);
  auto done = std::make_shared<done_channel>(ex, threads);
  for (unsigned k = 0; k < threads; ++k) {
    asio::post(pool, [s, done] {
      check_files(s.get());
      done->try_send(error_code{});
    });
  }
  co_await join_workers(done, threads);

  for (std::size_t i = 0; i < n; ++i) {
    if (s->needs[i] != need::download) continue;
    if (s->urls[i].empty()) {
      s->fail(i, errc::invalid_argument, "no URL: the manifest's base and the manifest URL give none");
    } else {
      s->to_fetch.push_back(i);
    }
  }
  s->next = 0;
  s->begin(sync_stage::downloading, true);
  auto const workers = static_cast<unsigned>(std::min<std::size_t>(threads, s->to_fetch.size()));
  for (unsigned k = 0; k < workers; ++k) {
    asio::co_spawn(pool, download_files(s.get()),
                   [s, done](std::exception_ptr const&) { done->try_send(error_code{}); });
  }
  co_await join_workers(done, workers);
  pool.join();
  s->begin(sync_stage::done, false);
  co_return summarise(*s, started);
}

result<sync_summary> sync_folder_wait(sync_options options) {
  asio::io_context ioc;
  auto future = asio::co_spawn(ioc, sync_folder(std::move(options)), asio::use_future);
  ioc.run();
  return future.get();
}

}  // namespace overworld::toon
