#include "election_charts.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "veche/core/text.hpp"

namespace veche::http {
namespace {

constexpr int kWidth = 360;  // the viewBox: a phone's width, scaled up on wider screens
constexpr int kPad = 8;
constexpr int kBarWidth = 250;
constexpr int kRow = 38;

// Colour-blind-safe palette (Okabe-Ito), cycled.
constexpr std::string_view kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                         "#56B4E9", "#D55E00", "#F0E442", "#000000"};
std::string_view colour(std::size_t i) { return kPalette[i % std::size(kPalette)]; }

std::string open_svg(std::string_view title, int height, std::string_view kind) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"{}\" class=\"chart election-chart {}\" font-family=\"sans-serif\">"
      "<title>{}</title>",
      kWidth, height, core::xml_escape(title), kind, core::xml_escape(title));
}

std::string label_text(int y, std::string_view label) {
  return fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"currentColor\">{}</text>",
                     kPad, y, core::xml_escape(label));
}

}  // namespace

std::string vote_bars_svg(std::string_view title, const std::vector<ResultRow>& rows,
                          std::uint64_t total) {
  std::uint64_t top = 1;
  for (const auto& r : rows) top = std::max(top, r.value);
  const int height = kPad + kRow * static_cast<int>(rows.size()) + kPad;
  std::string out = open_svg(title, height, "votes");
  int y = kPad;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const double w = static_cast<double>(r.value) * kBarWidth / static_cast<double>(top);
    const double share =
        total == 0 ? 0.0 : 100.0 * static_cast<double>(r.value) / static_cast<double>(total);
    out += label_text(y + 12, r.label);
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"14\" fill=\"{}\">"
        "<title>{}: {} ({:.1f}%)</title></rect>"
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"12\" fill=\"currentColor\">{} · {:.1f}%</text>",
        kPad, y + 17, std::max(w, 1.0), colour(i), core::xml_escape(r.label), r.value, share,
        kPad + std::max(w, 1.0) + 6, y + 29, r.value, share);
    y += kRow;
  }
  return out + "</svg>";
}

std::string seat_squares_svg(std::string_view title, const std::vector<ResultRow>& rows) {
  constexpr int kSquare = 12;
  constexpr int kPerLine = 20;
  int height = kPad;
  for (const auto& r : rows) {
    const int lines = std::max<int>(1, (static_cast<int>(r.value) + kPerLine - 1) / kPerLine);
    height += 18 + lines * (kSquare + 2) + 6;
  }
  std::string out = open_svg(title, height + kPad, "seats");
  int y = kPad;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    out += label_text(y + 12, fmt::format("{}: {}", r.label, r.value));
    y += 18;
    for (std::uint64_t s = 0; s < r.value; ++s) {
      out += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\" fill=\"{}\"/>",
          kPad + static_cast<int>(s % kPerLine) * (kSquare + 2),
          y + static_cast<int>(s / kPerLine) * (kSquare + 2), kSquare, kSquare, colour(i));
    }
    const int lines = std::max<int>(1, (static_cast<int>(r.value) + kPerLine - 1) / kPerLine);
    y += lines * (kSquare + 2) + 6;
  }
  return out + "</svg>";
}

std::string seats_by_curia_svg(std::string_view title, const std::vector<CuriaSeats>& rows,
                               const std::vector<std::string>& curiae) {
  std::uint64_t top = 1;
  for (const auto& r : rows) {
    std::uint64_t sum = 0;
    for (auto s : r.seats) sum += s;
    top = std::max(top, sum);
  }
  const int legend = 18 * static_cast<int>(curiae.size());
  const int height = kPad + legend + kRow * static_cast<int>(rows.size()) + kPad;
  std::string out = open_svg(title, height, "curiae");
  int y = kPad;
  for (std::size_t c = 0; c < curiae.size(); ++c) {
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"currentColor\">{}</text>",
        kPad, y, colour(c), kPad + 18, y + 11, core::xml_escape(curiae[c]));
    y += 18;
  }
  for (const auto& r : rows) {
    std::uint64_t sum = 0;
    for (auto s : r.seats) sum += s;
    out += label_text(y + 12, r.label);
    double x = kPad;
    for (std::size_t c = 0; c < r.seats.size() && c < curiae.size(); ++c) {
      const double w = static_cast<double>(r.seats[c]) * kBarWidth / static_cast<double>(top);
      if (w > 0) {
        out += fmt::format(
            "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"14\" fill=\"{}\">"
            "<title>{} · {}: {}</title></rect>",
            x, y + 17, w, colour(c), core::xml_escape(r.label), core::xml_escape(curiae[c]),
            r.seats[c]);
      }
      x += w;
    }
    out +=
        fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"12\" fill=\"currentColor\">{}</text>",
                    x + 6, y + 29, sum);
    y += kRow;
  }
  return out + "</svg>";
}

}  // namespace veche::http
