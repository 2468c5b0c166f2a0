// One prepared statement run once per row: reset, bind the row's values in order, execute. For
// the stores' bulk copies (admin migrate) and batched inserts.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>

namespace overworld::store {

namespace detail {
// In this order: the optional's overload must see the other two (an integer finds no overload by
// argument-dependent lookup, and would bind as a bool).
inline void bind_value(SQLite::Statement& q, int index, bool value) { q.bind(index, value ? 1 : 0); }
template <class T>
void bind_value(SQLite::Statement& q, int index, T const& value) {
  q.bind(index, value);
}
template <class T>
void bind_value(SQLite::Statement& q, int index, std::optional<T> const& value) {
  if (value)
    bind_value(q, index, *value);
  else
    q.bind(index);  // NULL
}
}  // namespace detail

/// Runs `q` again with `values` bound to its parameters 1, 2, …: a bool binds 0 or 1, an empty
/// optional NULL.
template <class... T>
void exec_row(SQLite::Statement& q, T const&... values) {
  q.reset();
  int index = 0;
  (detail::bind_value(q, ++index, values), ...);
  q.exec();
}

}  // namespace overworld::store
