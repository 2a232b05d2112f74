// The `veche` command. Only this program picks the database backend, initializes libsodium and
// owns the io_context (through the commands it dispatches to).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "commands/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Veche: a self-hostable platform for a coalition in exile", "veche"};
  app.set_version_flag("--version", std::string("veche ") + VECHE_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  veche::app::GlobalOptions global;
  app.add_option("--config", global.config_file, "TOML configuration file")
      ->check(CLI::ExistingFile);
  app.add_flag("--quiet", global.quiet, "No progress bars");

  // One line per command; each lives in app/commands/<name>.cpp.
  veche::app::add_serve_command(app, global);
  veche::app::add_init_command(app, global);
  veche::app::add_demo_command(app, global);
  veche::app::add_consensus_command(app, global);
  veche::app::add_count_command(app, global);
  veche::app::add_audit_command(app, global);
  veche::app::add_invitations_command(app, global);
  veche::app::add_registry_commands(app, global);
  veche::app::add_data_key_command(app, global);
  veche::app::add_election_command(app, global);
  veche::app::add_trustee_command(app, global);
  veche::app::add_registrar_command(app, global);
  veche::app::add_vote_command(app, global);
  veche::app::add_second_factor_command(app, global);
  veche::app::add_charter_command(app, global);
  veche::app::add_motion_command(app, global);
  veche::app::add_consultation_command(app, global);
  veche::app::add_agenda_command(app, global);
  veche::app::add_coordination_command(app, global);
  veche::app::add_campaign_command(app, global);
  veche::app::add_conversation_command(app, global);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}
