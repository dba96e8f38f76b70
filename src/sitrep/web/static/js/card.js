// The event card: the fused record in brief, with every source and its evidence sentence.
import { h, plural } from "./dom.js";

export async function showCard(card, id) {
  card.hidden = false;
  card.replaceChildren(h("p", {}, "Loading event…"));
  const response = await fetch(`/api/v1/events/${encodeURIComponent(id)}`, {
    headers: { Accept: "application/json" },
  });
  if (!response.ok) {
    card.replaceChildren(h("p", {}, `Event ${id} could not be loaded (${response.status}).`));
    return;
  }
  const event = await response.json();
  card.replaceChildren(...cardBody(event, () => { card.hidden = true; }));
  card.focus();
}

function cardBody(e, close) {
  const geo = (e.location && e.location.geo) || {};
  const actors = [e.actor1, e.actor2].filter(Boolean).map((a) => a.name || a.text);
  const facts = [
    ["Where", geo.name ? `${geo.name} (within ${geo.radius_km} km, precision ${geo.geo_precision})` : "not located"],
    ["Actors", actors.length ? actors.join(" vs ") : "unidentified"],
    ["Fatalities", e.fatalities ?? "not reported"],
    ["Confidence", Number(e.confidence || 0).toFixed(2)],
    ["Corroboration", plural(e.confirmations || 0, "independent outlet")],
  ];
  if (e.disputed) facts.push(["Disputed", (e.disputed_fields || []).join(", ")]);
  const mentions = e.mentions || [];
  return [
    h("button", { type: "button", class: "close", onclick: close, "aria-label": "Close the event card" }, "×"),
    h("p", { class: "muted" }, `${e.event_type}${e.sub_event_type ? " · " + e.sub_event_type : ""}`),
    h("h2", {}, `${e.date || "Undated"}${geo.name ? ", " + geo.name : ""}`),
    h("p", {}, e.notes || ""),
    h("dl", { class: "meta" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))])),
    h("h3", {}, `Sources (${mentions.length})`),
    h("ol", { class: "sources" }, mentions.map(source)),
    h("p", {}, h("a", { href: `/events/${e.id}` }, "Full record, claims and changelog")),
  ];
}

function source(m) {
  return h("li", {},
    h("strong", {}, m.outlet), ` · ${m.modality || ""} · `,
    h("a", { href: `/articles/${m.article_id}#m${m.mention_id}` }, "article"),
    h("blockquote", {}, h("mark", { class: "evidence" }, m.evidence || "")));
}
