// A numbered schema migration. Each store applies, in order, the ones its database has not seen.
#pragma once

#include <string>

namespace overworld::store {

struct migration {
  int version;
  std::string sql;  ///< may hold several statements
};

}  // namespace overworld::store
