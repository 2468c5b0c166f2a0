// Test support for the HTTP client: one client on a private io_context, each call run to
// completion.
#pragma once

#include <overworld/http/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>
#include <string>
#include <utility>

namespace overworld::http::testing {

struct harness {
  boost::asio::io_context ioc;
  client c;
  explicit harness(client_options o = {}) : c(ioc.get_executor(), std::move(o)) {}

  result<client_response> run(boost::asio::awaitable<result<client_response>> op) {
    std::optional<result<client_response>> out;
    boost::asio::co_spawn(ioc, std::move(op), [&](std::exception_ptr e, result<client_response> r) {
      if (e) std::rethrow_exception(e);
      out = std::move(r);
    });
    ioc.restart();
    ioc.run();
    return std::move(*out);
  }
  result<client_response> call(client_request req) { return run(c.request(std::move(req))); }
  result<client_response> get(std::string url) { return call(client_request{verb::get, std::move(url)}); }
  result<client_response> stream(std::string url, body_sink sink) {
    return run(c.stream(client_request{verb::get, std::move(url)}, std::move(sink)));
  }
};

}  // namespace overworld::http::testing
