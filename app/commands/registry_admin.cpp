// The operator's registry commands: `veche coalition set|show|charter`,
// `veche organizations add|list|show` and `veche roles grant|revoke|list`.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>

#include "commands/commands.hpp"
#include "commands/setup.hpp"
#include "veche/core/file.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/registry/registry.hpp"

namespace veche::app {
namespace {

struct AdminFlags {
  std::string db;
  std::string slug;
  std::string name_en;
  std::string name_ru;
  std::string text_en;  // summary, description or charter file, by command
  std::string text_ru;
  std::string website;
  std::string handle;
  std::string role;
};

void fail(const Error& e) { throw CLI::RuntimeError(report_error(e)); }

// Runs `fn(context)` on the configured database; any error ends the command with its exit code.
template <class Fn>
void with_registry(const GlobalOptions& global, const AdminFlags& flags, Fn&& fn) {
  auto context = open_registry(global, flags.db);
  if (!context) fail(context.error());
  if (auto s = fn(**context); !s) fail(s.error());
}

void add_db_option(CLI::App* sub, AdminFlags& flags) {
  sub->add_option("--db", flags.db,
                  "SQLite file or postgresql:// URL (default: config, then veche.db)");
}

void add_coalition(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("coalition", "The coalition: its name, summary and charter");
  cmd->require_subcommand(1);
  auto flags = std::make_shared<AdminFlags>();

  auto* set = cmd->add_subcommand("set", "Create the coalition or change its name and summary");
  add_db_option(set, *flags);
  set->add_option("--name-en", flags->name_en, "Name in English")->required();
  set->add_option("--name-ru", flags->name_ru, "Name in Russian");
  set->add_option("--summary-en", flags->text_en, "Summary of the charter in English");
  set->add_option("--summary-ru", flags->text_ru, "Summary of the charter in Russian");
  set->callback([&global, flags] {
    with_registry(global, *flags, [&](RegistryContext& c) -> Status {
      registry::Registry reg(*c.db, c.clock);
      VECHE_TRY(
          reg.set_coalition({{flags->name_en, flags->name_ru}, {flags->text_en, flags->text_ru}}));
      std::printf("coalition: %s\n", flags->name_en.c_str());
      return ok();
    });
  });

  auto* show = cmd->add_subcommand("show", "Print the coalition and its current charter version");
  add_db_option(show, *flags);
  show->callback([&global, flags] {
    with_registry(global, *flags, [&](RegistryContext& c) -> Status {
      registry::Registry reg(*c.db, c.clock);
      VECHE_ASSIGN_OR_RETURN(auto overview, reg.overview());
      std::printf("name: %s\n", overview.coalition.name.en.c_str());
      if (!overview.coalition.name.ru.empty()) {
        std::printf("name (ru): %s\n", overview.coalition.name.ru.c_str());
      }
      std::printf("organizations: %zu\n", overview.organizations.size());
      auto charter = reg.current_charter();
      if (charter) {
        std::printf("charter: version %d, adopted %s\n", charter->version,
                    core::to_iso8601(charter->adopted_at).substr(0, 10).c_str());
      } else {
        std::printf("charter: none adopted yet\n");
      }
      return ok();
    });
  });

  auto* charter = cmd->add_subcommand("charter", "Adopt a new charter version from Markdown files");
  add_db_option(charter, *flags);
  charter->add_option("--en", flags->text_en, "Markdown file in English")
      ->required()
      ->check(CLI::ExistingFile);
  charter->add_option("--ru", flags->text_ru, "Markdown file in Russian")->check(CLI::ExistingFile);
  charter->callback([&global, flags] {
    with_registry(global, *flags, [&](RegistryContext& c) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto en, core::read_file(flags->text_en));
      std::string ru;
      if (!flags->text_ru.empty()) {
        VECHE_ASSIGN_OR_RETURN(ru, core::read_file(flags->text_ru));
      }
      registry::Registry reg(*c.db, c.clock);
      VECHE_ASSIGN_OR_RETURN(int version, reg.adopt_charter({en, ru}));
      std::printf("charter version %d adopted\n", version);
      return ok();
    });
  });
}

void add_organizations(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("organizations", "The coalition's member organizations");
  cmd->require_subcommand(1);
  auto flags = std::make_shared<AdminFlags>();

  auto* add = cmd->add_subcommand("add", "Add a member organization");
  add_db_option(add, *flags);
  add->add_option("slug", flags->slug, "Short name: a-z, 0-9 and '-', 2..40 characters")
      ->required();
  add->add_option("--name-en", flags->name_en, "Name in English")->required();
  add->add_option("--name-ru", flags->name_ru, "Name in Russian");
  add->add_option("--description-en", flags->text_en, "Description in English (Markdown)");
  add->add_option("--description-ru", flags->text_ru, "Description in Russian (Markdown)");
  add->add_option("--website", flags->website, "https:// address");
  add->callback([&global, flags] {
    with_registry(global, *flags, [&](RegistryContext& c) -> Status {
      registry::Registry reg(*c.db, c.clock);
      VECHE_TRY(reg.add_organization({flags->slug,
                                      {flags->name_en, flags->name_ru},
                                      {flags->text_en, flags->text_ru},
                                      flags->website}));
      std::printf(
          "organization %s added; appoint its first delegate with\n"
          "  veche roles grant --handle HANDLE --role delegate --org %s\n",
          flags->slug.c_str(), flags->slug.c_str());
      return ok();
    });
  });

  auto* list = cmd->add_subcommand("list", "List the organizations (alphabetical: all equal)");
  add_db_option(list, *flags);
  list->callback([&global, flags] {
    with_registry(global, *flags, [&](RegistryContext& c) -> Status {
      registry::Registry reg(*c.db, c.clock);
      VECHE_ASSIGN_OR_RETURN(auto orgs, reg.organizations());
      std::sort(orgs.begin(), orgs.end(),
                [](const auto& a, const auto& b) { return a.name.en < b.name.en; });
      for (const auto& o : orgs) std::printf("%-24s %s\n", o.slug.c_str(), o.name.en.c_str());
      return ok();
    });
  });

  auto* show = cmd->add_subcommand("show", "An organization's profile and role holders");
  add_db_option(show, *flags);
  show->add_option("slug", flags->slug, "Short name")->required();
  show->callback([&global, flags] {
    with_registry(global, *flags, [&](RegistryContext& c) -> Status {
      registry::Registry reg(*c.db, c.clock);
      registry::Accounts accounts(*c.db, c.clock, c.key);
      VECHE_ASSIGN_OR_RETURN(auto o, reg.organization(flags->slug));
      VECHE_ASSIGN_OR_RETURN(auto holders, accounts.organization_roles(flags->slug));
      std::printf("%s\nname: %s\n", o.slug.c_str(), o.name.en.c_str());
      if (!o.name.ru.empty()) std::printf("name (ru): %s\n", o.name.ru.c_str());
      for (const auto& n : o.other_names) {
        std::printf("name (%s): %s\n", n.lang.c_str(), n.name.c_str());
      }
      if (!o.website.empty()) std::printf("website: %s\n", o.website.c_str());
      auto print_list = [](const char* label, const std::vector<std::string>& items) {
        if (items.empty()) return;
        std::printf("%s:", label);
        for (std::size_t i = 0; i < items.size(); ++i) {
          std::printf("%s %s", i == 0 ? "" : ",", items[i].c_str());
        }
        std::printf("\n");
      };
      print_list("focus areas", o.focus_areas);
      print_list("regions", o.regions);
      print_list("minorities", o.minorities);
      for (const auto& h : holders) {
        std::printf("%s: %s\n", std::string(registry::role_name(h.role)).c_str(), h.handle.c_str());
      }
      return ok();
    });
  });
}

void add_roles(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("roles", "Grant and revoke roles (every change is audited)");
  cmd->require_subcommand(1);
  auto flags = std::make_shared<AdminFlags>();
  const auto role_options = [flags](CLI::App* sub) {
    add_db_option(sub, *flags);
    sub->add_option("--handle", flags->handle, "The account's handle")->required();
    sub->add_option("--role", flags->role,
                    "constituent, delegate, registrar, trustee, coordinator, moderator or "
                    "operator")
        ->required();
    sub->add_option("--org", flags->slug, "The organization (delegates and registrars)");
  };
  auto* grant = cmd->add_subcommand("grant", "Give an account a role");
  role_options(grant);
  grant->callback([&global, flags] {
    with_registry(global, *flags, [&](RegistryContext& c) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto role, registry::parse_role(flags->role));
      registry::Accounts accounts(*c.db, c.clock, c.key);
      VECHE_TRY(accounts.grant_role("operator", flags->handle, role, flags->slug));
      std::printf("%s is now %s%s%s\n", flags->handle.c_str(), flags->role.c_str(),
                  flags->slug.empty() ? "" : " of ", flags->slug.c_str());
      if (role != registry::Role::kConstituent) {
        std::printf("the role's powers start once %s has set up a second factor (TOTP)\n",
                    flags->handle.c_str());
      }
      return ok();
    });
  });
  auto* revoke = cmd->add_subcommand("revoke", "Take a role from an account");
  role_options(revoke);
  revoke->callback([&global, flags] {
    with_registry(global, *flags, [&](RegistryContext& c) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto role, registry::parse_role(flags->role));
      registry::Accounts accounts(*c.db, c.clock, c.key);
      VECHE_TRY(accounts.revoke_role("operator", flags->handle, role, flags->slug));
      std::printf("%s is no longer %s%s%s\n", flags->handle.c_str(), flags->role.c_str(),
                  flags->slug.empty() ? "" : " of ", flags->slug.c_str());
      return ok();
    });
  });
}

}  // namespace

void add_registry_commands(CLI::App& app, const GlobalOptions& global) {
  add_coalition(app, global);
  add_organizations(app, global);
  add_roles(app, global);
}

}  // namespace veche::app
