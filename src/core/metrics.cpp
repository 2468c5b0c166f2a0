#include <overworld/core/metrics.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace overworld {
namespace {
constexpr std::array<double, 14> default_bounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                0.025,  0.05,    0.1,    0.25,  0.5,    1.0,   10.0};

void append_number(std::string& out, double v) {
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  out += buf;
}
}  // namespace

histogram::histogram() : histogram(default_bounds) {}

histogram::histogram(std::span<double const> upper_bounds) {
  size_ = std::min(upper_bounds.size(), max_buckets);
  std::copy_n(upper_bounds.begin(), size_, bounds_.begin());
}

void histogram::observe(double value) noexcept {
  std::size_t i = 0;
  while (i < size_ && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(std::max(0.0, value) * 1e6), std::memory_order_relaxed);
}

double histogram::sum() const noexcept {
  return static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6;
}

double histogram::quantile(double q) const noexcept {
  std::uint64_t const total = count();
  if (total == 0) return 0;
  double const rank = q * static_cast<double>(total);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i <= size_; ++i) {
    std::uint64_t const n = buckets_[i].load(std::memory_order_relaxed);
    if (n > 0 && static_cast<double>(seen + n) >= rank) {
      if (i == size_) return bounds_[size_ - 1];
      double const lower = i == 0 ? 0.0 : bounds_[i - 1];
      double const fraction = (rank - static_cast<double>(seen)) / static_cast<double>(n);
      return lower + (bounds_[i] - lower) * std::clamp(fraction, 0.0, 1.0);
    }
    seen += n;
  }
  return bounds_[size_ - 1];
}

void histogram::render(std::string& out, std::string_view name, std::string_view labels) const {
  std::uint64_t cumulative = 0;
  std::string const sep = labels.empty() ? "" : ",";
  for (std::size_t i = 0; i <= size_; ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out += name;
    out += "_bucket{";
    out += labels;
    out += sep;
    out += "le=\"";
    if (i == size_)
      out += "+Inf";
    else
      append_number(out, bounds_[i]);
    out += "\"} ";
    out += std::to_string(cumulative);
    out += '\n';
  }
  render_sample(out, std::string{name} + "_sum", labels, sum());
  render_sample(out, std::string{name} + "_count", labels, count());
}

std::size_t metrics_registry::add(collector c) {
  std::lock_guard lock{mutex_};
  collectors_.emplace_back(next_id_, std::move(c));
  return next_id_++;
}

void metrics_registry::remove(std::size_t id) {
  std::lock_guard lock{mutex_};
  std::erase_if(collectors_, [id](auto const& p) { return p.first == id; });
}

std::string metrics_registry::render() const {
  std::lock_guard lock{mutex_};
  std::string out;
  for (auto const& [id, c] : collectors_) c(out);
  return out;
}

void render_help(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void render_sample(std::string& out, std::string_view name, std::string_view labels, double value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  append_number(out, value);
  out += '\n';
}

void render_sample(std::string& out, std::string_view name, std::string_view labels, std::uint64_t value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

std::string escape_label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

}  // namespace overworld
