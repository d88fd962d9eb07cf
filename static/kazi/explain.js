// Score explanations: one bar per factor, matched / partial / missing skills, reasons in words.
import { h } from "./dom.js";

const FACTOR_NAMES = {
  skills: "Skills",
  location: "Location",
  experience: "Experience",
  salary: "Salary",
  job_type: "Job type",
  recent_activity: "Recent activity",
};

const ORDER = Object.keys(FACTOR_NAMES);

export function factorBars(factors) {
  return h(
    "ul",
    { class: "factors" },
    Object.entries(factors)
      .sort(([a], [b]) => ORDER.indexOf(a) - ORDER.indexOf(b))
      .map(([name, value]) => {
      const score = typeof value === "number" ? value : value.score;
      const weight = typeof value === "number" ? null : value.weight;
      const words = FACTOR_NAMES[name] ?? name;
      const rounded = Math.round(score);
      return h(
        "li",
        { class: "factor", dataset: { factor: name } },
        h("span", { class: "factor-name" }, words, weight != null ? h("small", {}, ` (weight ${Math.round(weight * 100)}%)`) : null),
        h(
          "span",
          {
            class: "bar",
            role: "meter",
            "aria-label": words,
            "aria-valuemin": 0,
            "aria-valuemax": 100,
            "aria-valuenow": rounded,
          },
          h("span", { class: "bar-fill", style: `width: ${Math.max(0, Math.min(100, score))}%` }),
        ),
        h("span", { class: "factor-score" }, `${rounded}%`),
      );
    }),
  );
}

function chips(title, skills, kind, spell) {
  if (!skills?.length) return null;
  return h(
    "div",
    { class: "skill-group" },
    h("h4", {}, title),
    h("ul", { class: `chips chips-${kind}`, "aria-label": title }, skills.map((skill) => h("li", { class: "chip" }, spell(skill)))),
  );
}

/** `names`: the job's own spelling of its skills (the explanation gives normalized, lower-case keys). */
/** `bars: false` where the card already shows the factor bars (the list of recommendations). */
export function explanationView(explanation, names = [], { bars = true } = {}) {
  const byKey = new Map(names.map((name) => [name.toLowerCase(), name]));
  const spell = (skill) => byKey.get(String(skill).toLowerCase()) ?? skill;
  return h(
    "div",
    { class: "explanation-body" },
    h("p", { class: "score" }, h("strong", {}, `${Math.round(explanation.score)}%`), " match"),
    bars ? factorBars(explanation.factors) : null,
    h(
      "div",
      { class: "skills-split" },
      chips("Skills you have", explanation.matched_skills, "matched", spell),
      chips("Close enough", explanation.partial_skills, "partial", spell),
      chips("Skills to learn", explanation.missing_skills, "missing", spell),
    ),
    explanation.reasons?.length ? h("ul", { class: "reasons" }, explanation.reasons.map((reason) => h("li", {}, reason))) : null,
  );
}
