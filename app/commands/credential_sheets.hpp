// What a registrar hands out (docs/elections.md, "Registrars"): printable sheets, one voter per
// page with the code and a QR code of the booth's address with the code in its fragment, and a
// CSV for a mail merge. The same output as the registrar's page in the browser.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "veche/core/result.hpp"

namespace veche::app {

// The booth's address (https://SITE/elections/ID/vote, as the site shows it): http or https, no
// fragment, no spaces or quotes. kInvalidArgument saying what is wrong.
Status check_vote_url(std::string_view url);

// `url#code=CODE`: the fragment is never sent to a server.
std::string vote_link(std::string_view vote_url, std::string_view code);

// One self-contained HTML document (inline print style, no scripts, no external files) with one
// sheet per code, in English ("en") or Russian ("ru").
Result<std::string> credential_sheets_html(std::string_view election_title,
                                           std::string_view vote_url,
                                           std::span<const std::string> codes,
                                           std::string_view lang);

// "number,code,url" and one row per code.
std::string credential_csv(std::string_view vote_url, std::span<const std::string> codes);

}  // namespace veche::app
