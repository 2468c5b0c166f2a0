// The one reader and writer behind every model: a model is a table of (JSON key, member) pairs
// (fields.hpp); these templates read a parsed simdjson document (DOM) into it and write it back.
//
// The whole answer is parsed first (simdjson's DOM: both passes run with the kernel chosen for
// this CPU at run time, and the document is checked whole before any model is built), then
// reading walks each object's keys in document order and looks each up in the table, starting
// after the last key found (the API sends its keys in a stable order, so the first comparison
// nearly always hits). A key not in the table, a null for an optional member and an enum string
// this SDK does not know go to `extra` with their JSON text (compact). Errors unwind as simdjson error
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

namespace dom = simdjson::dom;
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
/// The JSON text of a value the model does not read (compact: no white space between tokens).
void raw_value(dom::element v, std::string& out);

template <class T>
error_code read_object(T& out, dom::object obj, failure& f) noexcept;

// The scalar readers are flattened: simdjson's getters return a (value, error) pair that g++ 12
// builds on the stack and reloads whole when the getter is not inlined, a store-forwarding stall
// per value that showed as 8% of decoding the player.
[[gnu::flatten]] inline error_code read_value(std::string& out, dom::element v, failure&) noexcept {
  std::string_view s;
  if (auto e = v.get_string().get(s)) return e;
  out.assign(s);
  return simdjson::SUCCESS;
}

[[gnu::flatten]] inline error_code read_value(game_text& out, dom::element v, failure&) noexcept {
  std::string_view s;
  if (auto e = v.get_string().get(s)) return e;
  out = game_text{s};
  return simdjson::SUCCESS;
}

[[gnu::flatten]] inline error_code read_value(std::int64_t& out, dom::element v, failure&) noexcept {
  return v.get_int64().get(out);
}

[[gnu::flatten]] inline error_code read_value(int& out, dom::element v, failure&) noexcept {
  std::int64_t n = 0;
  if (auto e = v.get_int64().get(n)) return e;
  if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max()) return simdjson::NUMBER_OUT_OF_RANGE;
  out = static_cast<int>(n);
  return simdjson::SUCCESS;
}

[[gnu::flatten]] inline error_code read_value(bool& out, dom::element v, failure&) noexcept {
  return v.get_bool().get(out);
}

[[gnu::flatten]] inline error_code read_value(json_number& out, dom::element v, failure&) noexcept {
  auto const type = v.type();
  if (type != dom::element_type::INT64 && type != dom::element_type::UINT64 && type != dom::element_type::DOUBLE)
    return simdjson::INCORRECT_TYPE;
  out.integer = type != dom::element_type::DOUBLE;
  return v.get_double().get(out.value);
}

template <class T>
requires requires { model<T>::fields; }
error_code read_value(T& out, dom::element v, failure& f) noexcept {
  dom::object obj;
  if (auto e = v.get_object().get(obj)) return e;
  return read_object(out, obj, f);
}

template <class X>
error_code read_value(std::vector<X>& out, dom::element v, failure& f) noexcept {
  static_assert(!std::is_enum_v<X>, "arrays of enums need a place for unknown values");
  dom::array arr;
  if (auto e = v.get_array().get(arr)) return e;
  out.clear();
  // The parsed document knows the element count: one allocation of the right size.
  out.reserve(arr.size());
  std::size_t i = 0;
  for (dom::element item : arr) {
    if (auto e = read_value(out.emplace_back(), item, f)) {
      f.where.push_back("[" + std::to_string(i) + "]");
      return e;
    }
    ++i;
  }
  return simdjson::SUCCESS;
}

/// parse_enum for the reader: the value through `out` and whether it is known. (Returning the
/// value as a bool keeps it in a register; g++ 12 returns a std::optional of an enum through the
/// stack, and reloading it whole stalls on the store it was built with.)
#define OVERWORLD_COC_ENUM_FROM_TEXT(E) bool enum_from_text(std::string_view text, E& out) noexcept;
OVERWORLD_COC_ENUMS(OVERWORLD_COC_ENUM_FROM_TEXT)
#undef OVERWORLD_COC_ENUM_FROM_TEXT

/// An enum member: an unknown string becomes E::unknown and is kept in `extra`.
template <class E>
[[gnu::flatten]] error_code read_enum(E& out, dom::element v, std::string_view key, extra_fields& extra) {
  std::string_view s;
  if (auto e = v.get_string().get(s)) return e;
  if (!enum_from_text(s, out)) {
    out = E::unknown;
    std::string text;
    raw_value(v, text);
    extra.emplace_back(std::string{key}, std::move(text));
  }
  return simdjson::SUCCESS;
}

template <class T, std::size_t I>
error_code read_field(T& obj, dom::element v, failure& f) noexcept {
  auto const& def = std::get<I>(model<T>::fields);
  auto& member = obj.*(def.member);
  using M = std::remove_cvref_t<decltype(member)>;
  if constexpr (is_optional<M>::value) {
    // A null is kept in `extra`, so that writing the model back gives the null again.
    if (v.is_null()) {
      member.reset();
      obj.extra.emplace_back(std::string{def.name}, "null");
      return simdjson::SUCCESS;
    }
    using X = typename M::value_type;
    if constexpr (std::is_enum_v<X>) {
      X value{};
      auto const e = read_enum(value, v, def.name, obj.extra);
      if (!e) member = value;
      return e;
    } else {
      return read_value(member.emplace(), v, f);
    }
  } else if constexpr (std::is_enum_v<M>) {
    return read_enum(member, v, def.name, obj.extra);
  } else {
    return read_value(member, v, f);
  }
}

template <class T>
using field_reader = error_code (*)(T&, dom::element, failure&) noexcept;

template <class T, std::size_t... I>
constexpr std::array<field_reader<T>, sizeof...(I)> readers_of(std::index_sequence<I...>) {
  return {&read_field<T, I>...};
}

template <class T>
constexpr auto field_readers = readers_of<T>(std::make_index_sequence<field_count<T>>{});

/// A field name as its first 16 bytes, for comparing keys a word at a time: most names are at
/// most 16 characters, so two masked 8-byte compares decide without a call to memcmp.
struct key_probe {
  std::array<std::uint64_t, 2> prefix{};
  std::array<std::uint64_t, 2> mask{};
};

constexpr key_probe probe_of(std::string_view name) {
  static_assert(std::endian::native == std::endian::little, "key probes assume little-endian loads");
  key_probe p;
  for (std::size_t i = 0; i < name.size() && i < 16; ++i) {
    p.prefix[i / 8] |= std::uint64_t{static_cast<unsigned char>(name[i])} << (8 * (i % 8));
    p.mask[i / 8] |= std::uint64_t{0xff} << (8 * (i % 8));
  }
  return p;
}

template <class T, std::size_t... I>
constexpr std::array<key_probe, sizeof...(I)> probes_of(std::index_sequence<I...>) {
  return {probe_of(std::get<I>(model<T>::fields).name)...};
}

template <class T>
constexpr auto field_probes = probes_of<T>(std::make_index_sequence<field_count<T>>{});

/// Whether `key` (a string of the parsed document) is `name`. Loading 16 bytes from the key stays
/// inside the parser's string buffer, which ends with SIMDJSON_PADDING spare bytes.
inline bool key_is(std::string_view key, key_probe const& probe, std::string_view name) noexcept {
  if (key.size() != name.size()) return false;
  std::array<std::uint64_t, 2> words{};
  std::memcpy(words.data(), key.data(), sizeof words);
  if (((words[0] & probe.mask[0]) ^ probe.prefix[0]) | ((words[1] & probe.mask[1]) ^ probe.prefix[1])) return false;
  return name.size() <= 16 || std::memcmp(key.data() + 16, name.data() + 16, name.size() - 16) == 0;
}

/// The index of `key` in T's table, looked for from `next` on (the API sends its keys in a stable
/// order, so the first comparison nearly always hits); field_count<T> when it is not there.
template <class T>
std::size_t find_field(std::string_view key, std::size_t next) noexcept {
  constexpr std::size_t n = field_count<T>;
  auto const& names = field_names<T>;
  auto const& probes = field_probes<T>;
  for (std::size_t k = 0, i = next; k < n; ++k, i = (i + 1 == n ? 0 : i + 1)) {
    if (key_is(key, probes[i], names[i])) return i;
  }
  return n;
}

/// "missing field \"name\"" for the first required field of T whose bit is not in `seen`.
template <class T>
std::string missing_field(std::uint64_t seen) {
  auto const missing = required_fields<T> & ~seen;
  return "missing field \"" + std::string{field_names<T>[static_cast<std::size_t>(std::countr_zero(missing))]} + "\"";
}

template <class T>
error_code read_object(T& out, dom::object obj, failure& f) noexcept {
  constexpr std::size_t n = field_count<T>;
  static_assert(n <= 64, "a model has at most 64 fields");
  std::uint64_t seen = 0;
  std::size_t next = 0;
  for (dom::key_value_pair entry : obj) {
    std::size_t const found = find_field<T>(entry.key, next);
    if (found == n) {
      std::string text;
      raw_value(entry.value, text);
      out.extra.emplace_back(std::string{entry.key}, std::move(text));
      continue;
    }
    if (auto e = field_readers<T>[found](out, entry.value, f)) {
      f.where.emplace_back(field_names<T>[found]);
      return e;
    }
    seen |= std::uint64_t{1} << found;
    next = found + 1 == n ? 0 : found + 1;
  }
  if ((required_fields<T> & ~seen) != 0) {
    f.what = missing_field<T>(seen);
    return simdjson::NO_SUCH_FIELD;
  }
  return simdjson::SUCCESS;
}

// ---- writing ---------------------------------------------------------------------------------

/// A JSON string: a std::string member, a game_text (through its string_view), a key.
inline void write_value(std::string& out, std::string_view s) {
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

/// Answers up to this size are parsed by a parser kept per thread; a larger one gets a parser of
/// its own, freed with it, so that one huge answer does not pin about ten times its size per thread.
inline constexpr std::size_t kept_parser_bytes = std::size_t{4} << 20;

/// Parses `text` (through a padded copy when the string's capacity leaves less than
/// SIMDJSON_PADDING spare bytes) with this thread's parser, or with `own` for a large answer,
/// and opens its root object.
error_code open_root(std::string const& text, std::optional<dom::parser>& own, dom::object& root) noexcept;
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
  std::optional<dom::parser> own;
  dom::object root;
  T out;
  auto e = open_root(*text, own, root);
  if (!e) e = read_object(out, root, f);
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
