// The fictional demo coalition that `veche demo` and `veche serve --demo` load. Every name
// here is invented.
#include <array>

#include "veche/registry/charter.hpp"
#include "veche/registry/registry.hpp"

namespace veche::registry {
namespace {

const NewOrganization kDemoOrganizations[] = {
    {"northern-forum",
     {"Northern Civic Forum", "Северный гражданский форум"},
     {"A network of civic groups from the northern regions, now based in Tallinn and Helsinki.",
      "Сеть гражданских групп из северных регионов, работающая из Таллина и Хельсинки."},
     "https://northern-forum.example"},
    {"volga-federalists",
     {"Volga Federalists", "Поволжские федералисты"},
     {"Advocates of a federal future state with self-governing regions and republics.",
      "Сторонники федеративного будущего: самоуправление регионов и республик."},
     "https://volga-federalists.example"},
    {"legal-aid-abroad",
     {"Legal Aid Abroad", "Правовая помощь за рубежом"},
     {"Lawyers helping exiles with residence permits, asylum cases and bank accounts.",
      "Юристы, помогающие эмигрантам с видами на жительство, убежищем и банковскими счетами."},
     "https://legal-aid-abroad.example"},
    {"free-press-union",
     {"Free Press Union", "Союз свободной прессы"},
     {"Independent newsrooms in exile that share a code of ethics and a security desk.",
      "Независимые редакции в изгнании с общим этическим кодексом и службой безопасности."},
     ""},
    {"anti-war-women",
     {"Women Against the War", "Женщины против войны"},
     {"A feminist anti-war movement supporting deserters and political prisoners' families.",
      "Феминистское антивоенное движение, поддерживающее отказников и семьи политзаключённых."},
     "https://anti-war-women.example"},
    {"siberian-initiative",
     {"Siberian Initiative", "Сибирская инициатива"},
     {"Activists from Siberia and the Far East; focus on regional voices and minorities.",
      "Активисты из Сибири и с Дальнего Востока; региональные голоса и меньшинства."},
     ""},
    {"democratic-platform",
     {"Democratic Platform", "Демократическая платформа"},
     {"A political party in exile preparing for free elections.",
      "Политическая партия в изгнании, готовящаяся к свободным выборам."},
     "https://democratic-platform.example"},
};

constexpr std::string_view kCharterEn = R"md(# Charter of the Free Assembly

1. **Equality.** Every member organization has one equal vote. No member leads the others.
2. **Mandate.** The coalition fights for the issues its constituents raise and rank.
3. **Openness.** Decisions, their rules and their results are public and can be rechecked.
4. **Secret ballot.** No one, the operators included, may learn how a person voted.
5. **Safety.** The coalition keeps the least personal data that serves, and never publishes
   who took part.
6. **Decisions.** A motion is decided by one of these rules, chosen when it is proposed; a
   change to this charter takes the strictest of them.

)md";

// The decision rules the demo charter names, in both languages' texts (the block is read by
// decisions/charter_rules.hpp, so it is the same in both).
constexpr std::string_view kDecisionRules = R"md(```decision-rules
consensus, quorum 1/4
consensus, quorum 1/2
qualified majority 2/3, quorum 1/2
qualified majority 3/4, quorum 2/3
```
)md";

constexpr std::string_view kCharterRu = R"md(# Устав «Вольного вече»

1. **Равенство.** У каждой организации-участницы один равный голос. Никто не руководит другими.
2. **Мандат.** Коалиция отстаивает вопросы, которые поднимают и ранжируют её избиратели.
3. **Открытость.** Решения, их правила и результаты публичны и проверяемы.
4. **Тайна голосования.** Никто, включая операторов, не может узнать, как голосовал человек.
5. **Безопасность.** Коалиция хранит минимум личных данных и никогда не публикует,
   кто участвовал.
6. **Решения.** Предложение принимается по одному из этих правил, выбранному при его внесении;
   изменение этой хартии — по самому строгому из них.

)md";

}  // namespace

Status load_demo(store::Database& db, const core::Clock& clock) {
  Registry reg(db, clock);
  if (reg.coalition()) return already_exists("the database already holds a coalition");
  VECHE_TRY(reg.set_coalition(Coalition{
      {"Free Assembly", "Вольное вече"},
      {"A coalition of equal organizations in exile. Its constituents set the agenda; its "
       "members decide in the open, one vote each; its elections can be checked by anyone.",
       "Коалиция равных организаций в изгнании. Повестку задают её избиратели; участники "
       "решают открыто, по одному голосу; её выборы может проверить любой."}}));
  for (const auto& org : kDemoOrganizations) VECHE_TRY(reg.add_organization(org));
  VECHE_TRY(reg.adopt_charter({std::string(kCharterEn) + std::string(kDecisionRules),
                               std::string(kCharterRu) + std::string(kDecisionRules)}));
  VECHE_TRY(load_demo_signatures(db, clock));
  VECHE_TRY(load_demo_profiles(db, clock));
  return ok();
}

}  // namespace veche::registry
