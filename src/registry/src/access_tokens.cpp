// Personal access tokens for API clients.
#include <fmt/format.h>

#include <array>

#include "audit_append.hpp"
#include "factors_internal.hpp"
#include "veche/core/text.hpp"
#include "veche/crypto/password.hpp"
#include "veche/registry/factors.hpp"

namespace veche::registry {
namespace {

using factors_detail::handle_of;
using factors_detail::to_blob;

constexpr std::string_view kTokenPrefix = "veche_pat_";
constexpr std::array kScopeNames = {"read", "vote", "registrar", "delegate"};
constexpr std::string_view kBadToken = "This access token is unknown, revoked or expired.";

std::string join_scopes(const std::vector<Scope>& scopes) {
  std::string out;
  for (Scope s : all_scopes()) {  // canonical order, no repeats
    if (std::find(scopes.begin(), scopes.end(), s) == scopes.end()) continue;
    if (!out.empty()) out += ' ';
    out += scope_name(s);
  }
  return out;
}

std::vector<Scope> split_scopes(std::string_view text) {
  std::vector<Scope> out;
  while (!text.empty()) {
    const auto sp = text.find(' ');
    const auto word = text.substr(0, sp);
    if (auto s = parse_scope(word)) out.push_back(*s);
    text = sp == std::string_view::npos ? std::string_view() : text.substr(sp + 1);
  }
  return out;
}

std::int64_t day_of(core::TimePoint t) { return core::to_unix(t) / 86400; }

}  // namespace

std::string_view scope_name(Scope scope) { return kScopeNames[static_cast<std::size_t>(scope)]; }

Result<Scope> parse_scope(std::string_view name) {
  for (std::size_t i = 0; i < kScopeNames.size(); ++i) {
    if (name == kScopeNames[i]) return static_cast<Scope>(i);
  }
  return invalid_argument("Unknown scope: use read, vote, registrar or delegate.");
}

const std::vector<Scope>& all_scopes() {
  static const std::vector<Scope> kAll = {Scope::kRead, Scope::kVote, Scope::kRegistrar,
                                          Scope::kDelegate};
  return kAll;
}

Result<std::string> Factors::create_token(AccountId account, std::string_view name,
                                          const std::vector<Scope>& scopes,
                                          std::chrono::days valid_for, bool second_factor) {
  if (name.empty() || name.size() > 64 || !core::is_valid_utf8(name) ||
      name.find_first_of(std::string_view("\0\n\r\t", 4)) != std::string_view::npos) {
    return invalid_argument("A token name is 1 to 64 characters of text.");
  }
  if (scopes.empty()) return invalid_argument("Choose at least one scope for the token.");
  if (valid_for < std::chrono::days(1) || valid_for > std::chrono::days(kMaxTokenDays)) {
    return invalid_argument("A token is valid for 1 to 365 days.");
  }
  std::string token = std::string(kTokenPrefix) + crypto::random_token(32);
  const auto hash = to_blob(crypto::keyed_hash(key_, "access-token", token));
  const auto now = clock_.now();
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    const auto handle = handle_of(tx, account.value());
    if (handle.empty()) return not_found("account");
    VECHE_ASSIGN_OR_RETURN(auto live,
                           tx.query_one("SELECT COUNT(*) FROM access_tokens WHERE "
                                        "account_id = ? AND expires_at > ?",
                                        {account.value(), core::to_unix(now)}, "tokens"));
    if (live.int64(0) >= kMaxTokensPerAccount) {
      return resource_exhausted(fmt::format("An account holds at most {} tokens. Revoke one first.",
                                            kMaxTokensPerAccount));
    }
    VECHE_TRY(tx.exec("DELETE FROM access_tokens WHERE account_id = ? AND expires_at <= ?",
                      {account.value(), core::to_unix(now)}));
    VECHE_TRY(
        tx.exec("INSERT INTO access_tokens (account_id, token_hash, name, scopes, "
                "created_at, expires_at, second_factor) VALUES (?, ?, ?, ?, ?, ?, ?)",
                {account.value(), hash, std::string(name), join_scopes(scopes), core::to_unix(now),
                 core::to_unix(now + valid_for), std::int64_t{second_factor ? 1 : 0}}));
    return append_audit_entry(tx, now, handle, "token.create",
                              fmt::format("{}: {}", handle, join_scopes(scopes)), false);
  }));
  return token;
}

Result<std::vector<AccessTokenInfo>> Factors::tokens(AccountId account) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query("SELECT id, name, scopes, created_at, expires_at, last_used_day FROM "
                           "access_tokens WHERE account_id = ? ORDER BY id DESC",
                           {account.value()}));
  const auto now = clock_.now();
  std::vector<AccessTokenInfo> out;
  for (const auto& r : rows) {
    AccessTokenInfo t;
    t.id = r.int64(0);
    t.name = r.text(1);
    t.scopes = split_scopes(r.text(2));
    t.created_at = core::from_unix(r.int64(3));
    t.expires_at = core::from_unix(r.int64(4));
    if (auto day = r.opt_int64(5)) {
      t.last_used_day = core::to_iso8601(core::from_unix(*day * 86400)).substr(0, 10);
    }
    t.expired = t.expires_at <= now;
    out.push_back(std::move(t));
  }
  return out;
}

Status Factors::revoke_token(AccountId account, std::int64_t token_id) {
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto removed,
                           tx.exec("DELETE FROM access_tokens WHERE id = ? AND account_id = ?",
                                   {token_id, account.value()}));
    if (removed != 1) return not_found("There is no such token.");
    const auto handle = handle_of(tx, account.value());
    return append_audit_entry(tx, now, handle, "token.revoke", handle, false);
  });
}

Result<TokenAuth> Factors::authenticate_token(std::string_view token) {
  if (!token.starts_with(kTokenPrefix) || token.size() > 128) {
    return unauthenticated(std::string(kBadToken));
  }
  const auto hash = to_blob(crypto::keyed_hash(key_, "access-token", token));
  const auto now = clock_.now();
  TokenAuth auth;
  std::optional<std::int64_t> last_day;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(
        auto rows,
        tx->query("SELECT t.id, t.account_id, a.handle, t.scopes, t.last_used_day, "
                  "t.second_factor FROM access_tokens t JOIN accounts a ON a.id = t.account_id "
                  "WHERE t.token_hash = ? AND t.expires_at > ?",
                  {hash, core::to_unix(now)}));
    if (rows.empty()) return unauthenticated(std::string(kBadToken));
    auth.token_id = rows[0].int64(0);
    auth.account = AccountId(rows[0].int64(1));
    auth.handle = rows[0].text(2);
    auth.scopes = split_scopes(rows[0].text(3));
    last_day = rows[0].opt_int64(4);
    auth.second_factor = rows[0].int64(5) == 1;
  }
  // At most one write per token and day.
  if (!last_day || *last_day != day_of(now)) {
    VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
      VECHE_TRY(tx.exec("UPDATE access_tokens SET last_used_day = ? WHERE id = ?",
                        {day_of(now), auth.token_id}));
      return ok();
    }));
  }
  return auth;
}

}  // namespace veche::registry
