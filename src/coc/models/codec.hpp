// The one reader and writer behind every model: a model is a table of (JSON key, member) pairs
// (fields.hpp); these templates read a simdjson On-Demand object into it and write it back.
//
// Reading walks the object's keys in document order and looks each up in the table, starting
// after the last key found (the API sends its keys in a stable order, so the first comparison
// nearly always hits). A key not in the table, a null for an optional member and an enum string
// this SDK does not know go to `extra` with their raw JSON text. Errors unwind as simdjson error
// codes, collecting the path ("items[3].clan.tag") on the way out, so the happy path pays nothing
// for messages.
#pragma once

#include <overworld/coc/models/decode.hpp>
#include <overworld/core/log.hpp>

#include <simdjson.h>

#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace overworld::coc::models_detail {

namespace od = simdjson::ondemand;
using simdjson::error_code;

/// Where and why a read failed, filled while unwinding (innermost segment first).
struct failure {
  std::vector<std::string> where;
  std::string what;  ///< set for failures that are not simdjson's (a missing field)
};

template <class T, class M>
struct field_def {
  std::string_view name;
  M T::*member;
};

template <class T, class M>
constexpr field_def<T, M> field(std::string_view name, M T::*member) {
  return {name, member};
}

/// Specialised for each model in fields.hpp: `name` (for messages) and `fields` (a tuple of field_def).
template <class T>
struct model;

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

template <class M>
struct unwrap_optional {
  using type = M;
};
template <class M>
struct unwrap_optional<std::optional<M>> {
  using type = M;
};

template <class T>
constexpr std::size_t field_count = std::tuple_size_v<std::remove_cv_t<decltype(model<T>::fields)>>;

template <class T, std::size_t... I>
constexpr std::array<std::string_view, sizeof...(I)> names_of(std::index_sequence<I...>) {
  return {std::get<I>(model<T>::fields).name...};
}

template <class T>
constexpr auto field_names = names_of<T>(std::make_index_sequence<field_count<T>>{});

/// Bit I set when field I is required (a member that is not std::optional).
template <class T, std::size_t... I>
constexpr std::uint64_t required_of(std::index_sequence<I...>) {
  std::uint64_t mask = 0;
  ((mask |=
    is_optional<std::remove_cvref_t<decltype(std::declval<T&>().*(std::get<I>(model<T>::fields).member))>>::value
        ? 0
        : (std::uint64_t{1} << I)),
   ...);
  return mask;
}

template <class T>
constexpr std::uint64_t required_fields = required_of<T>(std::make_index_sequence<field_count<T>>{});

template <class T>
std::size_t index_of_field(std::string_view key) noexcept {
  auto const& names = field_names<T>;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == key) return i;
  }
  return names.size();
}

// ---- reading ---------------------------------------------------------------------------------

std::string_view trim_right(std::string_view s) noexcept;
/// The raw JSON text of a value the model does not read; objects and arrays are validated
/// (On-Demand would otherwise skip them unchecked).
error_code raw_value(od::value& v, std::string& out) noexcept;
/// A JSON string literal of `text` (quoted and escaped).
std::string quoted(std::string_view text);

template <class T>
error_code read_object(T& out, od::object obj, failure& f) noexcept;
/// The value of the JSON string whose characters start at `raw` (just past the opening quote).
error_code unescape_raw_string(char const* raw, std::string& out) noexcept;

/// The first '"' or '\\' at or after `p`, eight bytes at a time (SWAR). Reading up to seven bytes
/// past the closing quote stays inside the input: the parser's buffer has SIMDJSON_PADDING after
/// the document.
inline char const* quote_or_backslash(char const* p) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  for (;; p += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, sizeof word);
    std::uint64_t const q = word ^ (ones * static_cast<unsigned char>('"'));
    std::uint64_t const b = word ^ (ones * static_cast<unsigned char>('\\'));
    // A zero byte in q or b is a match; the lowest flagged byte is always a true one.
    std::uint64_t const hits = (((q - ones) & ~q) | ((b - ones) & ~b)) & highs;
    if (hits != 0) return p + (std::countr_zero(hits) >> 3);
  }
}

/// The characters of a string value as they lie in the input when it has no escape (most API
/// strings), else its unescaped value in `scratch`. Skipping the parser's own unescaping saves a
/// copy per string; the first pass has already checked UTF-8 and control characters.
inline error_code string_of(od::value& v, std::string_view& out, std::string& scratch) noexcept {
  od::raw_json_string raw;
  if (auto e = v.get_raw_json_string().get(raw)) return e;
  char const* begin = raw.raw();
  // The first pass matched the quotes: the closing one is there.
  char const* end = quote_or_backslash(begin);
  if (*end == '"') {
    out = std::string_view{begin, static_cast<std::size_t>(end - begin)};
    return simdjson::SUCCESS;
  }
  if (auto e = unescape_raw_string(begin, scratch)) return e;
  out = scratch;
  return simdjson::SUCCESS;
}

inline error_code read_value(std::string& out, od::value& v, failure&) noexcept {
  std::string_view s;
  std::string scratch;
  if (auto e = string_of(v, s, scratch)) return e;
  out.assign(s);
  return simdjson::SUCCESS;
}

inline error_code read_value(std::int64_t& out, od::value& v, failure&) noexcept { return v.get_int64().get(out); }

inline error_code read_value(int& out, od::value& v, failure&) noexcept {
  std::int64_t n = 0;
  if (auto e = v.get_int64().get(n)) return e;
  if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max()) return simdjson::NUMBER_OUT_OF_RANGE;
  out = static_cast<int>(n);
  return simdjson::SUCCESS;
}

inline error_code read_value(bool& out, od::value& v, failure&) noexcept { return v.get_bool().get(out); }

inline error_code read_value(json_number& out, od::value& v, failure&) noexcept {
  od::number_type type{};
  if (auto e = v.get_number_type().get(type)) return e;
  out.integer = type != od::number_type::floating_point_number;
  return v.get_double().get(out.value);
}

template <class T>
requires requires { model<T>::fields; }
error_code read_value(T& out, od::value& v, failure& f) noexcept {
  od::object obj;
  if (auto e = v.get_object().get(obj)) return e;
  return read_object(out, obj, f);
}

template <class X>
error_code read_elements(std::vector<X>& into, od::array& arr, failure& f) noexcept {
  std::size_t i = 0;
  for (auto element : arr) {
    od::value item;
    auto e = element.get(item);
    if (!e) {
      into.emplace_back();
      e = read_value(into.back(), item, f);
    }
    if (e) {
      f.where.push_back("[" + std::to_string(i) + "]");
      return e;
    }
    ++i;
  }
  return simdjson::SUCCESS;
}

template <class X>
error_code read_value(std::vector<X>& out, od::value& v, failure& f) noexcept {
  static_assert(!std::is_enum_v<X>, "arrays of enums need a place for unknown values");
  od::array arr;
  if (auto e = v.get_array().get(arr)) return e;
  out.clear();
  // The elements go to a per-thread scratch vector that keeps its capacity from one answer to the
  // next, then move into `out` in one allocation of the exact size: growing `out` element by
  // element would allocate and move about log2(n) times, and the large blocks it frees make the
  // allocator consolidate its small free chunks on the next large request.
  thread_local std::vector<X> scratch;
  thread_local bool busy = false;
  if (busy) return read_elements(out, arr, f);  // an X that holds a vector<X>
  busy = true;
  scratch.clear();
  auto const e = read_elements(scratch, arr, f);
  if (!e) out.assign(std::make_move_iterator(scratch.begin()), std::make_move_iterator(scratch.end()));
  scratch.clear();
  constexpr std::size_t kept_bytes = std::size_t{256} * 1024;  // a rare huge list does not stay pinned
  if (scratch.capacity() * sizeof(X) > kept_bytes) std::vector<X>{}.swap(scratch);
  busy = false;
  return e;
}

/// An enum member: an unknown string becomes E::unknown and is kept in `extra`.
template <class E>
error_code read_enum(E& out, od::value& v, std::string_view key, extra_fields& extra) noexcept {
  // Enum strings are short and never escaped: compare them where they lie instead of having the
  // parser copy them out; a string with an escape takes the general path.
  std::string_view s;
  std::string scratch;
  if (auto e = string_of(v, s, scratch)) return e;
  if (auto known = parse_enum<E>(s)) {
    out = *known;
  } else {
    out = E::unknown;
    extra.emplace_back(std::string{key}, quoted(s));
  }
  return simdjson::SUCCESS;
}

template <class T, std::size_t I>
error_code read_field(T& obj, od::value& v, failure& f) noexcept {
  auto const& def = std::get<I>(model<T>::fields);
  auto& member = obj.*(def.member);
  using M = std::remove_cvref_t<decltype(member)>;
  if constexpr (is_optional<M>::value) {
    using X = typename M::value_type;
    // Read the value first: a null fails the type check without being consumed, and is looked
    // for only then (optional fields are nearly always present).
    error_code e = simdjson::SUCCESS;
    if constexpr (std::is_enum_v<X>) {
      X value{};
      e = read_enum(value, v, def.name, obj.extra);
      if (!e) member = value;
    } else {
      e = read_value(member.emplace(), v, f);
    }
    if (e == simdjson::INCORRECT_TYPE && f.where.empty()) {
      bool null = false;
      if (v.is_null().get(null) == simdjson::SUCCESS && null) {
        member.reset();
        obj.extra.emplace_back(std::string{def.name}, "null");
        return simdjson::SUCCESS;
      }
    }
    return e;
  } else if constexpr (std::is_enum_v<M>) {
    return read_enum(member, v, def.name, obj.extra);
  } else {
    return read_value(member, v, f);
  }
}

template <class T>
using field_reader = error_code (*)(T&, od::value&, failure&) noexcept;

template <class T, std::size_t... I>
constexpr std::array<field_reader<T>, sizeof...(I)> readers_of(std::index_sequence<I...>) {
  return {&read_field<T, I>...};
}

template <class T>
constexpr auto field_readers = readers_of<T>(std::make_index_sequence<field_count<T>>{});

/// A key to look for, as the first 8 bytes it starts with: a name shorter than 8 characters
/// includes its closing quote, so one masked compare decides. The raw key is followed by at least
/// `":` and a value, and the buffer by SIMDJSON_PADDING bytes, so loading 8 bytes (or the name's
/// length + 1) from it stays inside the buffer.
struct key_probe {
  std::uint64_t prefix = 0;
  std::uint64_t mask = 0;
};

constexpr key_probe probe_of(std::string_view name) {
  static_assert(std::endian::native == std::endian::little, "key probes assume little-endian loads");
  key_probe p;
  std::size_t const n = name.size() < 8 ? name.size() + 1 : 8;
  for (std::size_t i = 0; i < n; ++i) {
    auto const c = i < name.size() ? static_cast<unsigned char>(name[i]) : static_cast<unsigned char>('"');
    p.prefix |= std::uint64_t{c} << (8 * i);
    p.mask |= std::uint64_t{0xff} << (8 * i);
  }
  return p;
}

template <class T, std::size_t... I>
constexpr std::array<key_probe, sizeof...(I)> probes_of(std::index_sequence<I...>) {
  return {probe_of(std::get<I>(model<T>::fields).name)...};
}

template <class T>
constexpr auto field_probes = probes_of<T>(std::make_index_sequence<field_count<T>>{});

/// Whether the raw (still escaped) key equals `name`, a plain identifier.
inline bool key_is(char const* raw, key_probe const& probe, std::string_view name) noexcept {
  std::uint64_t word = 0;
  std::memcpy(&word, raw, sizeof word);
  if ((word & probe.mask) != probe.prefix) return false;
  if (name.size() < 8) return true;
  return std::memcmp(raw + 8, name.data() + 8, name.size() - 8) == 0 && raw[name.size()] == '"';
}

template <class T>
error_code read_object(T& out, od::object obj, failure& f) noexcept {
  constexpr std::size_t n = field_count<T>;
  static_assert(n <= 64, "a model has at most 64 fields");
  auto const& names = field_names<T>;
  auto const& probes = field_probes<T>;
  std::uint64_t seen = 0;
  std::size_t next = 0;
  for (auto entry : obj) {
    od::field fld;
    if (auto e = std::move(entry).get(fld)) return e;
    char const* raw = fld.key().raw();
    std::size_t found = n;
    for (std::size_t k = 0, i = next; k < n; ++k, i = (i + 1 == n ? 0 : i + 1)) {
      if (key_is(raw, probes[i], names[i])) {
        found = i;
        break;
      }
    }
    if (found < n) {
      if (auto e = field_readers<T>[found](out, fld.value(), f)) {
        f.where.emplace_back(names[found]);
        return e;
      }
      seen |= std::uint64_t{1} << found;
      next = found + 1 == n ? 0 : found + 1;
      continue;
    }
    std::string_view key;
    if (auto e = fld.unescaped_key().get(key)) return e;
    std::string name{key};
    std::string text;
    if (auto e = raw_value(fld.value(), text)) {
      f.where.push_back(std::move(name));
      return e;
    }
    out.extra.emplace_back(std::move(name), std::move(text));
  }
  if (auto const missing = required_fields<T> & ~seen) {
    for (std::size_t i = 0; i < n; ++i) {
      if (missing & (std::uint64_t{1} << i)) {
        f.what = "missing field \"" + std::string{names[i]} + "\"";
        break;
      }
    }
    return simdjson::NO_SUCH_FIELD;
  }
  return simdjson::SUCCESS;
}

// ---- writing ---------------------------------------------------------------------------------

inline void write_value(std::string& out, std::string const& s) {
  out += '"';
  append_json_escaped(out, s);
  out += '"';
}

inline void write_value(std::string& out, std::int64_t n) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

inline void write_value(std::string& out, int n) { write_value(out, static_cast<std::int64_t>(n)); }
inline void write_value(std::string& out, bool b) { out += b ? "true" : "false"; }
void write_value(std::string& out, json_number const& n);

template <class E>
requires std::is_enum_v<E>
void write_value(std::string& out, E e) {
  out += '"';
  out += to_string(e);
  out += '"';
}

template <class T>
requires requires { model<T>::fields; }
void write_value(std::string& out, T const& obj);

template <class X>
void write_value(std::string& out, std::vector<X> const& items) {
  out += '[';
  bool first = true;
  for (auto const& item : items) {
    if (!first) out += ',';
    first = false;
    write_value(out, item);
  }
  out += ']';
}

template <class T, std::size_t I>
void write_field(std::string& out, T const& obj, bool& first, std::uint64_t& written) {
  auto const& def = std::get<I>(model<T>::fields);
  auto const& member = obj.*(def.member);
  using M = std::remove_cvref_t<decltype(member)>;
  using X = typename unwrap_optional<M>::type;
  X const* value = nullptr;
  if constexpr (is_optional<M>::value) {
    if (!member) return;
    value = &*member;
  } else {
    value = &member;
  }
  // An enum value this SDK did not know is written from extra, as it came.
  if constexpr (std::is_enum_v<X>) {
    if (*value == X::unknown && !obj.extra.empty() && find_extra(obj.extra, def.name)) return;
  }
  if (!first) out += ',';
  first = false;
  out += '"';
  out += def.name;
  out += "\":";
  write_value(out, *value);
  written |= std::uint64_t{1} << I;
}

template <class T, std::size_t... I>
void write_fields(std::string& out, T const& obj, bool& first, std::uint64_t& written, std::index_sequence<I...>) {
  (write_field<T, I>(out, obj, first, written), ...);
}

template <class T>
requires requires { model<T>::fields; }
void write_value(std::string& out, T const& obj) {
  out += '{';
  bool first = true;
  std::uint64_t written = 0;
  write_fields(out, obj, first, written, std::make_index_sequence<field_count<T>>{});
  for (auto const& [key, text] : obj.extra) {
    // A member set since decoding wins over the null or unknown value kept for it.
    auto const i = index_of_field<T>(key);
    if (i < field_count<T> && (written & (std::uint64_t{1} << i))) continue;
    if (!first) out += ',';
    first = false;
    write_value(out, key);
    out += ':';
    out += text;
  }
  out += '}';
}

// ---- entry points ----------------------------------------------------------------------------

/// Iterates `text` with this thread's parser (through a padded copy when the string's capacity
/// leaves less than SIMDJSON_PADDING spare bytes) and opens its root object.
error_code open_root(std::string const& text, od::document& doc, od::object& root) noexcept;
/// After the root object: anything but white space left is an error.
error_code finish_root(od::document& doc) noexcept;
/// "cannot decode <model>: at items[3].tag: <reason>".
std::string describe_failure(std::string_view model_name, error_code e, failure const& f);

template <class T>
concept top_level = requires(T t) {
  t.raw;
};

template <class T>
struct label_of {
  static std::string get() { return std::string{model<T>::name}; }
};
template <class T>
struct label_of<list<T>> {
  static std::string get() { return "list of " + label_of<T>::get(); }
};

template <class T>
api_result<T> decode_shared(std::shared_ptr<std::string const> text, std::chrono::seconds max_age, bool from_cache) {
  if (!text) text = std::make_shared<std::string const>();
  failure f;
  od::document doc;
  od::object root;
  T out;
  auto e = open_root(*text, doc, root);
  if (!e) e = read_object(out, root, f);
  if (!e) e = finish_root(doc);
  if (e)
    return api_result<T>{boost::system::in_place_error, decode_error({}, describe_failure(label_of<T>::get(), e, f))};
  if constexpr (top_level<T>) out.raw = raw_json{std::move(text), max_age, from_cache};
  return out;
}

}  // namespace overworld::coc::models_detail

namespace overworld::coc {

template <class T>
api_result<T> decode(std::string_view json) {
  auto text = std::make_shared<std::string>();
  text->reserve(json.size() + simdjson::SIMDJSON_PADDING);
  text->assign(json);
  return models_detail::decode_shared<T>(std::move(text), std::chrono::seconds{0}, false);
}

template <class T>
api_result<T> decode(std::shared_ptr<std::string const> json, std::chrono::seconds max_age, bool from_cache) {
  return models_detail::decode_shared<T>(std::move(json), max_age, from_cache);
}

template <class T>
std::string to_json(T const& model) {
  std::string out;
  models_detail::write_value(out, model);
  return out;
}

}  // namespace overworld::coc

/// Explicit instantiations of decode and to_json for a top-level model.
#define OVERWORLD_COC_DECODABLE(T)                                                                       \
  template ::overworld::coc::api_result<T> overworld::coc::decode<T>(std::string_view);                  \
  template ::overworld::coc::api_result<T> overworld::coc::decode<T>(std::shared_ptr<std::string const>, \
                                                                     std::chrono::seconds, bool);        \
  template std::string overworld::coc::to_json<T>(T const&);

/// Explicit instantiation of to_json for a model that only appears inside others.
#define OVERWORLD_COC_WRITABLE(T) template std::string overworld::coc::to_json<T>(T const&);
