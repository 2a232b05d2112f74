// `veche init` and `veche demo`: create and fill a database.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "commands/commands.hpp"
#include "commands/setup.hpp"
#include "veche/coordination/coordination.hpp"
#include "veche/core/clock.hpp"
#include "veche/crypto/random.hpp"
#include "veche/elections/demo.hpp"
#include "veche/registry/registry.hpp"

namespace veche::app {

void add_init_command(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("init",
                                 "Create a database (SQLite file or PostgreSQL URL) and "
                                 "bring its schema up to date");
  auto db = std::make_shared<std::string>();
  cmd->add_option("--db", *db, "SQLite file or postgresql:// URL (default: config, then veche.db)");
  cmd->callback([&global, db] {
    auto cfg = load_config(global);
    if (!cfg) throw CLI::RuntimeError(report_error(cfg.error()));
    const std::string location = db->empty() ? cfg->db : *db;
    auto opened = open_database(location);
    if (!opened) throw CLI::RuntimeError(report_error(opened.error()));
    std::printf("veche: database ready (schema up to date)\n");
  });
}

void add_demo_command(CLI::App& app, const GlobalOptions& global) {
  auto* cmd =
      app.add_subcommand("demo", "Fill an empty database with the fictional demo coalition");
  auto db = std::make_shared<std::string>();
  cmd->add_option("--db", *db, "SQLite file or postgresql:// URL (default: config, then veche.db)");
  cmd->callback([&global, db] {
    auto cfg = load_config(global);
    if (!cfg) throw CLI::RuntimeError(report_error(cfg.error()));
    auto opened = open_database(db->empty() ? cfg->db : *db);
    if (!opened) throw CLI::RuntimeError(report_error(opened.error()));
    core::SystemClock clock;
    auto s = registry::load_demo(**opened, clock);
    if (!s) throw CLI::RuntimeError(report_error(s.error()));
    if (auto c = coordination::load_demo(**opened, clock); !c) {
      throw CLI::RuntimeError(report_error(c.error()));
    }
    if (auto c = crypto::initialize(); !c) throw CLI::RuntimeError(report_error(c.error()));
    if (auto e = elections::load_demo(**opened, clock); !e) {
      throw CLI::RuntimeError(report_error(e.error()));
    }
    std::printf("veche: demo coalition loaded\n");
  });
}

}  // namespace veche::app
