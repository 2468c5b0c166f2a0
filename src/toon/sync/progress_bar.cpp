#include <overworld/toon/launcher_sync.hpp>

#include <fmt/format.h>

#include <sys/ioctl.h>
#include <unistd.h>
#include <algorithm>

namespace overworld::toon {

namespace {

std::string_view stage_name(sync_stage s) noexcept {
  switch (s) {
    case sync_stage::manifest:
      return "manifest";
    case sync_stage::checking:
      return "checking";
    case sync_stage::downloading:
      return "downloading";
    case sync_stage::done:
      return "done";
  }
  return "";
}

constexpr double mib = 1024.0 * 1024.0;

}  // namespace

progress_bar::progress_bar(std::FILE* out) : out_(out), enabled_(out && ::isatty(::fileno(out)) == 1) {}

std::string progress_bar::render(sync_progress const& p, unsigned width) {
  std::string head = fmt::format("{:<11} {}/{} files", stage_name(p.stage), p.files_done, p.files_total);
  if (p.stage == sync_stage::manifest) return std::string{stage_name(p.stage)};
  double const seconds = std::chrono::duration<double>(p.elapsed).count();
  std::string tail;
  if (p.bytes_total > 0 || p.bytes_done > 0) {
    tail = fmt::format(" {:.1f}/{:.1f} MiB", static_cast<double>(p.bytes_done) / mib,
                       static_cast<double>(p.bytes_total) / mib);
    if (seconds > 0.05) tail += fmt::format(" {:.1f} MiB/s", static_cast<double>(p.bytes_done) / mib / seconds);
  }
  // The fraction follows bytes when any are known, files otherwise.
  double fraction = 0;
  if (p.bytes_total > 0) {
    fraction = static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total);
  } else if (p.files_total > 0) {
    fraction = static_cast<double>(p.files_done) / static_cast<double>(p.files_total);
  } else if (p.stage == sync_stage::done) {
    fraction = 1;
  }
  fraction = std::clamp(fraction, 0.0, 1.0);
  std::string const pct = fmt::format(" {:3.0f}%", fraction * 100);
  auto const fixed = head.size() + pct.size() + tail.size() + 3;
  std::size_t const cells = width > fixed + 4 ? std::min<std::size_t>(width - fixed, 40) : 0;
  std::string bar;
  if (cells > 0) {
    auto const full = static_cast<std::size_t>(fraction * static_cast<double>(cells));
    bar = " [" + std::string(full, '#') + std::string(cells - full, '.') + "]";
  }
  // Never as wide as the terminal: a line that wraps cannot be redrawn in place.
  std::string line = head + bar + pct + tail;
  if (width > 1 && line.size() >= width) line.resize(width - 1);
  return line;
}

void progress_bar::update(sync_progress const& p) {
  if (!enabled_) return;
  auto const now = std::chrono::steady_clock::now();
  bool const new_stage = !drawn_ || p.stage != last_stage_;
  if (!new_stage && now - last_draw_ < std::chrono::milliseconds{100}) return;
  // A finished check keeps its own line; the downloads start below it, and end on their own line.
  if (drawn_ && p.stage != last_stage_ && last_stage_ == sync_stage::checking) std::fputc('\n', out_);
  last_stage_ = p.stage;
  last_draw_ = now;
  drawn_ = true;
  // The terminal's width now (it may have been resized since the last frame).
  winsize ws{};
  unsigned const width = ::ioctl(::fileno(out_), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
  auto const line = render(p, width);
  std::fprintf(out_, "\r%s\033[K", line.c_str());
  std::fflush(out_);
}

void progress_bar::finish() {
  if (!enabled_ || !drawn_) return;
  std::fputc('\n', out_);
  std::fflush(out_);
  drawn_ = false;
}

}  // namespace overworld::toon
