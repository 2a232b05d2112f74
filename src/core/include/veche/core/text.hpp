// Text helpers that every module needs and that must be right: UTF-8 validity, hex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/result.hpp"

namespace veche::core {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

// Number of code points in valid UTF-8 `s` (for length limits people understand).
std::size_t utf8_length(std::string_view s) noexcept;

// Removes ASCII white space at both ends.
std::string_view trim(std::string_view s) noexcept;

// Checks a line of user text: valid UTF-8, no control characters (tab and newline allowed
// when `multiline`), at most `max_chars` code points. kInvalidArgument names `field`.
Status check_text(std::string_view field, std::string_view s, std::size_t max_chars,
                  bool multiline = false);

std::string to_hex(std::span<const std::byte> bytes);
std::string to_hex(std::string_view bytes);
// Lowercase or uppercase hex of even length; anything else is kInvalidArgument.
Result<std::vector<std::byte>> from_hex(std::string_view hex);

}  // namespace veche::core
