// A small cursor over a text buffer that tracks line numbers, shared by the parsers.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "veche/core/result.hpp"

namespace veche::count::detail {

class Cursor {
 public:
  explicit Cursor(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}
  Cursor(const char* p, const char* end, int line) : p_(p), end_(end), line_(line) {}

  bool at_end() const { return p_ >= end_; }
  char peek() const { return p_ < end_ ? *p_ : '\0'; }
  const char* position() const { return p_; }
  const char* end() const { return end_; }
  void set_position(const char* p) { p_ = p; }
  int line() const { return line_; }
  // Moves to `p`, which lies `lines` newlines further on.
  void jump(const char* p, int lines) {
    p_ = p;
    line_ += lines;
  }
  void advance() {
    if (*p_ == '\n') ++line_;
    ++p_;
  }

  // Skips spaces, tabs, carriage returns and newlines, and `#` comments when `comments`.
  void skip_space(bool comments) {
    while (p_ < end_) {
      const char c = *p_;
      if (c == '\n') {
        ++line_;
        ++p_;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        ++p_;
      } else if (comments && c == '#') {
        while (p_ < end_ && *p_ != '\n') ++p_;
      } else {
        break;
      }
    }
  }
  // Skips spaces and tabs only (stays on the line).
  void skip_blanks() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r')) ++p_;
  }
  void skip_line() {
    while (p_ < end_ && *p_ != '\n') ++p_;
  }

  Error error(const std::string& what) const {
    return invalid_argument("line " + std::to_string(line_) + ": " + what);
  }
  Error error_at(int line, const std::string& what) const {
    return invalid_argument("line " + std::to_string(line) + ": " + what);
  }

 private:
  const char* p_;
  const char* end_;
  int line_ = 1;
};

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses an unsigned decimal at p; returns the end, or nullptr when there are no digits or the
// value exceeds `max`.
inline const char* parse_uint(const char* p, const char* end, std::uint64_t max,
                              std::uint64_t& out) {
  std::uint64_t v = 0;
  const char* s = p;
  while (p < end && is_digit(*p)) {
    const auto d = static_cast<std::uint64_t>(*p - '0');
    if (v > (max - d) / 10) return nullptr;
    v = v * 10 + d;
    ++p;
  }
  if (p == s) return nullptr;
  out = v;
  return p;
}

// A short printable excerpt of a token for error messages.
inline std::string excerpt(std::string_view token) {
  std::string out;
  for (char c : token.substr(0, 24)) {
    out += (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) ? c : '?';
  }
  if (token.size() > 24) out += "...";
  return out;
}

}  // namespace veche::count::detail
