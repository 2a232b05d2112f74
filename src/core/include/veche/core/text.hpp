// Text helpers that every module needs and that must be right: UTF-8 validity, hex, escaping
// for XML/HTML and CSV.
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

// Text for XML and HTML (SVG charts, pages): & < > " ' escaped as entities.
std::string xml_escape(std::string_view s);

// One RFC 4180 field, quoted only when it holds a comma, a quote or a line break (for files that
// programs read back, like the consensus vote files).
std::string csv_field(std::string_view s);
// One record of a CSV export that people open in spreadsheets (RFC 4180, CRLF): every field
// quoted, quotes doubled, and a field that starts with =, +, - or @ prefixed with an apostrophe
// so that a spreadsheet shows it rather than running it as a formula.
std::string csv_record(const std::vector<std::string>& fields);

}  // namespace veche::core
