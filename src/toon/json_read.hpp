// Reading JSON the way the Toontown APIs send it (internal to the SDK): the one loop over an
// object's members (or an array's elements) every parser uses, and values as they come — numbers
// that may be strings, strings that may be null, booleans that may be "true". simdjson On-Demand
// is forward-only, so each helper consumes the value it is given exactly once.
#pragma once

#include <overworld/core/error.hpp>

#include <simdjson.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace overworld::toon::detail {

namespace od = simdjson::ondemand;

/// What a helper found: a value, nothing (null, "", or absent), or a type nobody sends.
enum class read { ok, empty, bad };

inline bool to_int(std::string_view s, std::int64_t& out) noexcept {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return false;
  auto const [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

/// An integer, a whole double, or a string holding an integer (TTR's login sends "60").
inline read read_int(od::value v, std::int64_t& out) noexcept {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return read::bad;
  switch (t) {
    case od::json_type::number: {
      od::number n;
      if (v.get_number().get(n) != simdjson::SUCCESS) return read::bad;
      if (n.is_int64())
        out = n.get_int64();
      else if (double const d = n.get_double(); !n.is_uint64() && d >= -0x1p63 && d < 0x1p63)  // false for NaN
        out = static_cast<std::int64_t>(d);
      else
        return read::bad;  // an unsigned beyond int64_t, or 1e42: no int64_t
      return read::ok;
    }
    case od::json_type::string: {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return read::bad;
      if (s.empty()) return read::empty;
      return to_int(s, out) ? read::ok : read::bad;
    }
    case od::json_type::null:
      return read::empty;
    default:
      return read::bad;
  }
}

inline read read_double(od::value v, double& out) noexcept {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return read::bad;
  if (t == od::json_type::null) return read::empty;
  if (t != od::json_type::number) return read::bad;
  return v.get_double().get(out) == simdjson::SUCCESS ? read::ok : read::bad;
}

/// A string (null reads as empty); numbers and booleans are written out as text.
inline read read_string(od::value v, std::string& out) {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return read::bad;
  switch (t) {
    case od::json_type::string: {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return read::bad;
      out.assign(s);
      return out.empty() ? read::empty : read::ok;
    }
    case od::json_type::null:
      out.clear();
      return read::empty;
    case od::json_type::number:
    case od::json_type::boolean: {
      std::string_view raw = v.raw_json_token();
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
        raw.remove_suffix(1);
      }
      out.assign(raw);
      return read::ok;
    }
    default:
      return read::bad;
  }
}

/// A string, or nullopt for null.
inline read read_optional_string(od::value v, std::optional<std::string>& out) {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return read::bad;
  if (t == od::json_type::null) {
    out.reset();
    return read::empty;
  }
  std::string s;
  auto const r = read_string(v, s);
  if (r != read::bad) out = std::move(s);
  return r;
}

/// true/false, "true"/"false", or 0/1.
inline read read_bool(od::value v, bool& out) noexcept {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return read::bad;
  switch (t) {
    case od::json_type::boolean:
      return v.get_bool().get(out) == simdjson::SUCCESS ? read::ok : read::bad;
    case od::json_type::string: {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return read::bad;
      if (s == "true" || s == "True" || s == "1")
        out = true;
      else if (s == "false" || s == "False" || s == "0")
        out = false;
      else
        return s.empty() ? read::empty : read::bad;
      return read::ok;
    }
    case od::json_type::number: {
      std::int64_t n = 0;
      if (v.get_int64().get(n) != simdjson::SUCCESS) return read::bad;
      out = n != 0;
      return read::ok;
    }
    case od::json_type::null:
      return read::empty;
    default:
      return read::bad;
  }
}

/// A parsed document and what it needs to stay valid (the padded copy and the parser).
struct json_doc {
  simdjson::padded_string padded;
  od::parser parser;
  od::document doc;

  explicit json_doc(std::string_view json) : padded(json) {}
  bool open() { return parser.iterate(padded).get(doc) == simdjson::SUCCESS; }
  bool is(od::json_type want) {
    od::json_type t;
    return doc.type().get(t) == simdjson::SUCCESS && t == want;
  }
};

inline error_code parse_error() noexcept { return make_error_code(errc::parse_error); }

/// Hands each member of `obj` to `member(key, value)`, in order. False when the object is
/// malformed or `member` refuses a value (returns false); the parsers' one reading loop.
template <class Member>
bool read_members(od::object obj, Member&& member) {
  for (auto f : obj) {
    od::field field;
    std::string_view key;
    if (std::move(f).get(field) != simdjson::SUCCESS || field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return false;
    }
    if (!member(key, od::value{field.value()})) return false;
  }
  return true;
}

/// The same for a value that must be an object.
template <class Member>
bool read_members(od::value v, Member&& member) {
  od::object obj;
  return v.get_object().get(obj) == simdjson::SUCCESS && read_members(obj, std::forward<Member>(member));
}

/// The members of a document's root object (false when it is not JSON or not an object).
template <class Member>
bool read_root_members(json_doc& d, Member&& member) {
  od::object root;
  return d.open() && d.doc.get_object().get(root) == simdjson::SUCCESS &&
         read_members(root, std::forward<Member>(member));
}

/// Hands each element of `arr` to `element(value)`, in order; false when `element` refuses one.
template <class Element>
bool read_elements(od::array arr, Element&& element) {
  for (auto e : arr) {
    od::value item;
    if (e.get(item) != simdjson::SUCCESS || !element(item)) return false;
  }
  return true;
}

/// The elements of a document's root array.
template <class Element>
bool read_root_elements(json_doc& d, Element&& element) {
  od::array items;
  return d.open() && d.doc.get_array().get(items) == simdjson::SUCCESS &&
         read_elements(items, std::forward<Element>(element));
}

/// The JSON text of an array element or object member, to parse it on its own.
inline bool raw_of(od::value v, std::string_view& out) noexcept {
  od::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return false;
  if (t == od::json_type::object) {
    od::object o;
    return v.get_object().get(o) == simdjson::SUCCESS && o.raw_json().get(out) == simdjson::SUCCESS;
  }
  if (t == od::json_type::array) {
    od::array a;
    return v.get_array().get(a) == simdjson::SUCCESS && a.raw_json().get(out) == simdjson::SUCCESS;
  }
  out = v.raw_json_token();
  return true;
}

}  // namespace overworld::toon::detail
