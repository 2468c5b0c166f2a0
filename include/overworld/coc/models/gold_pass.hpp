// The current Gold Pass season (GET /goldpass/seasons/current).
#pragma once

#include <overworld/coc/models/common.hpp>

namespace overworld::coc {

struct gold_pass_season {
  std::string start_time;  ///< ISO 8601 basic ("20230601T080100.000Z")
  std::string end_time;
  extra_fields extra;
  raw_json raw;
};

}  // namespace overworld::coc
