// Checks shared by both backends, so that a value one backend cannot keep is refused by both.
#pragma once

#include <cstddef>

#include "veche/store/database.hpp"

namespace veche::store {

// kInvalidArgument for a NaN (SQLite would store NULL), or text that is not valid UTF-8 or
// holds a NUL byte (PostgreSQL text cannot); `index` counts from 1 for the message.
Status check_param(const Value& value, std::size_t index);

}  // namespace veche::store
