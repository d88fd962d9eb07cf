// The team section of the account page: the company's recruiters, and for the owner a Remove button each.
import { api } from "./api.js";
import { h } from "./dom.js";
import { toast } from "./toasts.js";

const section = document.getElementById("team");
const list = document.getElementById("team-members");
const companyId = section.dataset.companyId;
const iAmOwner = section.dataset.owner === "true";
const me = document.body.dataset.userId;

function row(member) {
  const name = `${member.first_name} ${member.last_name}`.trim() || member.email;
  const remove =
    iAmOwner && String(member.id) !== me
      ? h(
          "button",
          {
            type: "button",
            class: "button small",
            "aria-label": `Remove ${name} from the team`,
            onclick: () => removeMember(member, name),
          },
          "Remove",
        )
      : null;
  return h(
    "li",
    { dataset: { userId: member.id } },
    h("span", {}, name),
    " ",
    h("span", { class: "muted" }, member.is_owner ? `${member.email} · owner` : member.email),
    " ",
    remove,
  );
}

async function load() {
  const members = await api(`/api/companies/${companyId}/members/`);
  list.replaceChildren(...members.map(row));
}

async function removeMember(member, name) {
  if (!confirm(`Remove ${name} from the team?`)) return;
  try {
    await api(`/api/companies/${companyId}/members/${member.id}/`, { method: "DELETE" });
    await load();
  } catch (error) {
    toast({ title: "Could not remove", message: error.message });
  }
}

load().catch((error) => toast({ title: "Could not load the team", message: error.message }));
