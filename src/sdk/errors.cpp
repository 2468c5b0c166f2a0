#include <overworld/sdk/errors.hpp>

#include <array>
#include <charconv>

namespace overworld::sdk {
namespace {

class api_category_impl final : public boost::system::error_category {
 public:
  char const* name() const noexcept override { return "overworld.sdk"; }
  std::string message(int ev) const override { return std::string{to_string(static_cast<error_kind>(ev))}; }
};

constexpr std::array<std::string_view, 13> metric_names{
    "none",         "bad_request", "access_denied", "invalid_ip", "not_found", "throttled",      "maintenance",
    "server_error", "gateway",     "timeout",       "transport",  "decode",    "private_war_log"};

}  // namespace

std::string_view to_string(error_kind k) noexcept {
  switch (k) {
    case error_kind::bad_request:
      return "bad request";
    case error_kind::access_denied:
      return "access denied";
    case error_kind::invalid_ip:
      return "key not allowed from this IP address";
    case error_kind::not_found:
      return "not found";
    case error_kind::throttled:
      return "request throttled";
    case error_kind::maintenance:
      return "API in maintenance";
    case error_kind::server_error:
      return "server error";
    case error_kind::gateway:
      return "gateway error";
    case error_kind::timeout:
      return "timed out";
    case error_kind::transport:
      return "transport error";
    case error_kind::decode:
      return "response could not be decoded";
    case error_kind::private_war_log:
      return "private war log";
  }
  return "unknown error";
}

std::string_view metric_name(error_kind k) noexcept {
  auto const i = static_cast<std::size_t>(k);
  return i < metric_names.size() ? metric_names[i] : "unknown";
}

boost::system::error_category const& api_category() noexcept {
  static api_category_impl const instance;
  return instance;
}

std::string error::describe() const {
  std::string out;
  if (status != 0) out += std::to_string(status) + ' ';
  out += reason.empty() ? std::string{to_string(kind)} : reason;
  if (!message.empty()) {
    out += ": " + message;
  } else if (code) {
    out += ": " + code.message();
  }
  if (retry_after) out += " (retry after " + std::to_string(retry_after->count()) + " s)";
  if (!path.empty()) out += " (" + path + ')';
  return out;
}

error_kind kind_from_status(unsigned status) noexcept {
  switch (status) {
    case 401:
    case 403:
      return error_kind::access_denied;
    case 404:
    case 410:
      return error_kind::not_found;
    case 408:
      return error_kind::timeout;
    case 429:
      return error_kind::throttled;
    case 502:
    case 504:
      return error_kind::gateway;
    default:
      return status >= 500 ? error_kind::server_error : error_kind::bad_request;
  }
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) noexcept {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  std::uint32_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc{} || end != value.data() + value.size()) return std::nullopt;
  return std::chrono::seconds{seconds};
}

error error_from_transport(error_code code, std::string_view path) {
  error e;
  bool const timed_out = code == errc::timeout || code == boost::system::errc::timed_out;
  e.kind = timed_out ? error_kind::timeout : error_kind::transport;
  // "timed out: timed out" says nothing twice; say which limit ran out.
  e.message = timed_out ? "no answer within the timeout" : code.message();
  e.path = std::string{path};
  e.code = code;
  return e;
}

error decode_error(std::string_view path, std::string message, unsigned status) {
  error e;
  e.kind = error_kind::decode;
  e.status = status;
  e.message = std::move(message);
  e.path = std::string{path};
  e.code = make_error_code(errc::parse_error);
  return e;
}

api_exception::api_exception(sdk::error e) : std::runtime_error(e.describe()), error_(std::move(e)) {}

void throw_exception_from_error(error const& e, boost::source_location const&) { throw api_exception(e); }

}  // namespace overworld::sdk
