#include "harness.hpp"
#include "http/server/support.hpp"
#include "tls_server.hpp"

#include <overworld/http/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>
#include <zlib.h>

#include <thread>

namespace overworld::http {
namespace {

using namespace std::chrono_literals;
using testing::running_server;

using testing::harness;

std::string compress(std::string_view data, int window_bits) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string url(running_server const& s, std::string_view path) {
  return "http://127.0.0.1:" + std::to_string(s.port()) + std::string{path};
}

TEST(Url, Parsing) {
  auto u = parse_url("https://api.clashofclans.com/v1/players/%232PP?x=1");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "api.clashofclans.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/v1/players/%232PP?x=1");
  u = parse_url("http://[::1]:8080");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(parse_url("http://h?q=1")->target, "/?q=1");
  EXPECT_FALSE(parse_url("ftp://h/"));
  EXPECT_FALSE(parse_url("http:///x"));
  EXPECT_FALSE(parse_url("http://h:99999/"));
  EXPECT_FALSE(parse_url("http://user@h/"));
  EXPECT_FALSE(parse_url("http://h x/"));
}

TEST(Client, GetAndPostRoundTrip) {
  running_server s;
  s.routes->post("/echo", sync_handler{[](request const& req) {
                   response r = response::text(201, std::string{req.method_name} + ":" + std::string{req.body} + ":" +
                                                        std::string{req.header("X-Test").value_or("-")} + ":" +
                                                        std::string{req.header("User-Agent").value_or("-")});
                   r.header("X-Reply", "yes");
                   return r;
                 }});
  s.start();
  harness h;
  auto r = h.call(client_request{verb::post, url(s, "/echo"), {{"X-Test", "t"}}, "payload"});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->status, 201u);
  EXPECT_EQ(r->body, "POST:payload:t:overworld/0.1");
  EXPECT_EQ(r->header("x-reply"), std::optional<std::string_view>{"yes"});
}

TEST(Client, KeepAlivePoolReusesOneConnection) {
  running_server s;
  s.routes->get("/n", sync_handler{[](request const&) { return response::text(200, "n"); }});
  s.start();
  harness h;
  for (int i = 0; i < 5; ++i) {
    auto r = h.get(url(s, "/n"));
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "n");
  }
  EXPECT_EQ(h.c.statistics().connections_opened, 1u);
  EXPECT_EQ(h.c.statistics().connections_reused, 4u);
  EXPECT_EQ(s.srv->open_connections(), 1u);
}

TEST(Client, ConnectionCloseIsNotPooled) {
  running_server s;
  s.routes->get("/close", sync_handler{[](request const&) {
                  response r = response::text(200, "bye");
                  r.close = true;
                  return r;
                }});
  s.start();
  harness h;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(h.get(url(s, "/close")));
  EXPECT_EQ(h.c.statistics().connections_opened, 3u);
  EXPECT_EQ(h.c.statistics().connections_reused, 0u);
}

TEST(Client, StalePooledConnectionIsReplacedTransparently) {
  running_server s;
  s.options.idle_timeout = 100ms;
  s.routes->get("/n", sync_handler{[](request const&) { return response::text(200, "n"); }});
  s.start();
  harness h;
  ASSERT_TRUE(h.get(url(s, "/n")));
  // The server closes the idle connection: wait until it has (bounded), not for a guessed time.
  auto const deadline = std::chrono::steady_clock::now() + 30s;
  while (s.srv->open_connections() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(s.srv->open_connections(), 0u);
  auto r = h.get(url(s, "/n"));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(h.c.statistics().connections_opened, 2u);
  EXPECT_EQ(h.c.statistics().connections_reused, 1u);
}

TEST(Client, GzipAndDeflateBodiesAreDecoded) {
  std::string const text(5000, 'z');
  running_server s;
  for (auto [path, bits, enc] :
       {std::tuple{"/gzip", 15 + 16, "gzip"}, std::tuple{"/zlib", 15, "deflate"}, std::tuple{"/raw", -15, "deflate"}}) {
    std::string const body = compress(text, bits);
    std::string const encoding = enc;
    s.routes->get(path, sync_handler{[body, encoding](request const& req) {
                    response r = response::text(200, body);
                    r.header("Content-Encoding", encoding);
                    r.header("X-Seen-Accept-Encoding", req.header("Accept-Encoding").value_or("-"));
                    return r;
                  }});
  }
  s.start();
  harness h;
  for (auto path : {"/gzip", "/zlib", "/raw"}) {
    auto r = h.get(url(s, path));
    ASSERT_TRUE(r) << path << ": " << r.error().message();
    EXPECT_EQ(r->body, text) << path;
    EXPECT_FALSE(r->header("Content-Encoding")) << path;
    EXPECT_EQ(r->header("Content-Length"), std::optional<std::string_view>{"5000"});
    EXPECT_EQ(r->header("X-Seen-Accept-Encoding"), std::optional<std::string_view>{"gzip, deflate"});
  }
}

TEST(Client, CorruptOrUnknownEncodingIsAnError) {
  running_server s;
  s.routes->get("/corrupt", sync_handler{[](request const&) {
                  response r = response::text(200, "definitely not gzip");
                  r.header("Content-Encoding", "gzip");
                  return r;
                }});
  s.routes->get("/br", sync_handler{[](request const&) {
                  response r = response::text(200, "x");
                  r.header("Content-Encoding", "br");
                  return r;
                }});
  s.start();
  harness h;
  EXPECT_EQ(h.get(url(s, "/corrupt")).error(), errc::parse_error);
  EXPECT_EQ(h.get(url(s, "/br")).error(), errc::unsupported);
}

TEST(Client, ResponseSizeLimitPlainAndDecoded) {
  running_server s;
  s.routes->get("/big", sync_handler{[](request const&) { return response::text(200, std::string(10'000, 'b')); }});
  std::string const bomb = compress(std::string(1'000'000, '\0'), 15 + 16);
  s.routes->get("/bomb", sync_handler{[bomb](request const&) {
                  response r = response::text(200, bomb);
                  r.header("Content-Encoding", "gzip");
                  return r;
                }});
  s.start();
  client_options o;
  o.max_response_size = 4096;
  harness h{o};
  EXPECT_EQ(h.get(url(s, "/big")).error(), errc::too_large);
  ASSERT_LT(bomb.size(), 4096u);  // small on the wire, a megabyte once inflated
  EXPECT_EQ(h.get(url(s, "/bomb")).error(), errc::too_large);
}

TEST(Client, ReadAndTotalTimeouts) {
  running_server s;
  s.routes->get("/slow", async_handler{[](request) -> boost::asio::awaitable<response> {
                  boost::asio::steady_timer t{co_await boost::asio::this_coro::executor, 1500ms};
                  co_await t.async_wait(boost::asio::use_awaitable);
                  co_return response::text(200, "late");
                }});
  s.start();
  client_options o;
  o.read_timeout = 200ms;
  harness h{o};
  auto const t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(h.get(url(s, "/slow")).error(), errc::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1200ms);

  client_options total;
  total.read_timeout = 10s;
  total.total_timeout = 300ms;
  harness h2{total};
  EXPECT_EQ(h2.get(url(s, "/slow")).error(), errc::timeout);
}

TEST(Client, ConnectionRefusedIsReported) {
  std::uint16_t port = 0;
  {
    running_server s;
    s.start();
    port = s.port();
  }
  harness h;
  auto r = h.get("http://127.0.0.1:" + std::to_string(port) + "/");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), boost::asio::error::connection_refused);
}

TEST(Client, HeadNoContentAndChunkedStreams) {
  running_server s;
  s.routes->get("/doc", sync_handler{[](request const&) { return response::text(200, "0123456789"); }});
  s.routes->get("/empty", sync_handler{[](request const&) { return response{204}; }});
  struct counting_source final : stream_source {
    int n = 0;
    boost::asio::awaitable<std::optional<std::string>> next() override {
      if (n == 3) co_return std::nullopt;
      co_return "part" + std::to_string(n++) + ";";
    }
    void stop() override {}
  };
  s.routes->get("/chunked", sync_handler{[](request const&) {
                  response r{200};
                  r.content_type = "text/plain";
                  r.stream = std::make_shared<counting_source>();
                  return r;
                }});
  s.start();
  harness h;
  auto r = h.call(client_request{verb::head, url(s, "/doc"), {}, {}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "");
  EXPECT_EQ(r->header("Content-Length"), std::optional<std::string_view>{"10"});
  r = h.get(url(s, "/empty"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204u);
  r = h.get(url(s, "/chunked"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "part0;part1;part2;");
  r = h.get(url(s, "/doc"));  // the same connection still works after all three
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "0123456789");
  EXPECT_EQ(h.c.statistics().connections_opened, 1u);
}

TEST(Tls, TrustedCertificateWithSniAndReuse) {
  testing::test_pki pki;
  testing::tls_server srv{pki.good_cert, pki.good_key};
  client_options o;
  o.ca_file = pki.ca_cert;
  harness h{o};
  auto r = h.get("https://localhost:" + std::to_string(srv.port()) + "/secure?x=1");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->body, "/secure?x=1");
  EXPECT_EQ(srv.sni(), "localhost");
  ASSERT_TRUE(h.get("https://localhost:" + std::to_string(srv.port()) + "/again"));
  EXPECT_EQ(h.c.statistics().connections_opened, 1u);
  // By address: verified against the certificate's IP entry, and no SNI (it carries names only).
  // The test server handles one connection at a time: release the pooled one first.
  h.c.close_idle();
  auto by_ip = h.get("https://127.0.0.1:" + std::to_string(srv.port()) + "/ip");
  ASSERT_TRUE(by_ip) << by_ip.error().message();
  EXPECT_EQ(srv.sni(), "");
}

TEST(Tls, UntrustedCertificateFails) {
  testing::test_pki pki;
  testing::tls_server srv{pki.self_cert, pki.self_key};
  client_options o;
  o.ca_file = pki.ca_cert;
  harness h{o};
  EXPECT_EQ(h.get("https://localhost:" + std::to_string(srv.port()) + "/").error(), errc::tls_error);
}

TEST(Tls, WrongHostNameFails) {
  testing::test_pki pki;
  testing::tls_server srv{pki.wrong_host_cert, pki.wrong_host_key};
  client_options o;
  o.ca_file = pki.ca_cert;
  harness h{o};
  EXPECT_EQ(h.get("https://localhost:" + std::to_string(srv.port()) + "/").error(), errc::tls_error);
}

TEST(Tls, WithoutTheTestCaTheSystemStoreRejectsIt) {
  testing::test_pki pki;
  testing::tls_server srv{pki.good_cert, pki.good_key};
  harness h;
  EXPECT_EQ(h.get("https://localhost:" + std::to_string(srv.port()) + "/").error(), errc::tls_error);
}

}  // namespace
}  // namespace overworld::http
