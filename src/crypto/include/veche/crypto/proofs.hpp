// Zero-knowledge proofs with strong Fiat-Shamir (docs/protocol.md §3, §5). Each proof is made by
// make() and checked by verify(); verify() returns kInvalidArgument naming the failed equation.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "veche/core/random.hpp"
#include "veche/crypto/elgamal.hpp"
#include "veche/crypto/group.hpp"
#include "veche/crypto/hash.hpp"
#include "veche/crypto/secret.hpp"

namespace veche::crypto {

// §5.1: knowledge of x with X = x·G. 64 bytes: enc(A) || z.
struct SchnorrProof {
  Point a;
  Scalar z;

  static constexpr std::size_t kBytes = 64;
  static SchnorrProof make(const ProofContext& ctx, const SecretScalar& x, const Point& big_x,
                           core::Random& rng);
  Status verify(const ProofContext& ctx, const Point& big_x) const;
  static Result<SchnorrProof> from_bytes(ByteView bytes);
  Bytes to_bytes() const;
};

// §5.2: log_G(X) = log_P(Y). 96 bytes: enc(A) || enc(B) || z. `tag` is "dleq" for partial
// decryptions and "complaint" for DKG complaints.
struct DleqProof {
  Point a;
  Point b;
  Scalar z;

  static constexpr std::size_t kBytes = 96;
  static DleqProof make(std::string_view tag, const ProofContext& ctx, const SecretScalar& x,
                        const Point& big_x, const Point& p, const Point& y, core::Random& rng);
  Status verify(std::string_view tag, const ProofContext& ctx, const Point& big_x, const Point& p,
                const Point& y) const;
  static Result<DleqProof> from_bytes(ByteView bytes);
  Bytes to_bytes() const;
};

// §5.3: (α, β) encrypts one of the values `values` under key h. 128 bytes per value:
// enc(A_j) || enc(B_j) || c_j || z_j.
struct RangeProof {
  struct Branch {
    Point a;
    Point b;
    Scalar c;
    Scalar z;
  };
  std::vector<Branch> branches;
  // The proof's encoding when it was parsed (from_bytes): the transcript then hashes these
  // bytes instead of re-encoding each commitment (they are the same bytes, §1 canonical form).
  Bytes encoded;

  // Preconditions: values distinct, values[true_index] is the encrypted m, ct = Enc(m; r).
  static RangeProof make(const ProofContext& ctx, const PublicKey& key, const Ciphertext& ct,
                         std::span<const std::uint64_t> values, std::size_t true_index,
                         const Scalar& r, core::Random& rng);
  // `ct_bytes`, when 64 bytes, is the ciphertext's encoding (saves re-encoding it).
  Status verify(const ProofContext& ctx, const PublicKey& key, const Ciphertext& ct,
                std::span<const std::uint64_t> values, ByteView ct_bytes = {}) const;
  // Batch form (§13): checks the challenge sum now and adds the weighted verification
  // equations to `batch` (whose second base must be the key); `rng` draws the weights.
  Status add_to_batch(const ProofContext& ctx, const PublicKey& key, const Ciphertext& ct,
                      std::span<const std::uint64_t> values, BatchVerifier& batch,
                      core::Random& rng, ByteView ct_bytes = {}) const;
  // The same, except that the weighted coefficients of ct.alpha and ct.beta are added to
  // `alpha_coeff` and `beta_coeff` instead of to the batch: a caller that knows ct as a sum of
  // ciphertexts it also batches (a question's sum proof, §11) distributes them onto the terms
  // and saves two points of the multi-scalar multiplication.
  Status add_to_batch_split(const ProofContext& ctx, const PublicKey& key, const Ciphertext& ct,
                            std::span<const std::uint64_t> values, BatchVerifier& batch,
                            core::Random& rng, ByteView ct_bytes, Scalar& alpha_coeff,
                            Scalar& beta_coeff) const;
  // `count` branches expected (the number of allowed values).
  static Result<RangeProof> from_bytes(ByteView bytes, std::size_t count);
  Bytes to_bytes() const;
};

}  // namespace veche::crypto
