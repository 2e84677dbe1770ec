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
    const warning = $("language-warning");
    warning.textContent = result.language.warning || "";
    warning.hidden = !result.language.warning;
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
    await Promise.all([loadModels(), loadCategories()]);
    await Promise.all([loadSuggestions(), loadPostings()]);
    const jobs = await api("GET", "/v1/admin/retrain");
    const running = jobs.jobs.find((job) => !job.finished);
    if (running) followRetrain(running.id);
  } catch (error) { showError(error); }
}

async function loadModels() {
  const models = await api("GET", "/v1/admin/models");
  $("serving").textContent = `Live: ${models.live}. Serving now: ${models.serving}.`;
  const body = $("models").querySelector("tbody");
  body.replaceChildren();
  for (const model of models.models) {
    const row = el("tr");
    const value = model.primary_value === null || model.primary_value === undefined ? "" : Number(model.primary_value).toFixed(4);
    const gate = model.gate ? (model.gate.passed ? "passed" : "refused: " + model.gate.reasons.join("; ")) : "shipped";
    const gateCell = el("td", gate, model.gate && !model.gate.passed ? { class: "gate-refused" } : {});
    const actions = el("td");
    if (!model.live) {
      const promote = el("button", "Make live", { type: "button", "aria-label": `Make ${model.version} live` });
      promote.addEventListener("click", () => promoteVersion(model));
      actions.appendChild(promote);
    }
    if (model.has_chart) {
      const chart = el("button", "Chart", { type: "button", "aria-label": `Show the held-out chart of ${model.version}` });
      chart.addEventListener("click", () => showChart(model.version));
      actions.append(" ", chart);
    }
    row.append(el("td", model.version), el("td", model.live ? "yes" : ""),
      el("td", `${model.primary || ""} ${value}`), el("td", String(model.rows ?? "")), gateCell, actions);
    body.appendChild(row);
  }
}

async function promoteVersion(model) {
  showError("");
  let reason = "";
  if (model.gate && !model.gate.passed) {
    reason = window.prompt(`The gate refused ${model.version}. Why make it live anyway?`) || "";
    if (!reason.trim()) return;
  }
  try { await api("POST", `/v1/admin/models/${model.version}/promote`, { reason }); await loadModels(); await loadCategories(); }
  catch (error) { showError(error); }
}

async function rollbackModel() {
  showError("");
  try { await api("POST", "/v1/admin/models/rollback"); await loadModels(); await loadCategories(); }
  catch (error) { showError(error); }
}

async function reclassify() {
  showError("");
  const status = $("reclassify-status");
  const button = $("reclassify-button");
  status.textContent = "Re-classifying…";
  button.disabled = true;
  try {
    let job = await api("POST", "/v1/admin/needs/reclassify");
    while (!job.finished) {
      status.textContent = `Re-classifying: ${job.stage || job.status}${job.total ? ` (${job.done} of ${job.total})` : ""}…`;
      await new Promise((resolve) => setTimeout(resolve, 500));
      job = await api("GET", `/v1/admin/jobs/${job.id}`);
    }
    if (job.status !== "done") throw new Error(`re-classifying failed: ${job.message}`);
    const result = job.report;
    status.textContent = `${result.needs} needs re-classified with ${result.model}: ${result.changed} changed (earlier categories kept); ${result.responders_changed} responders' inferred categories changed.`;
    await loadPostings();
  } catch (error) { showError(error); status.textContent = ""; }
  button.disabled = false;
}

async function showChart(version) {
  // The chart needs the key, so it is fetched and shown from memory.
  const response = await fetch(`/v1/admin/models/${version}/chart`, { headers: { "Authorization": "Bearer " + key() } });
  if (!response.ok) { showError(new Error("the chart could not be loaded")); return; }
  const image = $("chart");
  if (image.src) URL.revokeObjectURL(image.src);
  image.src = URL.createObjectURL(await response.blob());
  $("chart-caption").textContent = `Held-out F1 per category: ${version} beside the model live when it was trained.`;
  $("chart-figure").hidden = false;
}

async function startRetrain(event) {
  event.preventDefault();
  showError("");
  const reason = $("force-reason").value.trim();
  try {
    const job = await api("POST", "/v1/admin/retrain", reason ? { force_reason: reason } : {});
    followRetrain(job.id);
  } catch (error) { showError(error); }
}

async function followRetrain(jobId) {
  $("retrain-status").hidden = false;
  $("retrain-button").disabled = true;
  $("retrain-scores").querySelector("tbody").replaceChildren();
  $("retrain-message").textContent = "";
  for (;;) {
    let job;
    try { job = await api("GET", `/v1/admin/retrain/${jobId}`); } catch (error) { showError(error); break; }
    $("retrain-stage").textContent = job.finished ? `Retrain ${job.id}: ${job.status}` : `Retrain ${job.id}: ${job.stage || job.status} ${job.total ? `(${job.done} of ${job.total})` : ""}`;
    $("retrain-progress").max = Math.max(job.total, 1);
    $("retrain-progress").value = job.finished ? Math.max(job.total, 1) : job.done;
    if (job.finished) {
      $("retrain-message").textContent = `${job.status}: ${job.candidate_version || ""} — ${job.message}`;
      renderScores(job.report);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  $("retrain-button").disabled = false;
  await loadModels();
  await loadCategories();
}

function renderScores(report) {
  const body = $("retrain-scores").querySelector("tbody");
  body.replaceChildren();
  if (!report || !report.metrics) return;
  const live = report.metrics.live_held_out_per_label_f1 || {};
  const fresh = report.metrics.held_out_per_label_f1 || {};
  for (const label of [...new Set([...Object.keys(live), ...Object.keys(fresh)])].sort()) {
    const show = (value) => value === undefined ? "-" : Number(value).toFixed(3);
    const row = el("tr");
    row.append(el("td", label), el("td", show(live[label])), el("td", show(fresh[label])));
    body.appendChild(row);
  }
}

async function loadCategories() {
  const data = await api("GET", "/v1/categories");
  $("category-list").replaceChildren(...data.categories.map((category) =>
    el("li", `${category.id} — ${category.label}: ${category.status}`)));
}

async function addCategory(event) {
  event.preventDefault();
  showError("");
  try {
    await api("POST", "/v1/admin/categories", { id: $("category-id").value.trim(),
      label: $("category-label").value.trim(), description: $("category-description").value.trim() });
    $("category-form").reset();
    await loadCategories();
  } catch (error) { showError(error); }
}

async function loadSuggestions() {
  const data = await api("GET", "/v1/admin/labels/suggest?k=20");
  const list = $("suggested");
  list.replaceChildren(...data.suggestions.map((item) => postingItem({
    id: item.need_id, text: item.text, status: item.status, labels: item.predicted, admin_labels: {} },
    `unsure about ${item.uncertain_category} (score ${item.score}, threshold ${item.threshold})`)));
  if (!data.suggestions.length) list.appendChild(el("li", "Nothing left to label."));
}

async function loadPostings() {
  const needs = await api("GET", "/v1/admin/needs");
  $("postings").replaceChildren(...needs.needs.map((need) => postingItem(need)));
}

function postingItem(need, note) {
  // Confirm the predicted categories or correct them: listed ones apply, predicted ones
  // removed from the list do not; every other category stays unknown.
  const item = el("li");
  item.appendChild(el("p", `${need.id} [${need.status}] ${need.text.slice(0, 200)}`));
  if (note) item.appendChild(el("p", note, { class: "hint" }));
  const confirmed = Object.entries(need.admin_labels || {}).filter(([, applies]) => applies).map(([c]) => c);
  const fieldId = `labels-${need.id}-${note ? "s" : "p"}`;
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
  $("retrain-form").addEventListener("submit", startRetrain);
  $("rollback-button").addEventListener("click", rollbackModel);
  $("reclassify-button").addEventListener("click", reclassify);
  $("category-form").addEventListener("submit", addCategory);
  loadAccount();
});
