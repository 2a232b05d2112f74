// Renderings of a Report: JSON (the machine-readable report), a text table of the rounds, and an
// SVG chart of the rounds (each candidate's votes per round, the quota line, who was elected or
// excluded). Pure functions of the report.
#pragma once

#include <string>

#include "veche/count/report.hpp"

namespace veche::count {

// Fixed-point amount as a decimal string with the report's scale ("1234.56789").
std::string format_amount(std::int64_t amount, std::int64_t scale);

// The report as a JSON document (see docs/counting.md, "JSON report").
std::string to_json(const Report& report);

// A round-by-round table for a terminal, followed by the winners and notes.
std::string to_text(const Report& report);

// A self-contained SVG (no scripts, no external assets) of the rounds.
std::string to_svg(const Report& report);

}  // namespace veche::count
