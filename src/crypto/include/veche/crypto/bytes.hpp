// Byte strings and their text forms (docs/protocol.md §10.2: lowercase hex; §6: base32 codes).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/result.hpp"

namespace veche::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
using Digest = std::array<std::uint8_t, 32>;

// Lowercase hex of `bytes`.
std::string to_hex(ByteView bytes);
// Strict: lowercase hex digits only, even length. kInvalidArgument otherwise.
Result<Bytes> from_hex(std::string_view hex);
// Strict hex of exactly N bytes.
template <std::size_t N>
Result<std::array<std::uint8_t, N>> from_hex_fixed(std::string_view hex) {
  if (hex.size() != 2 * N) {
    return invalid_argument("expected " + std::to_string(2 * N) + " hex digits, got " +
                            std::to_string(hex.size()));
  }
  VECHE_ASSIGN_OR_RETURN(Bytes b, from_hex(hex));
  std::array<std::uint8_t, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = b[i];
  return out;
}

// RFC 4648 base32, uppercase, no padding.
std::string to_base32(ByteView bytes);
// Accepts upper or lower case and ignores '-' and spaces; rejects anything else.
Result<Bytes> from_base32(std::string_view text);

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Appends little-endian integers (docs/protocol.md conventions).
void append_u32le(Bytes& out, std::uint32_t v);
void append_u64le(Bytes& out, std::uint64_t v);

}  // namespace veche::crypto
