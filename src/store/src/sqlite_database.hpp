// The SQLite backend (see database.hpp, open(), for its connection model).
#pragma once

#include <memory>
#include <string_view>

#include "veche/store/database.hpp"

namespace veche::store {

// `path` is a file path or ":memory:"; it is used as it is (no URI parsing).
Result<std::unique_ptr<Database>> open_sqlite(std::string_view path, const OpenOptions& options);

}  // namespace veche::store
