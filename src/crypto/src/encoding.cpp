// Text forms of bytes: strict lowercase hex (docs/protocol.md §10.2) and base32 (§6).
#include <string>

#include "veche/crypto/bytes.hpp"

namespace veche::crypto {

std::string to_hex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

Result<Bytes> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return invalid_argument("hex of odd length");
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]);
    const int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return invalid_argument("not lowercase hex");
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return out;
}

namespace {
constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
}

std::string to_base32(ByteView bytes) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const std::uint8_t b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32[(buffer >> (bits - 5)) & 31U]);
      bits -= 5;
    }
    buffer &= (1U << bits) - 1U;
  }
  if (bits > 0) out.push_back(kBase32[(buffer << (5 - bits)) & 31U]);
  return out;
}

Result<Bytes> from_base32(std::string_view text) {
  Bytes out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char ch : text) {
    if (ch == '-' || ch == ' ') continue;
    int v = -1;
    if (ch >= 'A' && ch <= 'Z') v = ch - 'A';
    if (ch >= 'a' && ch <= 'z') v = ch - 'a';
    if (ch >= '2' && ch <= '7') v = ch - '2' + 26;
    if (v < 0) return invalid_argument(std::string("not a base32 character: '") + ch + "'");
    buffer = (buffer << 5) | static_cast<unsigned>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<std::uint8_t>(buffer >> (bits - 8)));
      bits -= 8;
      buffer &= (1U << bits) - 1U;
    }
  }
  if (buffer != 0) return invalid_argument("base32 text has stray trailing bits");
  return out;
}

void append_u32le(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void append_u64le(Bytes& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

}  // namespace veche::crypto
