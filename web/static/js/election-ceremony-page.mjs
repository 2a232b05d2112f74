// The one script the invitation, trustee and registrar pages load
// (web/templates/election_{join,trustee,registrar}.mustache): each part mounts itself on its
// section (#browser-key, #trustee-ceremony, #registrar-ceremony) when the page has it.
import './join-key.mjs';
import './trustee-page.mjs';
import './registrar-page.mjs';
