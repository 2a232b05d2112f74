// `veche second-factor reset --handle H`: removes the authenticator app (TOTP) of an account
// whose owner lost it, and ends the account's sessions. The person logs in with the
// passphrase and sets up a new app; role holders must, before using their roles again.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "commands/commands.hpp"
#include "commands/setup.hpp"
#include "veche/core/clock.hpp"
#include "veche/crypto/random.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/registry/factors.hpp"

namespace veche::app {

void add_second_factor_command(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("second-factor", "Accounts' second factors (TOTP)");
  cmd->require_subcommand(1);
  struct Flags {
    std::string db;
    std::string handle;
  };
  auto flags = std::make_shared<Flags>();
  auto* reset = cmd->add_subcommand(
      "reset", "Remove an account's authenticator app (it was lost) and end its sessions");
  reset->add_option("--db", flags->db,
                    "SQLite file or postgresql:// URL (default: config, then veche.db)");
  reset->add_option("--handle", flags->handle, "The account's handle")->required();
  reset->callback([&global, flags] {
    auto fail = [](const Error& e) { throw CLI::RuntimeError(report_error(e)); };
    if (auto s = crypto::initialize(); !s) fail(s.error());
    auto cfg = load_config(global);
    if (!cfg) fail(cfg.error());
    const std::string location = flags->db.empty() ? cfg->db : flags->db;
    auto opened = open_database(location);
    if (!opened) fail(opened.error());
    auto key_file = registry::data_key_file_for(cfg->data_key_file, location);
    if (!key_file) fail(key_file.error());
    auto key = registry::load_or_create_data_key(*key_file);
    if (!key) fail(key.error());
    core::SystemClock clock;
    registry::Accounts accounts(**opened, clock, *key);
    registry::Factors factors(**opened, clock, *key, accounts);
    if (auto s = factors.reset_totp("operator", flags->handle); !s) fail(s.error());
    std::printf("the authenticator app of %s is removed and its sessions ended\n",
                flags->handle.c_str());
  });
}

}  // namespace veche::app
