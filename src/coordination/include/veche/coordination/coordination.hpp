// The coordination service over the store: institutions and their coordinators (managed by the
// operator), the directory of initiatives, support records, events, conflicts and assessments.
//
// Authorization: the caller (http, app) establishes who is asking and passes a Viewer (see
// model.hpp). Writes that need a coordinator return kPermissionDenied for a public Viewer and,
// for support records and events, for a coordinator not yet assigned to an institution. Every
// read filters rows through may_see(); a record the viewer may not see is reported as
// kNotFound, exactly like one that does not exist.
// Thread-safety: a Coordination holds references only; use one per request or share it.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "veche/coordination/metrics.hpp"
#include "veche/coordination/model.hpp"
#include "veche/core/clock.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/store/database.hpp"

namespace veche::coordination {

// The module's migrations (tables coordination_*); run after registry::migrations().
std::span<const store::Migration> migrations();

// Directory search: every set member must match (case-insensitive for ASCII letters).
struct InitiativeFilter {
  std::string text;  // in the name or description
  std::optional<Field> field;
  std::string region;
  std::string minority;
  std::string language;
  std::string host_country;
};
bool matches(const InitiativeFilter& f, const Initiative& i);

class Coordination {
 public:
  Coordination(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // --- Operator ------------------------------------------------------------------------------
  // kAlreadyExists for a name in use; kInvalidArgument for a bad name.
  Result<InstitutionId> add_institution(std::string_view name, InstitutionKind kind,
                                        std::string_view country);
  Result<std::vector<Institution>> institutions() const;  // by name
  // Links a coordinator's account to an institution (replacing an earlier link). kNotFound for
  // an unknown handle or institution; kFailedPrecondition when the account does not hold the
  // coordinator role.
  Status assign_coordinator(std::string_view handle, std::string_view institution_name);
  // The coordinator's institution, or an invalid id when not assigned.
  Result<InstitutionId> institution_of(registry::AccountId account) const;
  // The Viewer of a person whose session may use the coordinator role.
  Result<Viewer> coordinator_viewer(registry::AccountId account) const;

  // --- Targets ---------------------------------------------------------------------------------
  Result<Targets> targets() const;
  Status set_targets(const Targets& t);

  // --- Directory -------------------------------------------------------------------------------
  // Coordinators add entries. Returns the new id.
  Result<InitiativeId> add_initiative(const Viewer& v, Initiative i, std::string_view actor);
  // The entries `v` may see that match, by name; contacts emptied for the public.
  Result<std::vector<Initiative>> initiatives(const Viewer& v,
                                              const InitiativeFilter& filter = {}) const;
  // kNotFound when it does not exist or `v` may not see it.
  Result<Initiative> initiative(const Viewer& v, InitiativeId id) const;
  // Replaces an entry's fields (any coordinator; `i.id` names it). kNotFound as above.
  Status update_initiative(const Viewer& v, const Initiative& i);

  // --- Support and events ------------------------------------------------------------------------
  // The record's institution is the viewer's. kNotFound for an initiative `v` may not see.
  Result<SupportId> add_support(const Viewer& v, SupportRecord s);
  Result<std::vector<SupportRecord>> support(const Viewer& v) const;  // by start date, id
  Result<EventId> add_event(const Viewer& v, Event e);
  Result<std::vector<Event>> events(const Viewer& v) const;  // by date, id
  // Removes a record of the viewer's own institution (to correct a mistake). kNotFound when
  // `v` may not see it; kPermissionDenied when another institution entered it.
  Status remove_support(const Viewer& v, SupportId id);
  Status remove_event(const Viewer& v, EventId id);

  // --- Evaluation (coordinators only) -----------------------------------------------------------
  // A declared conflict excludes the assessor from this initiative's assessment from then on
  // (an earlier assessment stops counting). kAlreadyExists when declared twice.
  Status declare_conflict(const Viewer& v, InitiativeId id, std::string_view assessor,
                          std::string_view reason);
  // Records (or replaces) the assessor's scores. kFailedPrecondition when the assessor declared
  // a conflict for this initiative.
  Status assess(const Viewer& v, Assessment a);
  Result<std::vector<Assessment>> assessments(const Viewer& v, InitiativeId id) const;
  Result<std::vector<Conflict>> conflicts(const Viewer& v, InitiativeId id) const;
  Result<Evaluation> evaluation(const Viewer& v, InitiativeId id) const;

  // --- Everything the viewer may see, computed -------------------------------------------------
  Result<Dashboard> dashboard(const Viewer& v) const;
  Result<std::map<InstitutionId, std::string>> institution_names() const;

 private:
  store::Database& db_;
  const core::Clock& clock_;
};

// A fictional demo: three institutions, initiatives, support records (some overlapping),
// events and assessments. Needs registry::load_demo first; assigns nobody. Does nothing when
// the directory already holds initiatives.
Status load_demo(store::Database& db, const core::Clock& clock);

}  // namespace veche::coordination
