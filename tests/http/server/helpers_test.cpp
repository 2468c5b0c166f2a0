// Conditional GET, CORS, dates, /healthz and /metrics, trusted proxies and the PROXY protocol.
#include "support.hpp"

#include <overworld/http/helpers.hpp>
#include <overworld/http/standard_routes.hpp>

#include <gtest/gtest.h>

namespace overworld::http {
namespace {

using namespace testing;

TEST(ETag, MatchingRules) {
  std::string const tag = make_etag("body");
  EXPECT_EQ(tag.size(), 18u);
  EXPECT_EQ(tag.front(), '"');
  EXPECT_EQ(make_etag("body"), tag);
  EXPECT_NE(make_etag("body2"), tag);
  EXPECT_TRUE(etag_matches(tag, tag));
  EXPECT_TRUE(etag_matches("W/" + tag, tag));
  EXPECT_TRUE(etag_matches("\"x\", " + tag, tag));
  EXPECT_TRUE(etag_matches("*", tag));
  EXPECT_FALSE(etag_matches("\"x\"", tag));
  EXPECT_FALSE(etag_matches("", tag));
}

TEST(Dates, FormatAndParse) {
  auto const t = std::chrono::system_clock::from_time_t(784111777);
  EXPECT_EQ(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), t);
  EXPECT_FALSE(parse_http_date("yesterday"));
  EXPECT_EQ(cached_http_date().size(), 29u);
}

TEST(ConditionalGet, Answers304OverTheWire) {
  running_server s;
  std::string const body = R"({"open":true})";
  std::string const tag = make_etag(body);
  auto const modified = std::chrono::system_clock::from_time_t(1'700'000'000);
  s.routes->get("/api/status", sync_handler{[&](request const& req) {
                  if (auto nm = not_modified(req, tag, modified)) return std::move(*nm);
                  response r = response::json(200, body);
                  r.header("ETag", tag);
                  r.header("Last-Modified", http_date(modified));
                  add_cors(r);
                  return r;
                }});
  s.routes->add(verb::options, "/api/status", sync_handler{[](request const&) { return cors_preflight(); }});
  s.start();
  raw_connection c{s.port()};
  c.send(get_request("/api/status"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  EXPECT_EQ((*r)[bhttp::field::etag], tag);
  EXPECT_EQ((*r)[bhttp::field::access_control_allow_origin], "*");

  c.send(get_request("/api/status", "If-None-Match: " + tag + "\r\n"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 304);
  EXPECT_EQ(r->body(), "");
  EXPECT_EQ((*r)[bhttp::field::etag], tag);
  EXPECT_TRUE((*r)[bhttp::field::content_length].empty());

  c.send(get_request("/api/status", "If-None-Match: \"other\"\r\n"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);

  c.send(get_request("/api/status", "If-Modified-Since: " + http_date(modified) + "\r\n"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 304);

  c.send("OPTIONS /api/status HTTP/1.1\r\nHost: h\r\nOrigin: https://example.org\r\n\r\n");
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 204);
  EXPECT_EQ((*r)[bhttp::field::access_control_allow_origin], "*");
  EXPECT_FALSE((*r)[bhttp::field::access_control_allow_methods].empty());
}

TEST(SharedBodies, SnapshotBytesAndHeadersAreSent) {
  running_server s;
  auto const body = std::make_shared<std::string const>(R"({"snapshot":1})");
  auto const headers = std::make_shared<std::string const>("ETag: \"abc\"\r\nCache-Control: max-age=1\r\n");
  s.routes->get("/snap", sync_handler{[&](request const&) {
                  response r{200};
                  r.content_type = "application/json";
                  r.shared_body = body;
                  r.shared_headers = headers;
                  return r;
                }});
  s.start();
  raw_connection c{s.port()};
  c.send(get_request("/snap"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), *body);
  EXPECT_EQ((*r)[bhttp::field::etag], "\"abc\"");
  EXPECT_EQ((*r)[bhttp::field::cache_control], "max-age=1");
}

TEST(StandardRoutes, HealthzAndMetrics) {
  running_server s;
  bool healthy = true;
  add_standard_routes(*s.routes, s.metrics, [&] { return health_report{healthy, {{"redis", "up"}}}; });
  s.routes->get("/hello", sync_handler{[](request const&) { return response::text(200, "hi"); }});
  s.start();
  raw_connection c{s.port()};
  c.send(get_request("/healthz"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  EXPECT_EQ(r->body(), R"({"status":"ok","redis":"up"})");
  c.send(get_request("/hello") + get_request("/hello") + get_request("/missing"));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(c.read());
  c.send(get_request("/metrics"));
  r = c.read();
  ASSERT_TRUE(r);
  std::string const text = r->body();
  EXPECT_NE(text.find("overworld_http_requests_total{server=\"http\",route=\"/hello\",method=\"GET\",code=\"200\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("route=\"unmatched\",method=\"\",code=\"404\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("overworld_http_request_duration_seconds_bucket{server=\"http\",route=\"/hello\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("overworld_http_open_connections{server=\"http\"} 1"), std::string::npos) << text;
  healthy = false;
  c.send(get_request("/healthz"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 503);
}

TEST(Proxies, AddressesAndNetworks) {
  auto a = ip_address::parse("192.168.1.7");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->v4);
  EXPECT_EQ(a->to_string(), "192.168.1.7");
  EXPECT_EQ(ip_address::parse("[::1]")->to_string(), "::1");
  EXPECT_EQ(ip_address::parse("1.2.3.4:80")->to_string(), "1.2.3.4");
  EXPECT_EQ(ip_address::parse("::ffff:10.0.0.1")->to_string(), "10.0.0.1");
  EXPECT_FALSE(ip_address::parse("300.1.1.1"));
  EXPECT_FALSE(ip_address::parse("example.com"));

  auto n = ip_network::parse("10.0.0.0/8");
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->contains(*ip_address::parse("10.200.3.4")));
  EXPECT_FALSE(n->contains(*ip_address::parse("11.0.0.1")));
  EXPECT_FALSE(n->contains(*ip_address::parse("::1")));
  EXPECT_EQ(ip_network::parse("10.1.2.3/8")->to_string(), "10.0.0.0/8");
  auto n6 = ip_network::parse("fd00::/8");
  ASSERT_TRUE(n6);
  EXPECT_TRUE(n6->contains(*ip_address::parse("fd12::1")));
  EXPECT_FALSE(n6->contains(*ip_address::parse("fe80::1")));
  EXPECT_TRUE(ip_network::parse("172.16.0.0/12")->contains(*ip_address::parse("172.31.255.255")));
  EXPECT_FALSE(ip_network::parse("172.16.0.0/12")->contains(*ip_address::parse("172.32.0.0")));
  EXPECT_FALSE(ip_network::parse("10.0.0.0/33"));
  EXPECT_FALSE(ip_network::parse("nonsense/8"));
}

TEST(Proxies, RightMostUntrustedForwardedEntry) {
  trusted_proxies p{{*ip_network::parse("10.0.0.0/8"), *ip_network::parse("127.0.0.1")}};
  std::vector<std::string_view> xff{"203.0.113.9, 198.51.100.2", "10.1.1.1"};
  // Peer not trusted: its X-Forwarded-For is ignored (anyone can send one).
  EXPECT_EQ(p.client_address("198.51.100.77", xff), "198.51.100.77");
  // Trusted peer: skip trusted hops from the right; a client-supplied left part is not believed.
  EXPECT_EQ(p.client_address("10.0.0.5", xff), "198.51.100.2");
  std::vector<std::string_view> all_trusted{"10.9.9.9"};
  EXPECT_EQ(p.client_address("127.0.0.1", all_trusted), "10.9.9.9");
  std::vector<std::string_view> garbage{"203.0.113.9, not-an-ip"};
  EXPECT_EQ(p.client_address("10.0.0.5", garbage), "10.0.0.5");
}

TEST(Proxies, ForwardedForOverTheWire) {
  running_server s;
  s.options.trusted_proxies = {*ip_network::parse("127.0.0.0/8")};
  s.routes->get("/ip",
                sync_handler{[](request const& req) { return response::text(200, std::string{req.client_address}); }});
  s.start();
  raw_connection c{s.port()};
  c.send(get_request("/ip", "X-Forwarded-For: 203.0.113.50\r\n"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "203.0.113.50");
  c.send(get_request("/ip"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "127.0.0.1");
}

TEST(ProxyProtocol, Version1) {
  std::string const h = "PROXY TCP4 203.0.113.1 10.0.0.1 56324 443\r\nGET / HTTP/1.1\r\n";
  auto p = parse_proxy_header(h);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->length, h.find("\r\n") + 2);
  EXPECT_EQ(p->source, "203.0.113.1");
  EXPECT_EQ(p->source_port, 56324);
  EXPECT_EQ(parse_proxy_header(std::span<char const>{}).error(), errc::not_found);
  auto u = parse_proxy_header(std::string_view{"PROXY UNKNOWN\r\n"});
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->source);
  EXPECT_EQ(parse_proxy_header(std::string_view{"PROXY TCP4 1.2.3.4"}).error(), errc::not_found);
  EXPECT_EQ(parse_proxy_header(std::string_view{"GET / HTTP/1.1\r\n"}).error(), errc::protocol_error);
  EXPECT_EQ(parse_proxy_header(std::string_view{"PROXY TCP4 1.2.3.4 5.6.7.8 99999 1\r\n"}).error(),
            errc::protocol_error);
  EXPECT_EQ(parse_proxy_header(std::string_view{"PROXY TCP6 1.2.3.4 5.6.7.8 1 1\r\n"}).error(), errc::protocol_error);
}

std::string v2_header(std::uint8_t cmd, std::uint8_t fam, std::vector<std::uint8_t> const& payload) {
  std::string h = "\x0D\x0A\x0D\x0A";
  h += '\0';
  h += "\x0D\x0A\x51\x55\x49\x54\x0A";
  h += static_cast<char>(0x20 | cmd);
  h += static_cast<char>(fam);
  h += static_cast<char>(payload.size() >> 8);
  h += static_cast<char>(payload.size() & 0xFF);
  for (auto b : payload) h += static_cast<char>(b);
  return h;
}

TEST(ProxyProtocol, Version2) {
  auto const h = v2_header(1, 0x11, {203, 0, 113, 7, 10, 0, 0, 1, 0x1F, 0x90, 0x01, 0xBB});
  auto p = parse_proxy_header(h);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->length, 28u);
  EXPECT_EQ(p->source, "203.0.113.7");
  EXPECT_EQ(p->source_port, 8080);
  std::vector<std::uint8_t> v6(36, 0);
  v6[0] = 0x20;
  v6[1] = 0x01;
  v6[2] = 0x0d;
  v6[3] = 0xb8;
  v6[15] = 1;
  auto p6 = parse_proxy_header(v2_header(1, 0x21, v6));
  ASSERT_TRUE(p6);
  EXPECT_EQ(p6->source, "2001:db8::1");
  auto local = parse_proxy_header(v2_header(0, 0x00, {}));
  ASSERT_TRUE(local);
  EXPECT_FALSE(local->source);
  EXPECT_EQ(parse_proxy_header(std::string_view{h.data(), 20}).error(), errc::not_found);
}

TEST(ProxyProtocol, OverTheWire) {
  running_server s;
  s.options.proxy_protocol = true;
  s.routes->get("/ip",
                sync_handler{[](request const& req) { return response::text(200, std::string{req.client_address}); }});
  s.start();
  raw_connection c{s.port()};
  c.send("PROXY TCP4 198.51.100.20 127.0.0.1 5555 80\r\n" + get_request("/ip"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "198.51.100.20");
  raw_connection bad{s.port()};
  bad.send(get_request("/ip"));
  EXPECT_FALSE(bad.read());  // no PROXY header: dropped
}

}  // namespace
}  // namespace overworld::http
