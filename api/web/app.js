"use strict";
// needmatch web page: plain JavaScript over the /v1 API. User text is only ever inserted as
// text nodes (never as HTML), and the raw narrative is sent only to the preview endpoint.

const $ = (id) => document.getElementById(id);
let me = null;
let streamAbort = null;

function key() { return sessionStorage.getItem("needmatch-key") || ""; }

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { "Authorization": "Bearer " + key(), "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const fields = (data.errors || []).map((e) => `${e.field}: ${e.message}`).join("; ");
    throw new Error((data.detail || response.statusText) + (fields ? ` (${fields})` : ""));
  }
  return data;
}

function showError(error) { $("error").textContent = error ? String(error.message || error) : ""; }

function el(tag, text, attributes) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  return node;
}

function marked(snippet) {
  // Search snippets mark query words as **word**: render them as <mark>, safely.
  const fragment = document.createDocumentFragment();
  snippet.split(/(\*\*[^*]+\*\*)/).forEach((part) => {
    if (part.startsWith("**") && part.endsWith("**")) fragment.appendChild(el("mark", part.slice(2, -2)));
    else fragment.appendChild(document.createTextNode(part));
  });
  return fragment;
}

async function signIn(event) {
  event.preventDefault();
  sessionStorage.setItem("needmatch-key", $("api-key").value.trim());
  $("api-key").value = "";
  await loadAccount();
}

async function loadAccount() {
  showError("");
  if (!key()) return;
  try { me = await api("GET", "/v1/me"); } catch (error) { showError(error); return; }
  $("whoami").textContent = `Signed in as ${me.role} of ${me.organization}.`;
  $("signout").hidden = false;
  $("advocate").hidden = !["poster", "admin"].includes(me.role);
  $("responder").hidden = me.role !== "responder";
  $("admin").hidden = me.role !== "admin";
  if (me.role === "responder") { loadProfile(); startStream(); }
  if (me.role === "admin") loadAdmin();
}

function signOut() {
  sessionStorage.removeItem("needmatch-key");
  if (streamAbort) streamAbort.abort();
  location.reload();
}

// ---- advocate ------------------------------------------------------------------------------
async function preview(event) {
  event.preventDefault();
  showError("");
  const text = $("narrative").value;
  try {
    const result = await api("POST", "/v1/needs/preview", {
      text, jurisdiction: $("jurisdiction").value, language: $("language").value });
    const view = $("highlighted");
    view.replaceChildren();
    let position = 0;
    for (const entity of result.entities) {
      view.appendChild(document.createTextNode(text.slice(position, entity.start)));
      view.appendChild(el("mark", `${entity.placeholder}`, { title: `removed ${entity.type}` }));
      position = entity.end;
    }
    view.appendChild(document.createTextNode(text.slice(position)));
    $("redacted").value = result.redacted_text;
    const list = $("categories");
    list.replaceChildren();
    for (const label of result.labels) {
      const item = el("li");
      item.appendChild(el("strong", `${label} (${Math.round(result.scores[label] * 100)}%)`));
      for (const evidence of result.evidence[label] || []) item.appendChild(el("p", evidence.text, { class: "evidence" }));
      list.appendChild(item);
    }
    if (!result.labels.length) list.appendChild(el("li", "No category passed its threshold."));
    $("preview").hidden = false;
    $("redacted").focus();
  } catch (error) { showError(error); }
}

function renderSuggestion(suggestion) {
  const e = suggestion.explanation;
  const item = el("li");
  item.appendChild(el("strong", `${suggestion.responder_id} — score ${suggestion.score}`));
  item.appendChild(el("p", `Categories in common: ${e.categories_in_common.join(", ")}`, { class: "explain" }));
  item.appendChild(el("p", `Your need: “${e.need_sentence.text}” ↔ their expertise: “${e.expertise_sentence}” (similarity ${e.similarity})`, { class: "explain" }));
  item.appendChild(el("p", `Where: ${Object.values(e.jurisdiction).join("; ")}. Language: ${e.language}.`, { class: "explain" }));
  const parts = Object.entries(e.score_parts).map(([name, value]) => `${name} ${value}`).join(", ");
  item.appendChild(el("p", `Score parts: ${parts}`, { class: "explain" }));
  return item;
}

async function publish() {
  showError("");
  // Publish sends the reviewed, redacted text only, and the server redacts it once more.
  $("narrative").value = "";
  try {
    const need = await api("POST", "/v1/needs", {
      text: $("redacted").value, jurisdiction: $("jurisdiction").value,
      language: $("language").value, urgency: $("urgency").value });
    $("published").hidden = false;
    $("published").dataset.needId = need.id;
    const list = $("suggestions");
    list.replaceChildren(...need.suggestions.map(renderSuggestion));
    if (!need.suggestions.length) list.appendChild(el("li", "No eligible responder yet."));
    startStream();
  } catch (error) { showError(error); }
}

async function refreshOffers() {
  const needId = $("published").dataset.needId;
  if (!needId) return;
  const data = await api("GET", `/v1/needs/${needId}/offers`);
  const list = $("offers");
  list.replaceChildren();
  for (const offer of data.offers) {
    const item = el("li", `Offer ${offer.id} from ${offer.responder_id}: ${offer.status}`);
    if (offer.responder_contact) {
      const c = offer.responder_contact;
      item.appendChild(el("p", `Contact: ${c.name}, ${c.organization}, ${c.email || ""} ${c.phone || ""}`));
    }
    if (offer.status === "pending") {
      const accept = el("button", "Accept", { type: "button" });
      accept.addEventListener("click", () => decide(offer.id, "accept"));
      const decline = el("button", "Decline", { type: "button" });
      decline.addEventListener("click", () => decide(offer.id, "decline"));
      item.append(" ", accept, " ", decline);
    }
    list.appendChild(item);
  }
}

async function decide(offerId, action) {
  showError("");
  try { await api("POST", `/v1/offers/${offerId}/${action}`); await refreshOffers(); }
  catch (error) { showError(error); }
}

// ---- live events (fetch streaming, because EventSource cannot send the key) ----------------
async function startStream() {
  if (streamAbort || !me || !["poster", "responder"].includes(me.role)) return;
  streamAbort = new AbortController();
  try {
    const response = await fetch("/v1/stream", {
      headers: { "Authorization": "Bearer " + key() }, signal: streamAbort.signal });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const kind = (block.match(/^event: (.*)$/m) || [])[1];
        const data = (block.match(/^data: (.*)$/m) || [])[1];
        if (kind && data) onEvent(kind, JSON.parse(data));
      }
    }
  } catch (error) { if (error.name !== "AbortError") showError(error); }
  streamAbort = null;
}

function onEvent(kind, data) {
  if (kind === "offer" && me.role === "poster") refreshOffers().catch(showError);
  if (kind === "need" && me.role === "responder") {
    const item = el("li", `${data.need_id}: ${data.labels.join(", ")} in ${data.jurisdiction} (${data.language}), score ${data.score}`);
    item.appendChild(offerButton(data.need_id));
    $("feed").prepend(item);
  }
  if (kind === "offer" && me.role === "responder") {
    $("feed").prepend(el("li", `Your offer ${data.id} on ${data.need_id} is ${data.status}.`));
  }
}

// ---- responder -----------------------------------------------------------------------------
function offerButton(needId) {
  const button = el("button", "Offer help", { type: "button" });
  button.addEventListener("click", async () => {
    showError("");
    const attested = window.confirm("I attest that I have no conflict of interest with this need.");
    try {
      await api("POST", `/v1/needs/${needId}/offers`, { no_conflict_attested: attested });
      button.textContent = "Offered";
      button.disabled = true;
    } catch (error) { showError(error); }
  });
  return button;
}

async function search(event) {
  event.preventDefault();
  showError("");
  try {
    const data = await api("GET", "/v1/needs/search?q=" + encodeURIComponent($("query").value) + "&k=10");
    const list = $("results");
    list.replaceChildren();
    for (const result of data.results) {
      const item = el("li");
      item.appendChild(el("strong", `${result.need_id} (score ${result.score})`));
      const snippet = el("p");
      snippet.appendChild(marked(result.snippet));
      item.appendChild(snippet);
      item.appendChild(offerButton(result.need_id));
      list.appendChild(item);
    }
    if (!data.results.length) list.appendChild(el("li", "No open need matches yet."));
  } catch (error) { showError(error); }
}

async function loadProfile() {
  try {
    const profile = await api("GET", `/v1/responders/${me.responder_id}`);
    $("profile-expertise").value = profile.expertise;
    $("profile-capacity").value = profile.capacity;
    $("profile-form").dataset.profile = JSON.stringify(profile);
  } catch (error) { showError(error); }
}

async function saveProfile(event) {
  event.preventDefault();
  const profile = JSON.parse($("profile-form").dataset.profile || "{}");
  const body = { id: profile.id, name: profile.name, organization: profile.organization,
    expertise: $("profile-expertise").value, jurisdictions: profile.jurisdictions,
    languages: profile.languages, capacity: Number($("profile-capacity").value),
    email: profile.email, phone: profile.phone };
  if (profile.categories) body.categories = profile.categories;
  try { await api("PUT", `/v1/responders/${profile.id}`, body); $("profile-status").textContent = "Saved."; }
  catch (error) { showError(error); }
}

// ---- admin ---------------------------------------------------------------------------------
async function loadAdmin() {
  try {
    const models = await api("GET", "/v1/admin/models");
    const body = $("models").querySelector("tbody");
    body.replaceChildren();
    for (const model of models.models) {
      const row = el("tr");
      row.append(el("td", model.version), el("td", model.live ? "yes" : ""),
        el("td", `${model.primary} ${model.primary_value}`), el("td", String(model.rows)));
      body.appendChild(row);
    }
    const needs = await api("GET", "/v1/admin/needs");
    $("postings").replaceChildren(...needs.needs.map(postingItem));
  } catch (error) { showError(error); }
}

function postingItem(need) {
  // Confirm the predicted categories or correct them: listed ones apply, predicted ones
  // removed from the list do not; every other category stays unknown.
  const item = el("li");
  item.appendChild(el("p", `${need.id} [${need.status}] ${need.text.slice(0, 200)}`));
  const confirmed = Object.entries(need.admin_labels || {}).filter(([, applies]) => applies).map(([c]) => c);
  const fieldId = `labels-${need.id}`;
  item.appendChild(el("label", "Categories that apply (comma-separated)", { for: fieldId }));
  const input = el("input", null, { id: fieldId });
  input.value = (confirmed.length ? confirmed : need.labels).join(", ");
  item.appendChild(input);
  const save = el("button", "Save labels", { type: "button" });
  const status = el("span", "", { role: "status" });
  save.addEventListener("click", async () => {
    showError("");
    const applies = input.value.split(",").map((c) => c.trim()).filter(Boolean);
    const doesNotApply = need.labels.filter((c) => !applies.includes(c));
    try {
      await api("POST", `/v1/admin/needs/${need.id}/labels`, { applies, does_not_apply: doesNotApply });
      status.textContent = " Saved.";
    } catch (error) { showError(error); }
  });
  item.append(save, status);
  return item;
}

document.addEventListener("DOMContentLoaded", () => {
  $("signin-form").addEventListener("submit", signIn);
  $("signout").addEventListener("click", signOut);
  $("preview-form").addEventListener("submit", preview);
  $("publish-button").addEventListener("click", publish);
  $("search-form").addEventListener("submit", search);
  $("profile-form").addEventListener("submit", saveProfile);
  loadAccount();
});
