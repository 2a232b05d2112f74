// `veche audit verify`: recomputes the audit log's hash chain and names the first broken entry.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "commands/commands.hpp"
#include "commands/setup.hpp"
#include "veche/registry/accounts.hpp"

namespace veche::app {

void add_audit_command(CLI::App& app, const GlobalOptions& global) {
  auto* audit = app.add_subcommand("audit", "The audit log of roles, invitations and charters");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify", "Recompute the audit log's hash chain; exit 76 at the first broken entry");
  auto db = std::make_shared<std::string>();
  verify->add_option("--db", *db,
                     "SQLite file or postgresql:// URL (default: config, then veche.db)");
  verify->callback([&global, db] {
    auto cfg = load_config(global);
    if (!cfg) throw CLI::RuntimeError(report_error(cfg.error()));
    auto opened = open_database(db->empty() ? cfg->db : *db);
    if (!opened) throw CLI::RuntimeError(report_error(opened.error()));
    auto report = registry::verify_audit(**opened);
    if (!report) throw CLI::RuntimeError(report_error(report.error()));
    if (report->first_broken) {
      std::printf("audit log: %lld entries; entry %lld is broken: %s\n",
                  static_cast<long long>(report->entries),
                  static_cast<long long>(*report->first_broken), report->problem.c_str());
      std::fflush(stdout);
      throw CLI::RuntimeError(report_error(data_loss("the audit log does not verify from entry " +
                                                     std::to_string(*report->first_broken))));
    }
    std::printf("audit log: %lld entries; the hash chain verifies\n",
                static_cast<long long>(report->entries));
  });
}

}  // namespace veche::app
