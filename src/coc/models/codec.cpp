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
dom::parser& thread_parser() {
  thread_local dom::parser parser;
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

std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  append_json_escaped(out, text);
  out += '"';
  return out;
}

void raw_value(dom::element v, std::string& out) {
  switch (v.type()) {
    case dom::element_type::ARRAY: {
      out += '[';
      bool first = true;
      dom::array const items = v.get_array().value_unsafe();
      for (dom::element item : items) {
        if (!std::exchange(first, false)) out += ',';
        raw_value(item, out);
      }
      out += ']';
      break;
    }
    case dom::element_type::OBJECT: {
      out += '{';
      bool first = true;
      dom::object const fields = v.get_object().value_unsafe();
      for (dom::key_value_pair entry : fields) {
        if (!std::exchange(first, false)) out += ',';
        out += quoted(entry.key);
        out += ':';
        raw_value(entry.value, out);
      }
      out += '}';
      break;
    }
    case dom::element_type::INT64:
      write_value(out, v.get_int64().value_unsafe());
      break;
    case dom::element_type::UINT64: {
      char buf[24];
      auto const r = std::to_chars(buf, buf + sizeof buf, v.get_uint64().value_unsafe());
      out.append(buf, r.ptr);
      break;
    }
    case dom::element_type::DOUBLE:
      write_value(out, json_number{v.get_double().value_unsafe(), false});
      break;
    case dom::element_type::STRING:
      out += quoted(v.get_string().value_unsafe());
      break;
    case dom::element_type::BOOL:
      out += v.get_bool().value_unsafe() ? "true" : "false";
      break;
    case dom::element_type::NULL_VALUE:
      out += "null";
      break;
  }
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

error_code open_root(std::string const& text, std::optional<dom::parser>& own, dom::object& root) noexcept {
  bool const large = text.size() > kept_parser_bytes;
  auto& parser = large ? own.emplace() : thread_parser();
  if (text.capacity() >= text.size() + simdjson::SIMDJSON_PADDING) {
    dom::element doc;
    if (auto e = parser.parse(text.data(), text.size(), false).get(doc)) return e;
    return doc.get_object().get(root);
  }
  // The parsed document holds its own copy of every string, so the padded copy is not needed
  // after parsing: a large one is freed at once, a small one keeps its capacity for the next.
  std::string large_copy;
  auto& copy = large ? large_copy : thread_padded_copy();
  if (copy.capacity() < text.size() + simdjson::SIMDJSON_PADDING)
    copy.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  copy.assign(text);
  dom::element doc;
  if (auto e = parser.parse(copy.data(), copy.size(), false).get(doc)) return e;
  return doc.get_object().get(root);
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
