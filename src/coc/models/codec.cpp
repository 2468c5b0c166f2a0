#include "codec.hpp"

#include <cmath>

namespace overworld::coc {

std::optional<std::string_view> find_extra(extra_fields const& extra, std::string_view key) noexcept {
  for (auto const& [k, text] : extra) {
    if (k == key) return std::string_view{text};
  }
  return std::nullopt;
}

}  // namespace overworld::coc

namespace overworld::coc::models_detail {
namespace {

// One parser per thread (parsers are not thread-safe); it keeps its buffers between documents.
od::parser& thread_parser() {
  thread_local od::parser parser;
  return parser;
}

std::string& thread_padded_copy() {
  thread_local std::string copy;
  return copy;
}

}  // namespace

std::string_view trim_right(std::string_view s) noexcept {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

namespace {

simdjson::dom::parser& thread_checker() {
  thread_local simdjson::dom::parser checker;
  return checker;
}

}  // namespace

error_code unescape_raw_string(char const* raw, std::string& out) noexcept {
  // The first structural pass has matched the quotes, so the closing one is there.
  char const* end = raw;
  while (*end != '"') end += *end == '\\' ? 2 : 1;
  std::string_view literal{raw - 1, static_cast<std::size_t>(end - raw) + 2};
  std::string_view value;
  if (auto e = thread_checker().parse(literal.data(), literal.size(), true).get_string().get(value)) return e;
  out.assign(value);
  return simdjson::SUCCESS;
}

std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  append_json_escaped(out, text);
  out += '"';
  return out;
}

error_code raw_value(od::value& v, std::string& out) noexcept {
  od::json_type type{};
  if (auto e = v.type().get(type)) return e;
  std::string_view text;
  switch (type) {
    case od::json_type::object:
    case od::json_type::array: {
      if (type == od::json_type::object) {
        od::object o;
        if (auto e = v.get_object().get(o)) return e;
        if (auto e = o.raw_json().get(text)) return e;
      } else {
        od::array a;
        if (auto e = v.get_array().get(a)) return e;
        if (auto e = a.raw_json().get(text)) return e;
      }
      // On-Demand skips what it is not asked to read without checking it: a full parse keeps
      // malformed JSON out of extra (and out of to_json's output). Unknown containers are rare.
      simdjson::dom::element ignored;
      if (auto e = thread_checker().parse(text.data(), text.size(), true).get(ignored)) return e;
      break;
    }
    case od::json_type::number: {
      text = v.raw_json_token();
      double ignored = 0;
      if (auto e = v.get_double().get(ignored); e && e != simdjson::NUMBER_OUT_OF_RANGE) return e;
      break;
    }
    case od::json_type::string: {
      text = v.raw_json_token();
      std::string_view ignored;
      if (auto e = v.get_string().get(ignored)) return e;
      break;
    }
    case od::json_type::boolean: {
      text = v.raw_json_token();
      bool ignored = false;
      if (auto e = v.get_bool().get(ignored)) return e;
      break;
    }
    case od::json_type::null: {
      text = v.raw_json_token();
      bool null = false;
      if (auto e = v.is_null().get(null)) return e;
      if (!null) return simdjson::N_ATOM_ERROR;
      break;
    }
  }
  out.assign(trim_right(text));
  return simdjson::SUCCESS;
}

void write_value(std::string& out, json_number const& n) {
  if (n.integer && std::isfinite(n.value) && std::abs(n.value) < 9.2e18) {
    write_value(out, static_cast<std::int64_t>(n.value));
    return;
  }
  if (!std::isfinite(n.value)) {  // JSON has no NaN or infinity
    out += "null";
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, n.value);
  std::string_view text{buf, static_cast<std::size_t>(r.ptr - buf)};
  out += text;
  // Keep a decimal a decimal: 100.0 must not come back as the integer 100.
  if (text.find_first_of(".eE") == std::string_view::npos) out += ".0";
}

error_code open_root(std::string const& text, od::document& doc, od::object& root) noexcept {
  auto& parser = thread_parser();
  simdjson::padded_string_view in;
  if (text.capacity() >= text.size() + simdjson::SIMDJSON_PADDING) {
    in = simdjson::padded_string_view{text.data(), text.size(), text.capacity()};
  } else {
    auto& copy = thread_padded_copy();
    if (copy.capacity() < text.size() + simdjson::SIMDJSON_PADDING)
      copy.reserve(text.size() + simdjson::SIMDJSON_PADDING);
    copy.assign(text);
    in = simdjson::padded_string_view{copy.data(), copy.size(), copy.capacity()};
  }
  if (auto e = parser.iterate(in).get(doc)) return e;
  return doc.get_object().get(root);
}

error_code finish_root(od::document& doc) noexcept {
  // Past the root object the iterator must be at the end of the input.
  char const* where = nullptr;
  if (doc.current_location().get(where) == simdjson::SUCCESS) return simdjson::TRAILING_CONTENT;
  return simdjson::SUCCESS;
}

std::string describe_failure(std::string_view model_name, error_code e, failure const& f) {
  std::string out = "cannot decode ";
  out += model_name;
  if (!f.where.empty()) {
    out += ": at ";
    for (auto it = f.where.rbegin(); it != f.where.rend(); ++it) {
      if (it != f.where.rbegin() && it->front() != '[') out += '.';
      out += *it;
    }
  }
  out += ": ";
  out += f.what.empty() ? std::string{simdjson::error_message(e)} : f.what;
  return out;
}

}  // namespace overworld::coc::models_detail
