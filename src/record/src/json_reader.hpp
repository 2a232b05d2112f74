// Private: strict readers for the canonical JSON of docs/protocol.md §10.2.
#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "veche/core/result.hpp"
#include "veche/crypto/elgamal.hpp"
#include "veche/crypto/group.hpp"
#include "veche/crypto/sign.hpp"

namespace veche::record::detail {

// Reads one JSON object whose keys must be exactly `keys`, in that order. Errors name `where`.
class ObjectReader {
 public:
  ObjectReader(const boost::json::value& v, std::string where);
  Status expect_keys(std::initializer_list<std::string_view> keys) const;
  const std::string& where() const { return where_; }

  Result<std::string> text(std::string_view key, std::size_t max_bytes) const;
  Result<std::uint64_t> integer(std::string_view key, std::uint64_t max) const;
  Result<bool> boolean(std::string_view key) const;
  Result<const boost::json::array*> array(std::string_view key, std::size_t max_items) const;
  Result<const boost::json::object*> object(std::string_view key) const;
  Result<crypto::Bytes> hex(std::string_view key, std::size_t bytes) const;
  Result<crypto::Digest> digest(std::string_view key) const;
  Result<crypto::Point> point(std::string_view key) const;
  Result<crypto::Scalar> scalar(std::string_view key) const;
  Result<crypto::VerifyKey> verify_key(std::string_view key) const;
  Result<crypto::Ciphertext> ciphertext(std::string_view key) const;
  // The same, also giving the 64 bytes as read (to hash them without re-encoding).
  Result<crypto::Ciphertext> ciphertext(std::string_view key,
                                        std::array<std::uint8_t, 64>& encoded) const;
  const boost::json::value& at(std::string_view key) const { return obj_->at(key); }
  bool is_object() const { return obj_ != nullptr; }

 private:
  Error fail(std::string_view key, std::string_view what) const;
  const boost::json::object* obj_ = nullptr;
  std::string where_;
};

Result<std::uint64_t> as_integer(const boost::json::value& v, std::uint64_t max,
                                 std::string_view where);
Result<std::string> as_text(const boost::json::value& v, std::size_t max_bytes,
                            std::string_view where);

}  // namespace veche::record::detail
