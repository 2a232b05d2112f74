// SVG charts of an election's result page (drawn on the server: no JavaScript, no external
// assets; narrow enough to read on a 360 px phone). Private to src/http.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace veche::http {

struct ResultRow {
  std::string label;
  std::uint64_t value = 0;
};

// Votes per choice: one bar per row, labelled above, with the count and its share of `total`.
std::string vote_bars_svg(std::string_view title, const std::vector<ResultRow>& rows,
                          std::uint64_t total);

// Seats per list in one curia: a square per seat, in the list's colour, and the number.
std::string seat_squares_svg(std::string_view title, const std::vector<ResultRow>& rows);

// Seats per list over every curia: one stacked bar per list name, a segment per curia.
struct CuriaSeats {
  std::string label;                 // the list
  std::vector<std::uint64_t> seats;  // per curia, in `curiae` order
};
std::string seats_by_curia_svg(std::string_view title, const std::vector<CuriaSeats>& rows,
                               const std::vector<std::string>& curiae);

}  // namespace veche::http
