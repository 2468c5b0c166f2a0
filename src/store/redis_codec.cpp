// The pieces of the Redis client that need no socket: the RESP decoder (hiredis's reader with
// our own reply objects and bounds), the command encoder, the URL and the scripts' SHA-1.
#include <overworld/store/redis.hpp>

#include <hiredis/read.h>
#include <openssl/sha.h>

#include <charconv>
#include <climits>
#include <cstring>

namespace overworld::store {

// ---- URL

std::string redis_endpoint::describe() const {
  return socket_path.empty() ? host + ":" + std::to_string(port) : socket_path;
}

namespace {

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// %XX decoded; nullopt for a broken escape.
std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int const hi = hex_digit(s[i + 1]);
    int const lo = hex_digit(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

template <class Int>
bool parse_number(std::string_view s, Int& out, Int low, Int high) {
  auto const [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size() && out >= low && out <= high;
}

/// `user:password` (either part may be empty) into the endpoint.
bool read_credentials(std::string_view userinfo, redis_endpoint& e) {
  auto const colon = userinfo.find(':');
  auto user = percent_decode(userinfo.substr(0, colon));
  auto pass =
      colon == std::string_view::npos ? std::optional<std::string>{""} : percent_decode(userinfo.substr(colon + 1));
  if (!user || !pass) return false;
  if (colon == std::string_view::npos) {  // redis://secret@host: a lone part is the password
    e.password = std::move(*user);
  } else {
    e.username = std::move(*user);
    e.password = std::move(*pass);
  }
  return true;
}

bool read_tcp(std::string_view rest, redis_endpoint& e) {
  auto const slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view const path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  if (auto const at = authority.rfind('@'); at != std::string_view::npos) {
    if (!read_credentials(authority.substr(0, at), e)) return false;
    authority.remove_prefix(at + 1);
  }
  std::string_view port;
  if (authority.starts_with('[')) {  // [::1]:6379
    auto const close = authority.find(']');
    if (close == std::string_view::npos) return false;
    e.host = authority.substr(1, close - 1);
    auto const after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return false;
    if (!after.empty()) port = after.substr(1);
  } else {
    auto const colon = authority.rfind(':');
    e.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (e.host.empty()) return false;
  if (!port.empty() && !parse_number<std::uint16_t>(port, e.port, 1, 65535)) return false;
  return path.empty() || parse_number(path, e.database, 0, INT_MAX);
}

bool read_unix(std::string_view rest, redis_endpoint& e) {
  auto const q = rest.find('?');
  e.socket_path = rest.substr(0, q);
  if (!e.socket_path.starts_with('/')) return false;
  std::string_view query = q == std::string_view::npos ? "" : rest.substr(q + 1);
  while (!query.empty()) {
    auto const amp = query.find('&');
    auto const item = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    auto const eq = item.find('=');
    auto const key = item.substr(0, eq);
    auto value = percent_decode(eq == std::string_view::npos ? "" : item.substr(eq + 1));
    if (!value) return false;
    if (key == "db") {
      if (!parse_number(std::string_view{*value}, e.database, 0, INT_MAX)) return false;
    } else if (key == "password") {
      e.password = std::move(*value);
    } else if (key == "user") {
      e.username = std::move(*value);
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

result<redis_endpoint> parse_redis_url(std::string_view url, std::string& why) {
  redis_endpoint e;
  bool ok = false;
  if (url.starts_with("redis://")) {
    ok = read_tcp(url.substr(8), e);
  } else if (url.starts_with("unix://")) {
    ok = read_unix(url.substr(7), e);
  }
  if (!ok) {
    why = "redis.url: expected redis://[user:password@]host[:port][/db] or unix:///path[?db=N]";
    return errc::bad_config;
  }
  return e;
}

// ---- encoder

void encode_command(std::string& out, std::vector<std::string> const& args) {
  out += '*';
  out += std::to_string(args.size());
  out += "\r\n";
  for (auto const& a : args) {
    out += '$';
    out += std::to_string(a.size());
    out += "\r\n";
    out += a;
    out += "\r\n";
  }
}

// ---- scripts

redis_script::redis_script(std::string source) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  ::SHA1(reinterpret_cast<unsigned char const*>(source.data()), source.size(), digest);
  static constexpr char hex[] = "0123456789abcdef";
  std::string sha;
  for (unsigned char b : digest) {
    sha += hex[b >> 4];
    sha += hex[b & 15];
  }
  data_ = std::make_shared<data const>(data{std::move(source), std::move(sha)});
}

// ---- decoder

// hiredis builds each reply through these functions: a root is a new redis_reply, an element is
// the slot of its parent's (already sized) vector. The reader frees only roots, on error or at
// the end. Returning nullptr makes the reader fail (REDIS_ERR_OOM), which is how a bound stops it.
struct resp_decoder::state {
  redisReader* reader = nullptr;
  std::size_t max_reply_bytes;
  std::size_t max_elements;
  std::size_t reply_bytes = 0;  // of the reply being built
  bool over_limit = false;
  bool failed = false;

  static state& of(redisReadTask const* task) { return *static_cast<state*>(task->privdata); }

  /// The node for `task`, or nullptr when the reply would pass a bound.
  static redis_reply* place(redisReadTask const* task, std::size_t bytes) {
    state& s = of(task);
    s.reply_bytes += bytes + sizeof(redis_reply);
    if (s.reply_bytes > s.max_reply_bytes) {
      s.over_limit = true;
      return nullptr;
    }
    if (!task->parent) return new redis_reply;
    auto* parent = static_cast<redis_reply*>(task->parent->obj);
    return &parent->elements[static_cast<std::size_t>(task->idx)];
  }

  static void* create_string(redisReadTask const* task, char* text, std::size_t len) {
    redis_reply* r = place(task, len);
    if (!r) return nullptr;
    r->kind = task->type == REDIS_REPLY_ERROR    ? redis_reply::type::error
              : task->type == REDIS_REPLY_STATUS ? redis_reply::type::status
                                                 : redis_reply::type::string;
    r->text.assign(text, len);
    return r;
  }
  static void* create_array(redisReadTask const* task, int elements) {
    state& s = of(task);
    if (elements < 0 || static_cast<std::size_t>(elements) > s.max_elements) {
      s.over_limit = true;
      return nullptr;
    }
    redis_reply* r = place(task, static_cast<std::size_t>(elements) * sizeof(redis_reply));
    if (!r) return nullptr;
    r->kind = redis_reply::type::array;
    r->elements.resize(static_cast<std::size_t>(elements));
    return r;
  }
  static void* create_integer(redisReadTask const* task, long long value) {
    redis_reply* r = place(task, 0);
    if (!r) return nullptr;
    r->kind = redis_reply::type::integer;
    r->integer = value;
    return r;
  }
  static void* create_nil(redisReadTask const* task) {
    redis_reply* r = place(task, 0);
    if (r) r->kind = redis_reply::type::nil;
    return r;
  }
  static void free_object(void* reply) { delete static_cast<redis_reply*>(reply); }
};

resp_decoder::resp_decoder(std::size_t max_reply_bytes, std::size_t max_elements) : state_(std::make_unique<state>()) {
  static redisReplyObjectFunctions functions{&state::create_string, &state::create_array, &state::create_integer,
                                             &state::create_nil, &state::free_object};
  state_->max_reply_bytes = max_reply_bytes;
  state_->max_elements = max_elements;
  state_->reader = redisReaderCreateWithFunctions(&functions);
  if (!state_->reader) throw std::bad_alloc{};
  state_->reader->privdata = state_.get();
}

resp_decoder::~resp_decoder() { redisReaderFree(state_->reader); }

result<void> resp_decoder::feed(std::string_view bytes) {
  if (state_->failed) return errc::protocol_error;
  redisReader* r = state_->reader;
  if (r->len - r->pos + bytes.size() > state_->max_reply_bytes + 64) {  // 64: the reply's header line
    state_->failed = true;
    return errc::too_large;
  }
  if (redisReaderFeed(r, bytes.data(), bytes.size()) != REDIS_OK) {
    state_->failed = true;
    return errc::too_large;  // hiredis fails a feed only when it cannot grow its buffer
  }
  return {};
}

result<std::optional<redis_reply>> resp_decoder::next() {
  if (state_->failed) return errc::protocol_error;
  void* reply = nullptr;
  if (redisReaderGetReply(state_->reader, &reply) != REDIS_OK) {
    state_->failed = true;
    return state_->over_limit ? errc::too_large : errc::protocol_error;
  }
  if (!reply) return std::optional<redis_reply>{};
  std::unique_ptr<redis_reply> owned{static_cast<redis_reply*>(reply)};
  state_->reply_bytes = 0;
  return std::optional<redis_reply>{std::move(*owned)};
}

}  // namespace overworld::store
