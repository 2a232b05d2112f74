// Times in forms: the value of a datetime-local field, and what a person or a script may type
// into one. All times are UTC.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "veche/core/clock.hpp"

namespace veche::http {

// "2026-11-27T13:05" for a datetime-local field.
std::string local_field(core::TimePoint t);

// Parses "2026-11-27T13:05", "2026-11-27T13:05:00" or the same with a final "Z" (UTC);
// nullopt for anything else, an impossible date included.
std::optional<core::TimePoint> parse_time(std::string_view s);

}  // namespace veche::http
