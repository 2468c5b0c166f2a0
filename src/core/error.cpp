#include <overworld/core/error.hpp>

#include <string>

namespace overworld {
namespace {

class category final : public boost::system::error_category {
 public:
  char const* name() const noexcept override { return "overworld"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::ok:
        return "success";
      case errc::invalid_argument:
        return "invalid argument";
      case errc::bad_config:
        return "bad configuration";
      case errc::parse_error:
        return "parse error";
      case errc::not_found:
        return "not found";
      case errc::too_large:
        return "size limit exceeded";
      case errc::timeout:
        return "timed out";
      case errc::tls_error:
        return "TLS error";
      case errc::protocol_error:
        return "protocol error";
      case errc::unsupported:
        return "unsupported";
      case errc::io_error:
        return "I/O error";
      case errc::shutting_down:
        return "shutting down";
      case errc::data_corrupt:
        return "the database is damaged";
      case errc::unavailable:
        return "a server it depends on is unavailable";
    }
    return "unknown overworld error";
  }
};

}  // namespace

boost::system::error_category const& overworld_category() noexcept {
  static category const instance;
  return instance;
}

}  // namespace overworld
