// SVG charts of the coordination pages (no JavaScript, no external assets): shares against a
// target as horizontal bars, and a trend by quarter. Private to src/http.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace veche::http {

struct ChartBar {
  std::string label;
  long long share_bp = 0;  // 0..10000
  bool ok = false;         // meets its target
};

// Horizontal bars of shares (0..100%) with the target drawn as a line and, when
// `tolerance_bp` > 0, the band around it. `title` is the chart's accessible name.
std::string share_bars_svg(std::string_view title, const std::vector<ChartBar>& bars,
                           long long target_bp, long long tolerance_bp);

// Two series of shares by quarter (women, non-Russian origin) as lines with their targets.
struct TrendPoint {
  std::string quarter;
  long long women_bp = 0;
  long long non_russian_bp = 0;
};
std::string trend_svg(std::string_view title, const std::vector<TrendPoint>& points,
                      long long women_target_bp, long long non_russian_min_bp,
                      std::string_view women_label, std::string_view non_russian_label);

}  // namespace veche::http
