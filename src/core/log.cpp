#include <overworld/core/log.hpp>
#include <overworld/core/text.hpp>

#include <spdlog/details/fmt_helper.h>
#include <spdlog/formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace overworld {
namespace {

/// One JSON object per line: {"ts":"2026-11-23T03:50:12.123Z","level":"info","logger":"...","msg":"..."}
class json_formatter final : public spdlog::formatter {
 public:
  void format(spdlog::details::log_msg const& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    auto const t = msg.time;
    auto const secs = time_point_cast<seconds>(t);
    auto const millis = duration_cast<milliseconds>(t - secs).count();
    std::time_t const tt = system_clock::to_time_t(secs);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char ts[64];
    std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
    std::string line = "{\"ts\":\"";
    line += ts;
    line += "\",\"level\":\"";
    auto const level = spdlog::level::to_string_view(msg.level);
    line.append(level.data(), level.size());
    line += "\",\"logger\":\"";
    append_json_escaped(line, std::string_view{msg.logger_name.data(), msg.logger_name.size()});
    line += "\",\"msg\":\"";
    append_json_escaped(line, std::string_view{msg.payload.data(), msg.payload.size()});
    line += "\"}\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<json_formatter>(); }
};

}  // namespace

void append_json_escaped(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  while (!text.empty()) {
    auto const c = static_cast<unsigned char>(text.front());
    if (c >= 0x80) {
      // Never invalid UTF-8 in JSON: a byte that starts no well-formed sequence becomes U+FFFD.
      // U+2028 and U+2029 are escaped too, for bodies that are read as JavaScript.
      std::size_t const n = utf8_sequence_length(text);
      if (n == 0) {
        out += "\\ufffd";
        text.remove_prefix(1);
      } else if (n == 3 && c == 0xE2 && text[1] == '\x80' && (text[2] == '\xA8' || text[2] == '\xA9')) {
        out += text[2] == '\xA8' ? "\\u2028" : "\\u2029";
        text.remove_prefix(3);
      } else {
        out.append(text.data(), n);
        text.remove_prefix(n);
      }
      continue;
    }
    text.remove_prefix(1);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

result<log_format> parse_log_format(std::string_view text) {
  if (text == "text" || text.empty()) return log_format::text;
  if (text == "json") return log_format::json;
  return errc::bad_config;
}

result<void> init_logging(log_options const& options) {
  auto const level = spdlog::level::from_str(options.level);
  if (level == spdlog::level::off && options.level != "off") return errc::bad_config;
  std::shared_ptr<spdlog::logger> logger;
  try {
    if (options.file.empty()) {
      logger = spdlog::stderr_color_mt("overworld");
    } else {
      logger = spdlog::basic_logger_mt("overworld", options.file);
    }
  } catch (spdlog::spdlog_ex const&) {
    spdlog::drop("overworld");
    try {
      logger = options.file.empty() ? spdlog::stderr_color_mt("overworld")
                                    : spdlog::basic_logger_mt("overworld", options.file);
    } catch (spdlog::spdlog_ex const&) {
      return errc::io_error;
    }
  }
  if (options.format == log_format::json) {
    logger->set_formatter(std::make_unique<json_formatter>());
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
  }
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  return {};
}

}  // namespace overworld
