// A handler that drops its connection: the client reads EOF and no response, the server lives on.
#include "support.hpp"

#include <gtest/gtest.h>

namespace overworld::http {
namespace {

using namespace testing;

TEST(Drop, ClientSeesEofInsteadOfAResponse) {
  running_server s;
  s.routes->get("/drop", sync_handler{[](request const&) {
                  response r{200};
                  r.body = "never sent";
                  r.drop = true;
                  return r;
                }});
  s.routes->get("/hello", sync_handler{[](request const&) { return response::text(200, "hi"); }});
  s.start();

  raw_connection c{s.port()};
  c.send(get_request("/drop"));
  EXPECT_TRUE(c.closed_by_server());

  // Requests pipelined behind the dropped one are lost with it; new connections are served.
  raw_connection d{s.port()};
  d.send(get_request("/hello"));
  auto r = d.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "hi");
}

}  // namespace
}  // namespace overworld::http
