// Shared by the election commands (election, trustee, registrar, vote): the board folder
// (`--board DIR` holding board.jsonl, append-only, fsync'd before a write is acknowledged, one
// writer at a time under flock) and the role key files (JSON, mode 0600).
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include "commands/commands.hpp"
#include "veche/core/file.hpp"
#include "veche/crypto/random.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/crypto/sign.hpp"
#include "veche/record/board.hpp"
#include "veche/record/state.hpp"

namespace veche::app::elections {

using core::read_file;

inline void fail(const Error& e) { throw CLI::RuntimeError(report_error(e)); }
template <class T>
T must(Result<T> r) {
  if (!r) fail(r.error());
  return std::move(r).value();
}
inline void must(const Status& s) {
  if (!s) fail(s.error());
}

inline void init_crypto() { must(crypto::initialize()); }

inline std::filesystem::path board_file(const std::string& dir) {
  return std::filesystem::path(dir) / "board.jsonl";
}

// The board folder, locked for the lifetime of this object (exclusive: one writer at a time).
class BoardFolder {
 public:
  // `create`: the board must not exist yet (election create); otherwise it must.
  static Result<BoardFolder> open(const std::string& dir, bool create) {
    std::error_code ec;
    if (create) std::filesystem::create_directories(dir, ec);
    const auto path = board_file(dir);
    const bool exists = std::filesystem::exists(path, ec);
    if (create && exists) return already_exists(path.string() + " exists already");
    if (!create && !exists) return not_found("no board at " + path.string());
    const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return unavailable("cannot open " + path.string() + ": " + std::strerror(errno));
    BoardFolder b;
    b.fd_ = fd;
    b.path_ = path;
    if (::flock(fd, LOCK_EX) != 0) return unavailable("cannot lock " + path.string());
    return b;
  }
  BoardFolder(BoardFolder&& o) noexcept
      : fd_(std::exchange(o.fd_, -1)), path_(std::move(o.path_)) {}
  BoardFolder& operator=(BoardFolder&&) = delete;
  BoardFolder(const BoardFolder&) = delete;
  ~BoardFolder() {
    if (fd_ >= 0) ::close(fd_);
  }

  // Reads and replays the board (ballot proofs trusted: they were checked when appended).
  Result<record::ElectionState> load() {
    VECHE_ASSIGN_OR_RETURN(std::string text, read_file(path_));
    record::ElectionState state;
    state.trust_ballot_proofs(true);
    if (text.empty()) return state;
    VECHE_ASSIGN_OR_RETURN(auto events, record::parse_board(text));
    for (const auto& e : events) {
      auto st = state.apply(e);
      if (!st) return data_loss("the board does not check: " + st.error().message);
    }
    return state;
  }

  // Checks the event against `state` (fully, ballot proofs included), then appends it and
  // fsyncs before returning: an acknowledged event survives a crash.
  Result<record::Event> append(record::ElectionState& state, std::string_view type,
                               const boost::json::object& payload) {
    record::Event e;
    e.seq = state.events();
    e.prev = state.head();
    e.type = std::string(type);
    e.payload = boost::json::serialize(payload);
    e.hash = record::event_hash(e.seq, e.prev, e.type, e.payload);
    state.trust_ballot_proofs(false);
    auto st = state.apply(e);
    state.trust_ballot_proofs(true);
    if (!st) return invalid_argument("refused: " + st.error().message);
    const std::string line = record::event_line(e) + "\n";
    std::size_t off = 0;
    while (off < line.size()) {
      const ssize_t n = ::write(fd_, line.data() + off, line.size() - off);
      if (n < 0) {
        if (errno == EINTR) continue;
        return unavailable(std::string("cannot append to the board: ") + std::strerror(errno));
      }
      off += static_cast<std::size_t>(n);
    }
    if (::fsync(fd_) != 0) return unavailable("fsync of the board failed");
    return e;
  }

  const std::filesystem::path& path() const { return path_; }

 private:
  BoardFolder() = default;
  int fd_ = -1;
  std::filesystem::path path_;
};

// Key files: {"kind": ..., "sign_seed": hex, ["enc_secret": hex]}, written 0600, never printed.
inline Status write_secret_file(const std::string& path, const boost::json::object& o) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return already_exists("cannot create " + path + " (does it exist already?)");
  const std::string text = boost::json::serialize(o) + "\n";
  const bool ok_write = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool ok_sync = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok_write || !ok_sync) return unavailable("cannot write " + path);
  return ok();
}

struct RoleKey {
  crypto::SigningKey sign;
  crypto::SecretScalar enc;  // trustees only
};

inline Result<RoleKey> read_role_key(const std::string& path, std::string_view kind) {
  VECHE_ASSIGN_OR_RETURN(std::string text, read_file(path));
  boost::json::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return invalid_argument(path + " is not a key file");
  const auto& o = v.as_object();
  const auto* k = o.if_contains("kind");
  if (k == nullptr || !k->is_string() || k->as_string() != kind) {
    return invalid_argument(path + " is not a " + std::string(kind) + " file");
  }
  const auto* seed = o.if_contains("sign_seed");
  if (seed == nullptr || !seed->is_string()) return invalid_argument(path + ": no sign_seed");
  VECHE_ASSIGN_OR_RETURN(crypto::Bytes sb, crypto::from_hex(std::string_view(seed->as_string())));
  VECHE_ASSIGN_OR_RETURN(crypto::SigningKey sign, crypto::SigningKey::from_seed(sb));
  RoleKey out{std::move(sign), crypto::SecretScalar()};
  if (const auto* enc = o.if_contains("enc_secret"); enc != nullptr && enc->is_string()) {
    VECHE_ASSIGN_OR_RETURN(crypto::Bytes eb, crypto::from_hex(std::string_view(enc->as_string())));
    VECHE_ASSIGN_OR_RETURN(out.enc, crypto::SecretScalar::import_secret_bytes(eb));
  }
  return out;
}

// Creates a key file for a role; returns the public signing key to give to the administrator.
inline Result<crypto::VerifyKey> create_role_key(const std::string& path, std::string_view kind,
                                                 bool with_enc) {
  crypto::SystemRandom rng;
  const auto sign = crypto::SigningKey::generate(rng);
  boost::json::object o;
  o["kind"] = kind;
  o["sign_seed"] = crypto::to_hex(sign.export_secret_seed());
  if (with_enc) {
    const auto enc = crypto::SecretScalar::random(rng);
    const auto b = enc.export_secret_bytes();
    o["enc_secret"] = crypto::to_hex(b);
  }
  VECHE_TRY(write_secret_file(path, o));
  return sign.verify_key();
}

inline void print_public_key(const crypto::VerifyKey& k) {
  std::printf("public key: %s\nfingerprint (compare out of band): %s\n",
              crypto::to_hex(k.bytes()).c_str(), k.fingerprint().c_str());
}

}  // namespace veche::app::elections
