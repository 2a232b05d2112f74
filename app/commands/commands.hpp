// The `veche` subcommands. Each lives in its own file under app/commands/ and registers
// itself on the root CLI::App; main.cpp calls every add_*_command in turn.
#pragma once

#include <string>

#include "veche/core/result.hpp"

namespace CLI {
class App;
}

namespace veche::app {

// Options every command shares (set on the root app before parsing).
struct GlobalOptions {
  std::string config_file;  // --config FILE (TOML)
  bool quiet = false;       // --quiet: no progress bars
};

// Prints "veche: <message>" to stderr and returns the process exit code for the error:
// the one table from ErrorCode to exit code (64 usage/input, 65 data, 66 not found, ...).
int report_error(const Error& error);
int exit_code_for(ErrorCode code);

void add_serve_command(CLI::App& app, const GlobalOptions& global);
void add_init_command(CLI::App& app, const GlobalOptions& global);
void add_demo_command(CLI::App& app, const GlobalOptions& global);
void add_consensus_command(CLI::App& app, const GlobalOptions& global);
void add_count_command(CLI::App& app, const GlobalOptions& global);
void add_audit_command(CLI::App& app, const GlobalOptions& global);
void add_invitations_command(CLI::App& app, const GlobalOptions& global);
// `veche coalition`, `veche organizations`, `veche roles` (registry_admin.cpp).
void add_registry_commands(CLI::App& app, const GlobalOptions& global);
void add_data_key_command(CLI::App& app, const GlobalOptions& global);
void add_election_command(CLI::App& app, const GlobalOptions& global);
void add_trustee_command(CLI::App& app, const GlobalOptions& global);
void add_registrar_command(CLI::App& app, const GlobalOptions& global);
void add_vote_command(CLI::App& app, const GlobalOptions& global);
void add_second_factor_command(CLI::App& app, const GlobalOptions& global);
void add_charter_command(CLI::App& app, const GlobalOptions& global);  // charter.cpp
// `veche motion ...`, `veche decisions ...` (motion.cpp), `veche consultation ...`.
void add_motion_command(CLI::App& app, const GlobalOptions& global);
void add_consultation_command(CLI::App& app, const GlobalOptions& global);
// `veche agenda ...` and `veche outbox ...` (agenda.cpp).
void add_agenda_command(CLI::App& app, const GlobalOptions& global);
// `veche coordination institution|coordinator|targets` (coordination.cpp).
void add_coordination_command(CLI::App& app, const GlobalOptions& global);
// `veche campaign ...` (campaign.cpp).
void add_campaign_command(CLI::App& app, const GlobalOptions& global);
void add_conversation_command(CLI::App& app, const GlobalOptions& global);  // conversation.cpp

}  // namespace veche::app
