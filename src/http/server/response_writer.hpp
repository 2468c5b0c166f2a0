// Writes a response on a connection: the head, then a body in memory, a file region (sendfile on
// sockets) or a stream of chunks. Generic over the stream, as the session is.
#pragma once

#include "server_impl.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>

namespace overworld::http::detail {

template <class Stream>
class response_writer {
 public:
  response_writer(server_state* state, Stream& stream, connection& conn)
      : state_(state), stream_(stream), conn_(conn) {}

  /// Writes `res`; returns false when the connection must close (a write failed, it was asked to,
  /// or a stream ended it).
  asio::awaitable<bool> write(response res, bool keep_alive, unsigned version, bool head_only);
  /// "100 Continue"; false when the write failed.
  asio::awaitable<bool> write_continue();

 private:
  asio::awaitable<bool> write_stream(response res, bool keep_alive, unsigned version);
  asio::awaitable<bool> write_file(std::shared_ptr<file_body> file);
  asio::awaitable<bool> write_chunk(std::string_view chunk, unsigned version);

  server_state* state_;
  Stream& stream_;
  connection& conn_;
  std::string head_;  // reused between responses
};

}  // namespace overworld::http::detail
