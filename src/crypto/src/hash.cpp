// docs/protocol.md §2 (hashes), §3 (transcripts).
#include "veche/crypto/hash.hpp"

#include <sodium.h>

#include <string>

namespace veche::crypto {

namespace {

crypto_generichash_state* st(std::array<unsigned char, 384>& a) {
  static_assert(sizeof(crypto_generichash_state) <= 384, "BLAKE2b state storage");
  return reinterpret_cast<crypto_generichash_state*>(a.data());
}

}  // namespace

Hasher::Hasher(std::string_view tag, std::size_t out_len) : state_{}, out_len_(out_len) {
  VECHE_CHECK(out_len == 32 || out_len == 64, "H32 or H64 only");
  crypto_generichash_init(st(state_), nullptr, 0, out_len_);
  const std::string domain = std::string("veche-elections/1/") + std::string(tag);
  absorb(as_bytes(domain));
}

void Hasher::absorb(ByteView data) {
  std::array<std::uint8_t, 4> len{};
  const auto n = static_cast<std::uint32_t>(data.size());
  for (int i = 0; i < 4; ++i)
    len[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
  crypto_generichash_update(st(state_), len.data(), len.size());
  if (!data.empty()) crypto_generichash_update(st(state_), data.data(), data.size());
}

Hasher& Hasher::add(ByteView part) {
  absorb(part);
  return *this;
}
Hasher& Hasher::add(const Point& p) {
  const PointBytes b = p.to_bytes();
  absorb(b);
  return *this;
}
Hasher& Hasher::add(const Scalar& s) {
  const ScalarBytes b = s.to_bytes();
  absorb(b);
  return *this;
}
Hasher& Hasher::add_u32(std::uint32_t v) {
  Bytes b;
  append_u32le(b, v);
  absorb(b);
  return *this;
}
Hasher& Hasher::add_u64(std::uint64_t v) {
  Bytes b;
  append_u64le(b, v);
  absorb(b);
  return *this;
}

Digest Hasher::digest32() {
  VECHE_CHECK(out_len_ == 32, "digest32() on an H64 hasher");
  Digest out{};
  crypto_generichash_final(st(state_), out.data(), out.size());
  return out;
}

std::array<std::uint8_t, 64> Hasher::digest64() {
  VECHE_CHECK(out_len_ == 64, "digest64() on an H32 hasher");
  std::array<std::uint8_t, 64> out{};
  crypto_generichash_final(st(state_), out.data(), out.size());
  return out;
}

ProofContext ProofContext::for_trustee(ByteView context, std::uint32_t trustee) {
  ProofContext c{Bytes(context.begin(), context.end()), {}};
  append_u32le(c.bind, trustee);
  return c;
}

ProofContext ProofContext::for_voter(ByteView context, ByteView credential) {
  return ProofContext{Bytes(context.begin(), context.end()),
                      Bytes(credential.begin(), credential.end())};
}

Transcript::Transcript(std::string_view proof_tag, const ProofContext& ctx)
    : hasher_("transcript", 64) {
  append("proof", as_bytes(proof_tag));
  append("group", group_description());
  append("context", ctx.context);
  append("bind", ctx.bind);
}

void Transcript::append(std::string_view label, ByteView data) { hasher_.add(label).add(data); }
void Transcript::append(std::string_view label, const Point& p) {
  const PointBytes b = p.to_bytes();
  append(label, b);
}
void Transcript::append(std::string_view label, const Scalar& s) {
  const ScalarBytes b = s.to_bytes();
  append(label, b);
}

Scalar Transcript::challenge() {
  const auto h = hasher_.digest64();
  return Scalar::from_bytes_wide(h);
}

}  // namespace veche::crypto
