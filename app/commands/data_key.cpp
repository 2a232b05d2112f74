// `veche data-key rotate`: a new data key for the database (docs/operators.md, "The data key").
// The new key is written next to the old one as FILE.new, the database is moved to it, and
// only then does FILE.new replace FILE, so a crash leaves either the old state or a FILE.new
// that the next run refuses to overwrite (the operator decides which key the database holds).
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "commands/commands.hpp"
#include "commands/setup.hpp"
#include "veche/elections/lifecycle.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/registry/key_rotation.hpp"

namespace veche::app {
namespace {

Status rotate(const GlobalOptions& global, const std::string& db_flag) {
  VECHE_ASSIGN_OR_RETURN(auto cfg, load_config(global));
  const std::string location = db_flag.empty() ? cfg.db : db_flag;
  VECHE_ASSIGN_OR_RETURN(auto key_file, registry::data_key_file_for(cfg.data_key_file, location));
  if (!std::filesystem::exists(key_file)) {
    return not_found("there is no data key file " + key_file + " to rotate");
  }
  const std::string next = key_file + ".new";
  if (std::filesystem::exists(next)) {
    return failed_precondition(
        next +
        " exists: an earlier rotation did not finish. If its summary was printed, the "
        "database uses that key: move it over " +
        key_file + "; otherwise delete it. Then run this again.");
  }
  VECHE_ASSIGN_OR_RETURN(auto context, open_registry(global, db_flag));
  VECHE_ASSIGN_OR_RETURN(auto new_key, registry::load_or_create_data_key(next));
  // The elections' administrator keys first: when the registry's rotation then fails, they are
  // sealed back under the old key.
  auto elections = elections::reseal_admin_keys(*context->db, context->key, new_key);
  if (!elections) {
    std::filesystem::remove(next);
    return elections.error();
  }
  auto done =
      registry::rotate_data_key(*context->db, context->clock, context->key, new_key, "operator");
  if (!done) {
    (void)elections::reseal_admin_keys(*context->db, new_key, context->key);
    std::filesystem::remove(next);
    return done.error();
  }
  std::error_code ec;
  std::filesystem::rename(next, key_file, ec);
  if (ec) {
    return unavailable("the database now uses the key in " + next + " but it could not replace " +
                       key_file + ": move it there before starting the server (" + ec.message() +
                       ")");
  }
  const auto folder = std::filesystem::path(key_file).parent_path();
  const int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  std::printf(
      "data key rotated (%s)\n"
      "  resealed: %lld TOTP secrets, %lld contact addresses, %lld election keys\n"
      "  ended: %lld sessions, %lld access tokens; revoked: %lld unused invitation codes\n"
      "restart every server of this database so that it reads the new key\n",
      key_file.c_str(), static_cast<long long>(done->totp_secrets),
      static_cast<long long>(done->contact_addresses), static_cast<long long>(*elections),
      static_cast<long long>(done->sessions_ended), static_cast<long long>(done->tokens_deleted),
      static_cast<long long>(done->codes_revoked));
  return ok();
}

}  // namespace

void add_data_key_command(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("data-key", "The data key kept outside the database");
  cmd->require_subcommand(1);
  auto db = std::make_shared<std::string>();
  auto* rotate_cmd = cmd->add_subcommand(
      "rotate",
      "Move the database to a new data key (ends sessions, voids tokens and unused codes)");
  rotate_cmd->add_option("--db", *db,
                         "SQLite file or postgresql:// URL (default: config, then veche.db)");
  rotate_cmd->callback([&global, db] {
    if (auto s = rotate(global, *db); !s) throw CLI::RuntimeError(report_error(s.error()));
  });
}

}  // namespace veche::app
