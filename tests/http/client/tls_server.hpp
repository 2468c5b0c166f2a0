// Test support for the client: certificates made at test time with the openssl command, and a
// minimal TLS server on 127.0.0.1:0 that records the SNI name it was sent.
#pragma once

#include "support/process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/socket.h>

namespace overworld::http::testing {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace bhttp = beast::http;

/// A test CA, a server certificate it signed for localhost/127.0.0.1, one for another host name,
/// and a self-signed one, in a temporary folder.
struct test_pki {
  overworld::testing::temp_dir dir;
  std::string ca_cert, good_cert, good_key, wrong_host_cert, wrong_host_key, self_cert, self_key;

  test_pki() {
    auto const d = dir.path();
    auto const run = [](std::string const& cmd) {
      if (std::system((cmd + " >/dev/null 2>&1").c_str()) != 0) throw std::runtime_error("failed: " + cmd);
    };
    std::string const ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    run("openssl req -x509 " + ec + " -keyout " + d + "/ca.key -out " + d +
        "/ca.crt -days 2 -subj '/CN=Overworld Test CA'");
    auto const leaf = [&](std::string const& name, std::string const& cn, std::string const& san) {
      run("openssl req " + ec + " -keyout " + d + "/" + name + ".key -out " + d + "/" + name + ".csr -subj '/CN=" + cn +
          "'");
      std::ofstream{d + "/" + name + ".ext"} << "subjectAltName=" << san << "\n";
      run("openssl x509 -req -in " + d + "/" + name + ".csr -CA " + d + "/ca.crt -CAkey " + d +
          "/ca.key -CAcreateserial -out " + d + "/" + name + ".crt -days 2 -extfile " + d + "/" + name + ".ext");
    };
    leaf("good", "localhost", "DNS:localhost,IP:127.0.0.1");
    leaf("wrong", "other.example", "DNS:other.example");
    run("openssl req -x509 " + ec + " -keyout " + d + "/self.key -out " + d +
        "/self.crt -days 2 -subj '/CN=localhost' "
        "-addext 'subjectAltName=DNS:localhost,IP:127.0.0.1'");
    ca_cert = d + "/ca.crt";
    good_cert = d + "/good.crt";
    good_key = d + "/good.key";
    wrong_host_cert = d + "/wrong.crt";
    wrong_host_key = d + "/wrong.key";
    self_cert = d + "/self.crt";
    self_key = d + "/self.key";
  }
};

/// What a scripted TLS server writes for one request: raw HTTP bytes, then whether to hang up
/// (without a TLS close_notify: a cut connection).
struct tls_answer {
  std::string bytes;
  bool hang_up = false;
};
using tls_responder = std::function<tls_answer(bhttp::request<bhttp::string_body> const&)>;

/// Serves HTTPS, each connection on its own thread: answers every request with 200 and the request
/// target as the body, or with what `responder` says.
class tls_server {
 public:
  tls_server(std::string const& cert, std::string const& key, tls_responder responder = {})
      : ctx_(ssl::context::tls_server),
        acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}),
        responder_(std::move(responder)) {
    ctx_.use_certificate_chain_file(cert);
    ctx_.use_private_key_file(key, ssl::context::pem);
    SSL_CTX_set_tlsext_servername_callback(ctx_.native_handle(), &tls_server::on_sni);
    SSL_CTX_set_tlsext_servername_arg(ctx_.native_handle(), this);
    thread_ = std::thread([this] { run(); });
  }
  ~tls_server() {
    stop_ = true;
    // A blocking accept() is not woken by close() from another thread: connect once instead.
    boost::system::error_code ec;
    asio::ip::tcp::socket poke{ioc_};
    poke.connect({asio::ip::make_address("127.0.0.1"), port()}, ec);
    poke.close(ec);
    thread_.join();
    {
      // Wakes the connections blocked in a read (a client that keeps its stream open).
      std::lock_guard lock{mutex_};
      for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : connections_) t.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string sni() {
    std::lock_guard lock{mutex_};
    return sni_;
  }

 private:
  static int on_sni(SSL* ssl, int*, void* arg) {
    auto* self = static_cast<tls_server*>(arg);
    if (char const* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name)) {
      std::lock_guard lock{self->mutex_};
      self->sni_ = name;
    }
    return SSL_TLSEXT_ERR_OK;
  }

  void run() {
    while (!stop_) {
      boost::system::error_code ec;
      asio::ip::tcp::socket socket{ioc_};
      acceptor_.accept(socket, ec);
      if (ec || stop_) return;
      {
        std::lock_guard lock{mutex_};
        sni_.clear();
        open_.push_back(socket.native_handle());
      }
      connections_.emplace_back([this, s = std::move(socket)]() mutable { serve(std::move(s)); });
    }
  }

  void serve(asio::ip::tcp::socket socket) {
    int const fd = socket.native_handle();
    boost::system::error_code ec;
    beast::ssl_stream<asio::ip::tcp::socket> stream{std::move(socket), ctx_};
    stream.handshake(ssl::stream_base::server, ec);
    bool cut = false;
    if (!ec) {  // else the client refused our certificate: that is what some tests want
      beast::flat_buffer buffer;
      for (;;) {
        bhttp::request<bhttp::string_body> req;
        bhttp::read(stream, buffer, req, ec);
        if (ec) break;
        if (responder_) {
          auto const answer = responder_(req);
          asio::write(stream, asio::buffer(answer.bytes), ec);
          if (ec || answer.hang_up) {
            cut = true;
            break;
          }
          continue;
        }
        bhttp::response<bhttp::string_body> res{bhttp::status::ok, req.version()};
        res.body() = std::string{req.target()};
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        bhttp::write(stream, res, ec);
        if (ec || !req.keep_alive()) break;
      }
      if (!cut) stream.shutdown(ec);
    }
    std::lock_guard lock{mutex_};
    std::erase(open_, fd);
    beast::get_lowest_layer(stream).close(ec);
  }

  asio::io_context ioc_;
  ssl::context ctx_;
  asio::ip::tcp::acceptor acceptor_;
  tls_responder responder_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::thread> connections_;  // touched by the accepting thread, then by the destructor
  std::mutex mutex_;
  std::vector<int> open_;
  std::string sni_;
};

}  // namespace overworld::http::testing
