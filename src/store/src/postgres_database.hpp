// The PostgreSQL backend, through libpq (see database.hpp, open(), for its connection model).
#pragma once

#include <memory>
#include <string_view>

#include "veche/store/database.hpp"

namespace veche::store {

// `url` is a libpq connection URI ("postgresql://..."); it never appears in an error message.
Result<std::unique_ptr<Database>> open_postgres(std::string_view url, const OpenOptions& options);

}  // namespace veche::store
