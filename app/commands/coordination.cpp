// The operator's coordination commands:
//   veche coordination institution add --name N --kind donor|host-state [--country C]
//   veche coordination institution list
//   veche coordination coordinator assign <handle> <institution name>
//   veche coordination targets show | set --women P --tolerance P --non-russian P
// Coordinators themselves work on the site (/coordination) with a second factor.
#include "veche/coordination/coordination.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "commands/commands.hpp"
#include "commands/setup.hpp"

namespace veche::app {
namespace {

struct Flags {
  std::string db;
  std::string name;
  std::string kind = "donor";
  std::string country;
  std::string handle;
  std::string institution;
  double women = 50;
  double tolerance = 5;
  double non_russian = 15;
};

void fail(const Error& e) { throw CLI::RuntimeError(report_error(e)); }

template <class Fn>
void with_coordination(const GlobalOptions& global, const Flags& flags, Fn&& fn) {
  auto context = open_registry(global, flags.db);
  if (!context) fail(context.error());
  coordination::Coordination c(*(*context)->db, (*context)->clock);
  if (auto s = fn(c); !s) fail(s.error());
}

void add_db_option(CLI::App* sub, Flags& flags) {
  sub->add_option("--db", flags.db,
                  "SQLite file or postgresql:// URL (default: config, then veche.db)");
}

// A percent typed by the operator (such as 15 or 12.5) in basis points.
Result<int> basis_points(double percent) {
  if (!(percent >= 0 && percent <= 100)) {
    return invalid_argument("targets are percentages from 0 to 100");
  }
  return static_cast<int>(percent * 100 + 0.5);
}

}  // namespace

void add_coordination_command(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand(
      "coordination", "Institutions, their coordinators and the plurality targets (issue 7)");
  cmd->require_subcommand(1);
  auto flags = std::make_shared<Flags>();

  auto* inst = cmd->add_subcommand("institution", "Donors and host states");
  inst->require_subcommand(1);
  auto* add = inst->add_subcommand("add", "Add a donor or host-state institution");
  add_db_option(add, *flags);
  add->add_option("--name", flags->name, "Its name (unique)")->required();
  add->add_option("--kind", flags->kind, "donor or host-state")->capture_default_str();
  add->add_option("--country", flags->country, "Its country");
  add->callback([&global, flags] {
    with_coordination(global, *flags, [&](coordination::Coordination& c) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto kind, coordination::parse_kind(flags->kind));
      VECHE_ASSIGN_OR_RETURN(auto id, c.add_institution(flags->name, kind, flags->country));
      std::printf("institution %lld: %s\n", static_cast<long long>(id.value()),
                  flags->name.c_str());
      return ok();
    });
  });
  auto* list = inst->add_subcommand("list", "List the institutions");
  add_db_option(list, *flags);
  list->callback([&global, flags] {
    with_coordination(global, *flags, [&](coordination::Coordination& c) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto all, c.institutions());
      for (const auto& i : all) {
        std::printf("%lld\t%s\t%s\t%s\n", static_cast<long long>(i.id.value()),
                    std::string(coordination::kind_name(i.kind)).c_str(), i.name.c_str(),
                    i.country.c_str());
      }
      return ok();
    });
  });

  auto* coord = cmd->add_subcommand("coordinator", "Link coordinators to their institution");
  coord->require_subcommand(1);
  auto* assign = coord->add_subcommand(
      "assign", "Assign a coordinator (an account with the coordinator role) to an institution");
  add_db_option(assign, *flags);
  assign->add_option("handle", flags->handle, "The coordinator's handle")->required();
  assign->add_option("institution", flags->institution, "The institution's name")->required();
  assign->callback([&global, flags] {
    with_coordination(global, *flags, [&](coordination::Coordination& c) -> Status {
      VECHE_TRY(c.assign_coordinator(flags->handle, flags->institution));
      std::printf("%s now coordinates for %s\n", flags->handle.c_str(), flags->institution.c_str());
      return ok();
    });
  });

  auto* targets = cmd->add_subcommand("targets", "The plurality targets");
  targets->require_subcommand(1);
  auto* show = targets->add_subcommand("show", "Print the targets");
  add_db_option(show, *flags);
  show->callback([&global, flags] {
    with_coordination(global, *flags, [&](coordination::Coordination& c) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto t, c.targets());
      std::printf("women: %.2f%% +- %.2f%%\nnon-Russian ethnic origin: at least %.2f%%\n",
                  t.women_bp / 100.0, t.women_tolerance_bp / 100.0, t.non_russian_min_bp / 100.0);
      return ok();
    });
  });
  auto* set = targets->add_subcommand("set", "Set the targets (percentages)");
  add_db_option(set, *flags);
  set->add_option("--women", flags->women, "Target share of women, %")->capture_default_str();
  set->add_option("--tolerance", flags->tolerance, "Tolerance around it, %")->capture_default_str();
  set->add_option("--non-russian", flags->non_russian,
                  "Minimum share of people of non-Russian ethnic origin, %")
      ->capture_default_str();
  set->callback([&global, flags] {
    with_coordination(global, *flags, [&](coordination::Coordination& c) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto w, basis_points(flags->women));
      VECHE_ASSIGN_OR_RETURN(auto tol, basis_points(flags->tolerance));
      VECHE_ASSIGN_OR_RETURN(auto nr, basis_points(flags->non_russian));
      VECHE_TRY(c.set_targets({w, tol, nr}));
      std::printf("targets set\n");
      return ok();
    });
  });
}

}  // namespace veche::app
