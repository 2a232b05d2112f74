// Helpers shared by factors.cpp, totp.cpp and access_tokens.cpp (private to src/registry).
#pragma once

#include <cstring>
#include <string>
#include <string_view>

#include "veche/crypto/bytes.hpp"
#include "veche/crypto/password.hpp"
#include "veche/store/database.hpp"

namespace veche::registry::factors_detail {

inline store::Blob to_blob(const crypto::Digest& d) {
  store::Blob b(d.size());
  std::memcpy(b.data(), d.data(), d.size());
  return b;
}

inline store::Blob to_blob(const crypto::Bytes& d) {
  store::Blob b(d.size());
  if (!d.empty()) std::memcpy(b.data(), d.data(), d.size());
  return b;
}

inline crypto::ByteView view(const store::Blob& b) {
  return {reinterpret_cast<const std::uint8_t*>(b.data()), b.size()};
}

// The handle of an account, for audit entries. "" when there is none.
inline std::string handle_of(store::Transaction& tx, std::int64_t account) {
  auto rows = tx.query("SELECT handle FROM accounts WHERE id = ?", {account});
  if (!rows || rows->empty()) return {};
  return (*rows)[0].text(0);
}

// Lowercase ASCII, as accounts.cpp keys handles.
inline std::string handle_key(std::string_view handle) {
  std::string k(handle);
  for (char& c : k) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return k;
}

}  // namespace veche::registry::factors_detail
