// Exponential ElGamal (docs/protocol.md §4), Benaloh audits (§5.4) and small discrete logs by
// baby-step giant-step (§12).
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include "veche/core/random.hpp"
#include "veche/crypto/group.hpp"
#include "veche/crypto/secret.hpp"

namespace veche::crypto {

// (α, β) = (r·G, m·G + r·h). Encoded as enc(α) || enc(β) (64 bytes).
struct Ciphertext {
  Point alpha;
  Point beta;

  static constexpr std::size_t kBytes = 64;
  static Result<Ciphertext> from_bytes(ByteView bytes);
  std::array<std::uint8_t, kBytes> to_bytes() const;

  friend Ciphertext operator+(const Ciphertext& a, const Ciphertext& b) {
    return {a.alpha + b.alpha, a.beta + b.beta};
  }
  Ciphertext& operator+=(const Ciphertext& o) {
    alpha += o.alpha;
    beta += o.beta;
    return *this;
  }
  friend bool operator==(const Ciphertext& a, const Ciphertext& b) {
    return a.alpha == b.alpha && a.beta == b.beta;
  }
};

// The election public key h with a precomputed table for encryption. Move-only.
class PublicKey {
 public:
  // kInvalidArgument when h is the identity (§1).
  static Result<PublicKey> make(const Point& h);
  const Point& point() const { return table_.point(); }
  const PointBytes& bytes() const { return bytes_; }
  Point mul(const Scalar& s) const { return table_.mul(s); }

 private:
  explicit PublicKey(const Point& h) : table_(h), bytes_(h.to_bytes()) {}
  FixedBase table_;
  PointBytes bytes_;
};

// Enc(m; r). Preconditions: none (m reduced mod ℓ, r any scalar).
Ciphertext encrypt(const PublicKey& key, std::uint64_t m, const Scalar& r);

// Benaloh audit (§5.4): true when (m, r) reproduces `ct` under `key`.
bool audit_ciphertext(const PublicKey& key, const Ciphertext& ct, std::uint64_t m, const Scalar& r);

// β − x·α = m·G for a full secret key x (tests; trustees only ever use shares, §8).
Point decrypt_to_point(const Ciphertext& ct, const SecretScalar& x);

// m·G -> m for 0 <= m <= bound, by baby-step giant-step with ⌈√(bound+1)⌉ baby steps.
// Build once, solve many times; thread-compatible (const solve is thread-safe).
class DiscreteLog {
 public:
  explicit DiscreteLog(std::uint64_t bound);
  // kNotFound when the point is not m·G for any 0 <= m <= bound.
  Result<std::uint64_t> solve(const Point& p) const;
  std::uint64_t bound() const { return bound_; }

 private:
  std::uint64_t bound_;
  std::uint64_t m_;
  std::unordered_map<std::uint64_t, std::uint64_t> baby_;  // first 8 bytes of enc(i·G) -> i
  Point giant_;                                            // -m·G
};

}  // namespace veche::crypto
