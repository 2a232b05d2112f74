// Pedersen / Joint-Feldman t-of-n key generation without a dealer, share encryption, public
// complaints, and threshold decryption (docs/protocol.md §7, §8).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "veche/core/random.hpp"
#include "veche/crypto/elgamal.hpp"
#include "veche/crypto/group.hpp"
#include "veche/crypto/hash.hpp"
#include "veche/crypto/proofs.hpp"
#include "veche/crypto/secret.hpp"

namespace veche::crypto {

// A trustee's secret polynomial f(x) = a_0 + … + a_{t−1}x^{t−1} (§7.2). Move-only.
class Polynomial {
 public:
  // Precondition: threshold >= 1.
  static Polynomial random(std::uint32_t threshold, core::Random& rng);
  // Precondition: x >= 1 (trustee indices).
  SecretScalar evaluate(std::uint32_t x) const;
  // Feldman commitments C_k = a_k·G.
  std::vector<Point> commitments() const;
  const SecretScalar& constant() const { return coeffs_.front(); }
  std::size_t size() const { return coeffs_.size(); }

 private:
  std::vector<SecretScalar> coeffs_;
};

// Σ_k x^k·C_k: the public image of f(x) (§7.3, §7.5).
Point feldman_eval(std::span<const Point> commitments, std::uint32_t x);

// s_{ij} encrypted to E_j (§7.2): (to, R, ct) with ct 48 bytes (secretbox of 32).
struct EncryptedShare {
  std::uint32_t to = 0;
  Point r;
  Bytes ct;
  static constexpr std::size_t kCiphertextBytes = 48;
};

EncryptedShare encrypt_share(std::uint32_t from, std::uint32_t to, const Point& enc_key_to,
                             const Scalar& share, core::Random& rng);
// Decrypts with the recipient's encryption secret e_j. kInvalidArgument when the box does not
// open or the content is not a canonical scalar.
Result<SecretScalar> decrypt_share(std::uint32_t from, const SecretScalar& enc_secret_to,
                                   const Point& enc_key_to, const EncryptedShare& share);

// A public complaint by `by` against dealer `against` (§7.4): the Diffie-Hellman value
// K = e_j·R with a DLEQ proof, so anyone can open the share and judge.
struct Complaint {
  std::uint32_t by = 0;
  std::uint32_t against = 0;
  Point k;
  DleqProof proof;

  static Complaint make(const ProofContext& ctx, std::uint32_t against,
                        const SecretScalar& enc_secret, const Point& enc_key,
                        const EncryptedShare& share, core::Random& rng);
};

enum class ComplaintVerdict { kDealerCheated, kComplainerCheated };

// Judges a complaint against the dealer's published commitments and encrypted share.
// `ctx` is the complainer's proof context (bind = complainer index). A complaint whose DLEQ
// proof fails names the complainer as the cheater.
ComplaintVerdict judge_complaint(const ProofContext& ctx, const Complaint& complaint,
                                 const Point& enc_key_by, const EncryptedShare& share,
                                 std::span<const Point> dealer_commitments);

// λ_j at zero over `indices` (§8). Preconditions: j in indices, indices distinct and >= 1.
Scalar lagrange_at_zero(std::span<const std::uint32_t> indices, std::uint32_t j);

// x·α from partial decryptions d_j of trustees `indices` (at least t, §8).
Point combine_partials(std::span<const std::uint32_t> indices, std::span<const Point> partials);

}  // namespace veche::crypto
