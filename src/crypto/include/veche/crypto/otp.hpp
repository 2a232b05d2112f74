// One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238) with HMAC-SHA1, as authenticator
// apps implement them. SHA-1 is what the apps support; HMAC-SHA1 is not weakened by SHA-1's
// collisions (RFC 6238 §1.2, RFC 4226 Appendix A.2).
#pragma once

#include <cstdint>
#include <string>

#include "veche/crypto/bytes.hpp"

namespace veche::crypto {

// HMAC-SHA1 (RFC 2104) of `message` under `key` (20 bytes). Thread-safe.
std::array<std::uint8_t, 20> hmac_sha1(ByteView key, ByteView message);

// HOTP(K, C) of RFC 4226 §5.3: dynamic truncation of HMAC-SHA1(K, C as 8 big-endian bytes),
// modulo 10^digits, as a zero-padded decimal string. Precondition: 6 <= digits <= 8.
std::string hotp(ByteView secret, std::uint64_t counter, int digits);

// TOTP of RFC 6238 §4.2: HOTP with C = floor((unix_time - t0) / step). Precondition:
// unix_time >= t0, step > 0, 6 <= digits <= 8.
std::uint64_t totp_step(std::int64_t unix_time, std::int64_t step = 30, std::int64_t t0 = 0);
std::string totp(ByteView secret, std::int64_t unix_time, int digits = 6, std::int64_t step = 30);

}  // namespace veche::crypto
