#include "veche/registry/accounts.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "audit_append.hpp"
#include "quotas_internal.hpp"
#include "veche/core/text.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/hash.hpp"
#include "veche/crypto/password.hpp"
#include "veche/crypto/random.hpp"

namespace veche::registry {
namespace {

constexpr std::string_view kWrongLogin = "The handle or the passphrase is wrong.";
constexpr std::string_view kBadCode =
    "This invitation code cannot be used: it is mistyped, already used, revoked or expired.";
constexpr std::size_t kCodeBytes = 10;  // 80 bits: 16 base32 characters
constexpr std::array kRoleNames = {"constituent", "delegate",  "registrar", "trustee",
                                   "coordinator", "moderator", "operator"};

store::Blob to_blob(const crypto::Digest& d) {
  store::Blob b(d.size());
  std::memcpy(b.data(), d.data(), d.size());
  return b;
}

std::string handle_key(std::string_view handle) {
  std::string k(handle);
  for (char& c : k) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return k;
}

std::string format_code(const crypto::Bytes& raw) {
  const std::string b32 = crypto::to_base32(raw);  // 16 characters for 10 bytes
  std::string out;
  for (std::size_t i = 0; i < b32.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += b32[i];
  }
  return out;
}

Result<std::int64_t> organization_id(store::Transaction& tx, std::string_view slug) {
  VECHE_ASSIGN_OR_RETURN(
      auto row, tx.query_one("SELECT id FROM organizations WHERE slug = ?", {std::string(slug)},
                             fmt::format("organization '{}'", slug)));
  return row.int64(0);
}

std::string audit_hash(const AuditEntry& e) {
  auto h = crypto::h32("registry/audit-log");
  h.add_u64(static_cast<std::uint64_t>(e.seq))
      .add_u64(static_cast<std::uint64_t>(core::to_unix(e.time)))
      .add(std::string_view(e.actor))
      .add(std::string_view(e.action))
      .add(std::string_view(e.subject))
      .add_u32(e.is_public ? 1 : 0)
      .add(std::string_view(e.prev_hash));
  return crypto::to_hex(h.digest32());
}

// Appends one entry in the caller's write transaction, chained to the last one.
Status append_audit(store::Transaction& tx, core::TimePoint now, std::string_view actor,
                    std::string_view action, std::string subject, bool is_public) {
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx.query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
  AuditEntry e;
  e.seq = rows.empty() ? 1 : rows[0].int64(0) + 1;
  e.prev_hash = rows.empty() ? std::string(64, '0') : rows[0].text(1);
  e.time = now;
  e.actor = std::string(actor);
  e.action = std::string(action);
  e.subject = std::move(subject);
  e.is_public = is_public;
  e.hash = audit_hash(e);
  VECHE_TRY(
      tx.exec("INSERT INTO audit_log (seq, at, actor, action, subject, public, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              {e.seq, core::to_unix(e.time), e.actor, e.action, e.subject,
               std::int64_t{e.is_public ? 1 : 0}, e.prev_hash, e.hash}));
  return ok();
}

Status check_actor(std::string_view actor) {
  if (actor == "operator") return ok();
  return check_handle(actor);
}

}  // namespace

Status append_audit_entry(store::Transaction& tx, core::TimePoint now, std::string_view actor,
                          std::string_view action, std::string subject, bool is_public) {
  return append_audit(tx, now, actor, action, std::move(subject), is_public);
}

std::string_view role_name(Role role) { return kRoleNames[static_cast<std::size_t>(role)]; }

Result<Role> parse_role(std::string_view name) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i) {
    if (name == kRoleNames[i]) return static_cast<Role>(i);
  }
  return invalid_argument(
      fmt::format("unknown role '{}': use constituent, delegate, registrar, trustee, coordinator, "
                  "moderator or operator",
                  core::check_text("role", name, 40) ? name : std::string_view("?")));
}

bool role_needs_organization(Role role) {
  return role == Role::kDelegate || role == Role::kRegistrar;
}

Status check_handle(std::string_view handle) {
  if (handle.size() < 3 || handle.size() > 32) {
    return invalid_argument("A handle must be 3 to 32 characters long.");
  }
  for (char c : handle) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!allowed) {
      return invalid_argument("A handle may hold only Latin letters, digits, '_' and '-'.");
    }
  }
  return ok();
}

Status check_passphrase(std::string_view passphrase) {
  if (passphrase.size() < 10) {
    return invalid_argument("A passphrase must be at least 10 characters long.");
  }
  if (passphrase.size() > 1024) {
    return invalid_argument("A passphrase must be at most 1,024 characters long.");
  }
  if (!core::is_valid_utf8(passphrase) || passphrase.find('\0') != std::string_view::npos) {
    return invalid_argument("A passphrase must be valid text.");
  }
  return ok();
}

Result<std::string> data_key_file_for(std::string_view configured, std::string_view db_location) {
  if (!configured.empty()) return std::string(configured);
  if (db_location.starts_with("postgres://") || db_location.starts_with("postgresql://") ||
      db_location == ":memory:" || db_location.empty()) {
    return failed_precondition(
        "set data_key_file (or VECHE_DATA_KEY_FILE): with this database the data key cannot "
        "be kept next to it");
  }
  const std::filesystem::path db(db_location);
  return (db.parent_path() / "veche-data.key").string();
}

Result<crypto::SecretBytes> load_or_create_data_key(const std::string& path) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      struct stat st {};
      if (::fstat(fd, &st) != 0) {
        ::close(fd);
        return unavailable("cannot read the data key file " + path);
      }
      if ((st.st_mode & 077) != 0) {
        ::close(fd);
        return failed_precondition("the data key file " + path +
                                   " can be read by other users; run chmod 600 on it");
      }
      std::array<std::uint8_t, crypto::kDataKeyBytes + 1> buf{};
      std::size_t got = 0;
      while (got < buf.size()) {
        const auto n = ::read(fd, buf.data() + got, buf.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
      }
      ::close(fd);
      crypto::SecretBytes key(crypto::ByteView(buf.data(), std::min(got, crypto::kDataKeyBytes)));
      std::fill(buf.begin(), buf.end(), std::uint8_t{0});
      if (got != crypto::kDataKeyBytes) {
        return failed_precondition(fmt::format("the data key file {} must hold exactly {} bytes",
                                               path, crypto::kDataKeyBytes));
      }
      return key;
    }
    if (errno != ENOENT) return unavailable("cannot read the data key file " + path);
    const int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
      if (errno == EEXIST) continue;  // another process created it first: read theirs
      return unavailable("cannot create the data key file " + path);
    }
    crypto::SystemRandom rng;
    std::array<std::uint8_t, crypto::kDataKeyBytes> raw{};
    rng.fill(std::as_writable_bytes(std::span(raw)));
    const bool written = ::write(out, raw.data(), raw.size()) == static_cast<ssize_t>(raw.size()) &&
                         ::fsync(out) == 0;
    ::close(out);
    crypto::SecretBytes key(raw);
    std::fill(raw.begin(), raw.end(), std::uint8_t{0});
    if (!written) {
      ::unlink(path.c_str());
      return unavailable("cannot write the data key file " + path);
    }
    return key;
  }
  return unavailable("cannot read the data key file " + path);
}

Accounts::Accounts(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key)
    : db_(db), clock_(clock), key_(key) {
  VECHE_CHECK(key.size() >= crypto::kMinKeyBytes && key.size() <= crypto::kMaxKeyBytes,
              "load_or_create_data_key returns 32-byte keys");
  auto dummy = crypto::hash_passphrase(crypto::random_token(24));
  VECHE_CHECK(dummy.has_value(), "64 MiB for one Argon2id hash at start-up");
  dummy_hash_ = std::move(*dummy);
}

Result<std::vector<std::string>> Accounts::issue_codes(std::string_view org_slug, int count,
                                                       std::chrono::seconds valid_for,
                                                       std::string_view actor) {
  if (count < 1 || count > kMaxCodesPerBatch) {
    return invalid_argument(
        fmt::format("a batch holds 1 to {} invitation codes", kMaxCodesPerBatch));
  }
  if (valid_for < std::chrono::hours(1) || valid_for > std::chrono::days(365)) {
    return invalid_argument("invitation codes are valid for 1 hour to 365 days");
  }
  VECHE_TRY(check_actor(actor));
  std::vector<std::string> codes;
  std::vector<store::Blob> hashes;
  crypto::SystemRandom rng;
  for (int i = 0; i < count; ++i) {
    crypto::Bytes raw(kCodeBytes);
    rng.fill(std::as_writable_bytes(std::span(raw)));
    codes.push_back(format_code(raw));
    hashes.push_back(to_blob(crypto::keyed_hash(
        key_, "invitation",
        std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()))));
  }
  const auto now = clock_.now();
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto org, organization_id(tx, org_slug));
    VECHE_TRY(detail::check_quota(tx, org, count, now));
    VECHE_ASSIGN_OR_RETURN(
        auto b, tx.query_one("SELECT COALESCE(MAX(batch), 0) FROM invitation_codes WHERE "
                             "organization_id = ?",
                             {org}, "batch"));
    const std::int64_t batch = b.int64(0) + 1;
    for (const auto& h : hashes) {
      VECHE_TRY(
          tx.exec("INSERT INTO invitation_codes (code_hash, organization_id, batch, created_at, "
                  "expires_at, state) VALUES (?, ?, ?, ?, ?, 'unused')",
                  {h, org, batch, core::to_unix(now), core::to_unix(now + valid_for)}));
    }
    return append_audit(tx, now, actor, "invitations.issue",
                        fmt::format("{} codes for {} (batch {}), valid until {}", count, org_slug,
                                    batch, core::to_iso8601(now + valid_for)),
                        false);
  }));
  return codes;
}

Result<std::int64_t> Accounts::revoke_unused_codes(std::string_view org_slug,
                                                   std::string_view actor) {
  VECHE_TRY(check_actor(actor));
  std::int64_t revoked = 0;
  const auto now = clock_.now();
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto org, organization_id(tx, org_slug));
    VECHE_ASSIGN_OR_RETURN(revoked, tx.exec("UPDATE invitation_codes SET state = 'revoked' "
                                            "WHERE organization_id = ? AND state = 'unused'",
                                            {org}));
    return append_audit(tx, now, actor, "invitations.revoke",
                        fmt::format("{} unused codes of {}", revoked, org_slug), false);
  }));
  return revoked;
}

Result<CodeCounts> Accounts::code_counts(std::string_view org_slug) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto org, organization_id(*tx, org_slug));
  const auto now = core::to_unix(clock_.now());
  VECHE_ASSIGN_OR_RETURN(
      auto row,
      tx->query_one(
          "SELECT COALESCE(SUM(CASE WHEN state = 'unused' AND expires_at > ? THEN 1 ELSE 0 END), "
          "0), "
          "COALESCE(SUM(CASE WHEN state = 'used' THEN 1 ELSE 0 END), 0), "
          "COALESCE(SUM(CASE WHEN state = 'revoked' THEN 1 ELSE 0 END), 0), "
          "COALESCE(SUM(CASE WHEN state = 'unused' AND expires_at <= ? THEN 1 ELSE 0 END), 0) "
          "FROM invitation_codes WHERE organization_id = ?",
          {now, now, org}, "code counts"));
  return CodeCounts{row.int64(0), row.int64(1), row.int64(2), row.int64(3)};
}

Result<AccountId> Accounts::join(std::string_view code, std::string_view handle,
                                 std::string_view passphrase) {
  VECHE_TRY(check_handle(handle));
  VECHE_TRY(check_passphrase(passphrase));
  if (code.size() > 64) return permission_denied(std::string(kBadCode));
  auto raw = crypto::from_base32(code);
  if (!raw || raw->size() != kCodeBytes) return permission_denied(std::string(kBadCode));
  const auto code_hash = to_blob(crypto::keyed_hash(
      key_, "invitation",
      std::string_view(reinterpret_cast<const char*>(raw->data()), raw->size())));
  // The slow hash runs before the write transaction, so it never holds the writer.
  VECHE_ASSIGN_OR_RETURN(auto pw_hash, crypto::hash_passphrase(passphrase));
  const auto now = core::to_unix(clock_.now());
  AccountId id;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto used,
                           tx.exec("UPDATE invitation_codes SET state = 'used' WHERE code_hash = "
                                   "? AND state = 'unused' AND expires_at > ?",
                                   {code_hash, now}));
    if (used != 1) return permission_denied(std::string(kBadCode));
    auto inserted = tx.insert(
        "INSERT INTO accounts (handle, handle_key, passphrase_hash, display_name, created_at) "
        "VALUES (?, ?, ?, '', ?) RETURNING id",
        {std::string(handle), handle_key(handle), pw_hash, now});
    if (!inserted) {
      if (inserted.error().code == ErrorCode::kAlreadyExists) {
        return already_exists("This handle is taken. Please choose another one.");
      }
      return inserted.error();
    }
    id = AccountId(*inserted);
    VECHE_TRY(
        tx.exec("INSERT INTO account_roles (account_id, role, organization_id, granted_at) "
                "VALUES (?, 'constituent', NULL, ?)",
                {*inserted, now}));
    return ok();
  }));
  return id;
}

Result<std::string> Accounts::login(std::string_view handle, std::string_view passphrase) {
  VECHE_ASSIGN_OR_RETURN(auto id, verify_login(handle, passphrase));
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto totp,
      tx->query("SELECT 1 FROM totp_secrets WHERE account_id = ? AND active = 1", {id.value()}));
  if (!totp.empty()) {
    return failed_precondition("This account has a second factor: log in with its code.");
  }
  tx.reset();
  return issue_session(id, false);
}

Result<AccountId> Accounts::verify_login(std::string_view handle,
                                         std::string_view passphrase) const {
  // Malformed input gets the same answer as a wrong passphrase, after the same work.
  std::optional<std::pair<std::int64_t, std::string>> found;
  if (check_handle(handle) && passphrase.size() <= 1024) {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(
        auto rows, tx->query("SELECT id, passphrase_hash FROM accounts WHERE handle_key = ?",
                             {handle_key(handle)}));
    if (!rows.empty()) found.emplace(rows[0].int64(0), rows[0].text(1));
  }
  const std::string_view pw = passphrase.size() <= 1024 ? passphrase : passphrase.substr(0, 1024);
  const bool match = crypto::verify_passphrase(found ? found->second : dummy_hash_, pw);
  if (!found || !match) return unauthenticated(std::string(kWrongLogin));
  return AccountId(found->first);
}

Result<std::string> Accounts::issue_session(AccountId account, bool second_factor) {
  std::string token = crypto::random_token(32);
  const auto token_hash = to_blob(crypto::keyed_hash(key_, "session", token));
  const auto now = clock_.now();
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("DELETE FROM sessions WHERE account_id = ? AND expires_at <= ?",
                      {account.value(), core::to_unix(now)}));
    VECHE_TRY(tx.exec(
        "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, second_factor) "
        "VALUES (?, ?, ?, ?, ?)",
        {token_hash, account.value(), core::to_unix(now), core::to_unix(now + kSessionLifetime),
         std::int64_t{second_factor ? 1 : 0}}));
    return ok();
  }));
  return token;
}

Result<Session> Accounts::session(std::string_view token) const {
  if (token.empty() || token.size() > 128) return unauthenticated("Please log in.");
  const auto token_hash = to_blob(crypto::keyed_hash(key_, "session", token));
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query("SELECT s.account_id, a.handle, s.expires_at, s.second_factor FROM "
                           "sessions s JOIN accounts a ON a.id = s.account_id WHERE "
                           "s.token_hash = ? AND s.expires_at > ?",
                           {token_hash, core::to_unix(clock_.now())}));
  if (rows.empty()) return unauthenticated("Please log in.");
  return Session{AccountId(rows[0].int64(0)), rows[0].text(1), core::from_unix(rows[0].int64(2)),
                 rows[0].int64(3) == 1};
}

Status Accounts::logout(std::string_view token) {
  if (token.empty() || token.size() > 128) return ok();
  const auto token_hash = to_blob(crypto::keyed_hash(key_, "session", token));
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("DELETE FROM sessions WHERE token_hash = ?", {token_hash}));
    return ok();
  });
}

Status Accounts::logout_everywhere(AccountId account) {
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("DELETE FROM sessions WHERE account_id = ?", {account.value()}));
    return ok();
  });
}

Result<Account> Accounts::account(AccountId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto row, tx->query_one("SELECT id, handle, display_name, created_at FROM accounts WHERE "
                              "id = ?",
                              {id.value()}, "account"));
  Account a{AccountId(row.int64(0)), row.text(1), row.text(2), core::from_unix(row.int64(3)), {}};
  VECHE_ASSIGN_OR_RETURN(
      auto roles, tx->query("SELECT r.role, COALESCE(o.slug, '') FROM account_roles r LEFT JOIN "
                            "organizations o ON o.id = r.organization_id WHERE r.account_id = ? "
                            "ORDER BY r.role, o.slug",
                            {id.value()}));
  for (const auto& r : roles) {
    VECHE_ASSIGN_OR_RETURN(auto role, parse_role(r.text(0)));
    a.roles.push_back({role, r.text(1)});
  }
  return a;
}

namespace {

struct RoleTarget {
  std::int64_t account = 0;
  std::optional<std::int64_t> organization;
  std::string description;  // "handle: registrar of slug"
};

Result<RoleTarget> role_target(store::Transaction& tx, std::string_view handle, Role role,
                               std::string_view org_slug) {
  VECHE_TRY(check_handle(handle));
  if (role_needs_organization(role) && org_slug.empty()) {
    return invalid_argument(fmt::format("a {} acts for an organization: name it", role_name(role)));
  }
  if (!role_needs_organization(role) && !org_slug.empty()) {
    return invalid_argument(
        fmt::format("the {} role is coalition-wide: name no organization", role_name(role)));
  }
  RoleTarget t;
  VECHE_ASSIGN_OR_RETURN(auto row,
                         tx.query_one("SELECT id, handle FROM accounts WHERE handle_key = ?",
                                      {handle_key(handle)}, fmt::format("account '{}'", handle)));
  t.account = row.int64(0);
  if (!org_slug.empty()) {
    VECHE_ASSIGN_OR_RETURN(auto org, organization_id(tx, org_slug));
    t.organization = org;
  }
  t.description = org_slug.empty()
                      ? fmt::format("{}: {}", row.text(1), role_name(role))
                      : fmt::format("{}: {} of {}", row.text(1), role_name(role), org_slug);
  return t;
}

bool public_role(Role role) {
  return role == Role::kDelegate || role == Role::kRegistrar || role == Role::kTrustee;
}

store::Value org_value(const std::optional<std::int64_t>& org) {
  if (org) return *org;
  return nullptr;
}

}  // namespace

Status Accounts::grant_role(std::string_view actor, std::string_view handle, Role role,
                            std::string_view org_slug) {
  VECHE_TRY(check_actor(actor));
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto t, role_target(tx, handle, role, org_slug));
    auto inserted = tx.exec(
        "INSERT INTO account_roles (account_id, role, organization_id, granted_at) "
        "VALUES (?, ?, ?, ?)",
        {t.account, std::string(role_name(role)), org_value(t.organization), core::to_unix(now)});
    if (!inserted) {
      if (inserted.error().code == ErrorCode::kAlreadyExists) {
        return already_exists(t.description + " is already granted");
      }
      return inserted.error();
    }
    return append_audit(tx, now, actor, "role.grant", t.description, public_role(role));
  });
}

Status Accounts::revoke_role(std::string_view actor, std::string_view handle, Role role,
                             std::string_view org_slug) {
  VECHE_TRY(check_actor(actor));
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto t, role_target(tx, handle, role, org_slug));
    VECHE_ASSIGN_OR_RETURN(
        auto removed,
        tx.exec("DELETE FROM account_roles WHERE account_id = ? AND role = ? AND "
                "COALESCE(organization_id, 0) = ?",
                {t.account, std::string(role_name(role)), t.organization.value_or(0)}));
    if (removed == 0) return not_found(t.description + " is not granted");
    return append_audit(tx, now, actor, "role.revoke", t.description, public_role(role));
  });
}

Result<std::vector<AuditEntry>> audit_entries(store::Database& db, bool public_only) {
  VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query(public_only ? "SELECT seq, at, actor, action, subject, public, prev_hash, hash "
                              "FROM audit_log WHERE public = 1 ORDER BY seq"
                            : "SELECT seq, at, actor, action, subject, public, prev_hash, hash "
                              "FROM audit_log ORDER BY seq"));
  std::vector<AuditEntry> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(AuditEntry{r.int64(0), core::from_unix(r.int64(1)), r.text(2), r.text(3),
                             r.text(4), r.int64(5) == 1, r.text(6), r.text(7)});
  }
  return out;
}

Result<AuditReport> verify_audit(store::Database& db) {
  VECHE_ASSIGN_OR_RETURN(auto entries, audit_entries(db, false));
  AuditReport report;
  report.entries = static_cast<std::int64_t>(entries.size());
  std::string prev(64, '0');
  std::int64_t expected_seq = 1;
  for (const auto& e : entries) {
    std::string problem;
    if (e.seq != expected_seq) {
      problem = fmt::format("expected entry {} here: an entry is missing", expected_seq);
    } else if (e.prev_hash != prev) {
      problem = "its previous-hash does not match the entry before it";
    } else if (audit_hash(e) != e.hash) {
      problem = "its hash does not match its contents: the entry was changed";
    }
    if (!problem.empty()) {
      report.first_broken = e.seq;
      report.problem = std::move(problem);
      return report;
    }
    prev = e.hash;
    ++expected_seq;
  }
  return report;
}

}  // namespace veche::registry
