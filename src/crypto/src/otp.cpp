#include "veche/crypto/otp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "veche/core/result.hpp"

namespace veche::crypto {

std::array<std::uint8_t, 20> hmac_sha1(ByteView key, ByteView message) {
  std::array<std::uint8_t, 20> out{};
  unsigned int len = 0;
  const auto* done = HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(),
                          message.size(), out.data(), &len);
  VECHE_CHECK(done != nullptr && len == out.size(), "HMAC-SHA1 cannot fail on memory buffers");
  return out;
}

std::string hotp(ByteView secret, std::uint64_t counter, int digits) {
  VECHE_CHECK(digits >= 6 && digits <= 8, "HOTP codes have 6 to 8 digits (RFC 4226 §5.3)");
  std::array<std::uint8_t, 8> c{};
  for (int i = 7; i >= 0; --i) {
    c[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(counter & 0xff);
    counter >>= 8;
  }
  const auto mac = hmac_sha1(secret, c);
  // Dynamic truncation (RFC 4226 §5.4): 31 bits at the offset named by the low nibble.
  const std::size_t offset = mac[19] & 0x0f;
  const std::uint32_t bin = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                            (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                            (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                            static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t mod = 1;
  for (int i = 0; i < digits; ++i) mod *= 10;
  std::string out = std::to_string(bin % mod);
  return std::string(static_cast<std::size_t>(digits) - out.size(), '0') + out;
}

std::uint64_t totp_step(std::int64_t unix_time, std::int64_t step, std::int64_t t0) {
  VECHE_CHECK(step > 0 && unix_time >= t0, "TOTP time is after T0 and steps are positive");
  return static_cast<std::uint64_t>((unix_time - t0) / step);
}

std::string totp(ByteView secret, std::int64_t unix_time, int digits, std::int64_t step) {
  return hotp(secret, totp_step(unix_time, step), digits);
}

}  // namespace veche::crypto
