// docs/protocol.md §4 (ElGamal), §5.4 (audit), §12 (discrete log).
#include "veche/crypto/elgamal.hpp"

#include <cmath>
#include <cstring>

namespace veche::crypto {

Result<Ciphertext> Ciphertext::from_bytes(ByteView bytes) {
  if (bytes.size() != kBytes) {
    return invalid_argument("a ciphertext is 64 bytes, got " + std::to_string(bytes.size()));
  }
  VECHE_ASSIGN_OR_RETURN(Point a, Point::from_bytes(bytes.first(32)));
  VECHE_ASSIGN_OR_RETURN(Point b, Point::from_bytes(bytes.subspan(32, 32)));
  return Ciphertext{a, b};
}

std::array<std::uint8_t, Ciphertext::kBytes> Ciphertext::to_bytes() const {
  std::array<std::uint8_t, kBytes> out{};
  const PointBytes a = alpha.to_bytes();
  const PointBytes b = beta.to_bytes();
  std::memcpy(out.data(), a.data(), 32);
  std::memcpy(out.data() + 32, b.data(), 32);
  return out;
}

Result<PublicKey> PublicKey::make(const Point& h) {
  if (h.is_identity()) return invalid_argument("a public key must not be the identity");
  return PublicKey(h);
}

Ciphertext encrypt(const PublicKey& key, std::uint64_t m, const Scalar& r) {
  return {Point::base_mul(r), Point::base_mul(Scalar::from_u64(m)) + key.mul(r)};
}

bool audit_ciphertext(const PublicKey& key, const Ciphertext& ct, std::uint64_t m,
                      const Scalar& r) {
  return encrypt(key, m, r) == ct;
}

Point decrypt_to_point(const Ciphertext& ct, const SecretScalar& x) {
  return ct.beta - x.expose() * ct.alpha;
}

namespace {

std::uint64_t key_of(const Point& p) {
  const PointBytes b = p.to_bytes();
  std::uint64_t k = 0;
  std::memcpy(&k, b.data(), sizeof k);
  return k;
}

}  // namespace

DiscreteLog::DiscreteLog(std::uint64_t bound) : bound_(bound) {
  m_ = static_cast<std::uint64_t>(std::ceil(std::sqrt(static_cast<double>(bound) + 1.0)));
  if (m_ == 0) m_ = 1;
  baby_.reserve(static_cast<std::size_t>(m_));
  Point acc;
  for (std::uint64_t i = 0; i < m_; ++i) {
    baby_.emplace(key_of(acc), i);  // a colliding 8-byte prefix keeps the first; solve re-checks
    acc += Point::generator();
  }
  giant_ = -Point::base_mul(Scalar::from_u64(m_));
}

Result<std::uint64_t> DiscreteLog::solve(const Point& p) const {
  Point cur = p;
  for (std::uint64_t j = 0; j * m_ <= bound_; ++j) {
    const auto it = baby_.find(key_of(cur));
    if (it != baby_.end()) {
      const std::uint64_t m = j * m_ + it->second;
      if (m <= bound_ && Point::base_mul(Scalar::from_u64(m)) == p) return m;
    }
    cur += giant_;
  }
  return not_found("the decrypted value is not in [0, " + std::to_string(bound_) + "]");
}

}  // namespace veche::crypto
