"use strict";
// needmatch web page: plain JavaScript over the /v1 API. User text is only ever inserted as
// text nodes (never as HTML), and the raw narrative is sent only to the preview endpoint.
// Every string the page shows comes from a message catalogue (static/i18n/<language>.json).

const $ = (id) => document.getElementById(id);
let me = null;
let streamAbort = null;

// ---- languages -----------------------------------------------------------------------------
const LANGUAGES = ["en", "es", "fr", "pt"];
const LANGUAGE_STORAGE = "needmatch-language";
// Attributes that can carry a catalogue key: data-i18n-<attribute>="key".
const TRANSLATED_ATTRIBUTES = ["placeholder", "title", "aria-label", "alt"];
let language = "en";
let english = {};
let messages = {};
const catalogues = new Map();
let formats = {};
let i18nReady = Promise.resolve();
// Category id -> {label, description} as the API knows them (admins can add categories).
const categoryInfo = new Map();

function storedLanguage() {
  try { return localStorage.getItem(LANGUAGE_STORAGE); } catch { return null; }
}

function preferredLanguage() {
  const stored = storedLanguage();
  if (LANGUAGES.includes(stored)) return stored;
  for (const tag of navigator.languages || [navigator.language]) {
    const base = String(tag || "").toLowerCase().split("-")[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return "en";
}

async function catalogue(code) {
  if (!catalogues.has(code)) {
    const response = await fetch(`/static/i18n/${code}.json`);
    if (!response.ok) throw new Error(`${response.status}`);
    catalogues.set(code, await response.json());
  }
  return catalogues.get(code);
}

function makeFormats(code) {
  const optional = (make) => { try { return make(); } catch { return null; } };
  return {
    plural: new Intl.PluralRules(code),
    number: new Intl.NumberFormat(code, { maximumFractionDigits: 4 }),
    percent: new Intl.NumberFormat(code, { style: "percent" }),
    date: new Intl.DateTimeFormat(code, { dateStyle: "medium", timeStyle: "short" }),
    list: optional(() => new Intl.ListFormat(code, { style: "long", type: "conjunction" })),
    languages: optional(() => new Intl.DisplayNames([code], { type: "language", fallback: "code" })),
    regions: optional(() => new Intl.DisplayNames([code], { type: "region", fallback: "code" })),
  };
}

async function setLanguage(code) {
  english = await catalogue("en").catch(() => ({}));
  let chosen = code;
  try { messages = await catalogue(code); } catch { messages = english; chosen = "en"; }
  language = chosen;
  formats = makeFormats(chosen);
  document.documentElement.lang = chosen;
  $("ui-language").value = chosen;
  translatePage();
}

async function switchLanguage(event) {
  const code = event.target.value;
  try { localStorage.setItem(LANGUAGE_STORAGE, code); } catch { /* private mode: not remembered */ }
  await setLanguage(code);
}

function has(key) { return Object.hasOwn(messages, key) || Object.hasOwn(english, key); }

function template(key, params) {
  // A count picks the plural form (key.one, key.other, ...), falling back to key.other.
  if (params && typeof params.count === "number") {
    for (const form of [`${key}.${formats.plural.select(params.count)}`, `${key}.other`]) {
      if (has(form)) return template(form);
    }
  }
  if (Object.hasOwn(messages, key)) return messages[key];
  if (Object.hasOwn(english, key)) return english[key];
  return key;  // visible, so that a missing key is noticed, but never a crash
}

function t(key, params) {
  return template(key, params).replace(/\{(\w+)\}/g, (whole, name) =>
    params && Object.hasOwn(params, name) ? format(params[name]) : whole);
}

function languageName(code) {
  try { return (formats.languages && formats.languages.of(code)) || code; } catch { return code; }
}

function placeName(code) {
  // Countries by name; subdivisions (US-TX) stay codes, which Intl cannot name.
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try { return (formats.regions && formats.regions.of(code)) || code; } catch { return code; }
}

function categoryLabel(id) {
  const key = `category.${id}.label`;
  if (has(key)) return t(key);
  return categoryInfo.has(id) ? categoryInfo.get(id).label : id;
}

function categoryDescription(id) {
  const key = `category.${id}.description`;
  if (has(key)) return t(key);
  return categoryInfo.has(id) ? categoryInfo.get(id).description : "";
}

// A parameter is a string or number, a list, or a small JSON object rendered in the current
// language: {msg, params}, {category}, {language}, {region}, {date}, {percent},
// {number, digits}, {items, separator}. Being JSON, it is kept on the element and redrawn
// when the language changes.
function format(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return formats.number.format(value);
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const parts = value.map(format);
    return formats.list ? formats.list.format(parts) : parts.join(", ");
  }
  if (Object.hasOwn(value, "msg")) return t(value.msg, value.params);
  if (Object.hasOwn(value, "category")) return categoryLabel(value.category);
  if (Object.hasOwn(value, "language")) return languageName(value.language);
  if (Object.hasOwn(value, "region")) return placeName(value.region);
  if (Object.hasOwn(value, "date")) {
    const date = new Date(value.date);
    return Number.isNaN(date.getTime()) ? String(value.date) : formats.date.format(date);
  }
  if (Object.hasOwn(value, "percent")) return formats.percent.format(value.percent);
  if (Object.hasOwn(value, "number")) {
    return new Intl.NumberFormat(language, {
      minimumFractionDigits: value.digits, maximumFractionDigits: value.digits }).format(value.number);
  }
  if (Object.hasOwn(value, "items")) return value.items.map(format).join(value.separator || ", ");
  return String(value);
}

// A term from a family of keys (role.admin, offer_status.pending): the catalogue's word when it
// knows the value, else the API's own word.
function term(family, value) {
  const key = `${family}.${String(value).toLowerCase().replace(/[^a-z0-9]+/g, "_")}`;
  return has(key) ? { msg: key } : String(value ?? "");
}

function tr(node, key, params) {
  node.setAttribute("data-i18n", key);
  if (params) node.setAttribute("data-i18n-params", JSON.stringify(params));
  else node.removeAttribute("data-i18n-params");
  node.textContent = t(key, params);
  return node;
}

function trAttribute(node, attribute, key, params) {
  node.setAttribute(`data-i18n-${attribute}`, key);
  if (params) node.setAttribute(`data-i18n-${attribute}-params`, JSON.stringify(params));
  node.setAttribute(attribute, t(key, params));
  return node;
}

// Text from a message: a {msg, params} object, or any other parameter value.
function say(node, message) {
  if (message && typeof message === "object" && Object.hasOwn(message, "msg")) {
    return tr(node, message.msg, message.params);
  }
  return tr(node, "common.text", { text: message });
}

function readParams(node, attribute) {
  const text = node.getAttribute(attribute);
  if (!text) return undefined;
  try { return JSON.parse(text); } catch { return undefined; }
}

function translatePage() {
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.getAttribute("data-i18n"), readParams(node, "data-i18n-params"));
  }
  for (const attribute of TRANSLATED_ATTRIBUTES) {
    for (const node of document.querySelectorAll(`[data-i18n-${attribute}]`)) {
      node.setAttribute(attribute, t(node.getAttribute(`data-i18n-${attribute}`),
        readParams(node, `data-i18n-${attribute}-params`)));
    }
  }
}

// ---- the API -------------------------------------------------------------------------------
function key() { return sessionStorage.getItem("needmatch-key") || ""; }

async function api(method, path, body, extraHeaders) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { "Authorization": "Bearer " + key(), "Content-Type": "application/json",
        ...(extraHeaders || {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch { throw messageError({ msg: "error.network" }); }
  const text = await response.text();
  let data = {};
  try { data = text ? JSON.parse(text) : {}; } catch { data = {}; }
  if (!response.ok) {
    // The API's own words (it explains what to change); its status when it gave none.
    const fields = (data.errors || []).map((e) => `${e.field}: ${e.message}`).join("; ");
    const detail = typeof data.detail === "string" ? data.detail : "";
    if (!detail) throw messageError({ msg: "error.status", params: { status: String(response.status) } });
    throw messageError(fields ? { msg: "error.with_fields", params: { detail, fields } } : detail);
  }
  return data;
}

function messageError(message) {
  const error = new Error(typeof message === "string" ? message : t(message.msg, message.params));
  error.i18n = message;
  return error;
}

function showError(error) {
  const node = $("error");
  if (!error) { node.removeAttribute("data-i18n"); node.textContent = ""; return; }
  say(node, error.i18n !== undefined ? error.i18n : String(error.message || error));
}

function el(tag, text, attributes) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  return node;
}

// An element whose text is the message `key` with `params`.
function elt(tag, key, params, attributes) { return tr(el(tag, null, attributes), key, params); }

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
  await i18nReady;
  await loadAccount();
}

async function loadAccount() {
  showError("");
  if (!key()) return;
  try { me = await api("GET", "/v1/me"); } catch (error) { showError(error); return; }
  tr($("whoami"), "signin.signed_in", { role: term("role", me.role), organization: me.organization });
  $("signout").hidden = false;
  $("advocate").hidden = !["poster", "admin"].includes(me.role);
  $("responder").hidden = me.role !== "responder";
  $("admin").hidden = me.role !== "admin";
  if (me.role !== "admin") await loadCategoryInfo().catch(() => {});  // names only: not fatal
  if (me.role === "responder") { loadProfile(); startStream(); }
  if (["poster", "admin"].includes(me.role)) loadMyNeeds().catch(showError);
  if (me.role === "poster") startStream();
  if (me.role === "admin") loadAdmin();
}

async function loadCategoryInfo() {
  const data = await api("GET", "/v1/categories");
  categoryInfo.clear();
  for (const category of data.categories) categoryInfo.set(category.id, category);
  return data;
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
  // A new summary: nothing of the posting shown before stays on screen, and its publish gets a
  // key of its own, so that a second click (or a retry) returns the same posting.
  publishKey = newKey();
  $("publish-button").disabled = false;
  $("published").hidden = true;
  delete $("published").dataset.needId;
  $("suggestions").replaceChildren();
  $("offers").replaceChildren();
  $("mark-status").textContent = "";
  const text = $("narrative").value;
  try {
    const result = await api("POST", "/v1/needs/preview", {
      text, jurisdiction: $("jurisdiction").value, language: $("language").value });
    const view = $("highlighted");
    view.replaceChildren();
    let position = 0;
    for (const entity of result.entities) {
      view.appendChild(document.createTextNode(text.slice(position, entity.start)));
      view.appendChild(removedSpan(entity, text.slice(entity.start, entity.end)));
      position = entity.end;
    }
    view.appendChild(document.createTextNode(text.slice(position)));
    $("redacted").value = result.redacted_text;
    const warning = $("language-warning");
    const check = result.language || {};
    if (check.measured === false) say(warning, { msg: "preview.language_warning",
      params: { language: { language: check.detected } } });
    else if (check.names_often_missed) say(warning, { msg: "preview.names_warning",
      params: { language: { language: check.detected } } });
    warning.hidden = check.measured !== false && !check.names_often_missed;
    const list = $("categories");
    list.replaceChildren();
    for (const label of result.labels) {
      const item = el("li", null, { "data-category": label });
      item.appendChild(elt("strong", "preview.category_score",
        { category: { category: label }, score: { percent: result.scores[label] } }));
      if (categoryDescription(label)) item.appendChild(describeCategory(el("p", null, { class: "hint" }), label));
      for (const evidence of result.evidence[label] || []) item.appendChild(el("p", evidence.text, { class: "evidence" }));
      list.appendChild(item);
    }
    if (!result.labels.length) list.appendChild(elt("li", "preview.no_category"));
    $("preview").hidden = false;
    $("redacted").focus();
  } catch (error) { showError(error); }
}

function describeCategory(node, id) {
  // A category the catalogue does not know keeps the description the API gave it.
  const key = `category.${id}.description`;
  return has(key) ? tr(node, key) : say(node, categoryDescription(id));
}

// The API explains place and language in English sentences (index/eligibility.py); the known
// ones are recognised and said in the page's language, any other one is shown as it came.
function placeReason(reason) {
  let match;
  if ((match = /^practises in (?:the )?([A-Z]{2}(?:-[A-Z0-9]{1,3})?)$/.exec(reason))) {
    return { msg: "match.place.serves", params: { place: { region: match[1] } } };
  }
  if ((match = /^practises throughout ([A-Z]{2})$/.exec(reason))) {
    return { msg: "match.place.throughout", params: { place: { region: match[1] } } };
  }
  if ((match = /^practises in part of ([A-Z]{2})$/.exec(reason))) {
    return { msg: "match.place.part_of", params: { place: { region: match[1] } } };
  }
  if (reason.startsWith("immigration law is federal")) return { msg: "match.place.federal_immigration" };
  if (reason.startsWith("nationwide federal practice")) return { msg: "match.place.nationwide_federal" };
  return reason;
}

function languageReason(reason) {
  let match;
  if ((match = /^speaks ([a-z]{2,3})$/.exec(reason))) {
    return { msg: "match.language.speaks", params: { language: { language: match[1] } } };
  }
  if ((match = /^does not speak ([a-z]{2,3});/.exec(reason))) {
    return { msg: "match.language.interpreter", params: { language: { language: match[1] } } };
  }
  return reason;
}

function placeSummary(jurisdiction) {
  // One reason for all categories is said once; different reasons are said per category.
  const groups = new Map();
  for (const [category, reason] of Object.entries(jurisdiction)) {
    const said = placeReason(reason);
    const id = JSON.stringify(said);
    if (!groups.has(id)) groups.set(id, { said, categories: [] });
    groups.get(id).categories.push({ category });
  }
  const all = [...groups.values()];
  if (all.length === 1) return all[0].said;
  return { msg: "common.text", params: { text: { separator: "; ", items: all.map((group) => ({
    msg: "match.place.for_categories", params: { categories: group.categories, reason: group.said } })) } } };
}

function renderSuggestion(suggestion) {
  const e = suggestion.explanation;
  const item = el("li");
  const explain = { class: "explain" };
  const card = suggestion.responder;
  // Named by the responder's name and organisation; the id only when the route gave no card.
  item.appendChild(card
    ? elt("strong", "match.heading_named", { name: card.name, organization: card.organization || "—",
      score: suggestion.score })
    : elt("strong", "match.heading", { responder: suggestion.responder_id, score: suggestion.score }));
  const inCommon = e.categories_in_common.map((category) => ({ category }));
  item.appendChild(elt("p", e.categories_declared ? "match.categories" : "match.categories_inferred",
    { categories: inCommon }, explain));
  const whole = e.expertise_sentence === "(whole profile)";
  item.appendChild(elt("p", whole ? "match.sentence_whole_profile" : "match.sentence",
    { need: e.need_sentence.text, expertise: e.expertise_sentence, similarity: e.similarity }, explain));
  item.appendChild(say(el("p", null, explain), placeSummary(e.jurisdiction)));
  item.appendChild(say(el("p", null, explain), languageReason(e.language)));
  item.appendChild(elt("p", "match.capacity", { count: e.capacity }, explain));
  const parts = Object.entries(e.score_parts).map(([name, value]) =>
    ({ msg: "match.score_part", params: { part: term("score_part", name), value } }));
  item.appendChild(elt("p", "match.score_parts", { parts: { items: parts, separator: ", " } }, explain));
  return item;
}

let publishKey = null;

// A random key (crypto.randomUUID exists only in secure contexts; getRandomValues everywhere).
function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function publish() {
  showError("");
  // Publish sends the reviewed, redacted text only, and the server redacts it once more.
  $("narrative").value = "";
  try {
    const need = await api("POST", "/v1/needs", {
      text: $("redacted").value, jurisdiction: $("jurisdiction").value,
      language: $("language").value, urgency: $("urgency").value,
      survivor_languages: $("survivor-languages").value.split(",").map((code) => code.trim()).filter(Boolean) },
      { "Idempotency-Key": publishKey });
    $("publish-button").disabled = true;
    $("published").hidden = false;
    $("published").dataset.needId = need.id;
    // A need held for review is not shown to responders until the advocate opens it.
    const review = $("review-notice");
    review.hidden = !need.review;
    $("open-need").hidden = !need.review;
    if (need.review) say(review, { msg: `published.review.${need.review}`,
      params: { language: { language: need.detected_language } } });
    const list = $("suggestions");
    list.replaceChildren(...need.suggestions.map(renderSuggestion));
    if (!need.suggestions.length) list.append(elt("li", "published.no_responder"), ...whyNobody(need.no_suggestion));
    startStream();
    loadMyNeeds().catch(showError);
  } catch (error) { showError(error); }
}

// A removed detail: its placeholder, and its original text beside it (in this page only: the
// original never leaves the browser), with a button to put it back when it identifies nobody.
function removedSpan(entity, original) {
  const span = el("span", null, { class: "removed" });
  span.appendChild(trAttribute(el("mark", entity.placeholder), "title", "preview.removed_type",
    { type: term("entity", entity.type) }));
  span.appendChild(el("del", original, { class: "original" }));
  const undo = elt("button", "preview.undo", {}, { type: "button", class: "undo" });
  undo.addEventListener("click", () => putBack(entity, original, undo));
  span.appendChild(undo);
  return span;
}

// The redacted text around a position, as marks are kept: never the marked words themselves.
function around(value, start, end) {
  return { before: value.slice(Math.max(0, start - 120), start), after: value.slice(end, end + 120) };
}

async function sendMark(kind, type, context) {
  try {
    await api("POST", "/v1/redaction-feedback", { kind, entity_type: type, ...context });
  } catch (error) { showError(error); }
}

async function putBack(entity, original, button) {
  const box = $("redacted");
  const at = box.value.indexOf(entity.placeholder);
  if (at < 0) return;
  const context = around(box.value, at, at + entity.placeholder.length);
  box.value = box.value.slice(0, at) + original + box.value.slice(at + entity.placeholder.length);
  button.disabled = true;
  tr(button, "preview.undone");
  await sendMark("wrongly_removed", entity.type, context);
}

async function removeSelected() {
  const box = $("redacted");
  const status = $("mark-status");
  const start = box.selectionStart, end = box.selectionEnd;
  if (start === end) { tr(status, "preview.mark_nothing_selected"); return; }
  const type = $("mark-type").value;
  const context = around(box.value, start, end);
  box.value = box.value.slice(0, start) + `[${type}]` + box.value.slice(end);
  tr(status, "preview.mark_done");
  await sendMark("missed", type, context);
}

// Why nobody was suggested, per category: the eligibility rule that left nobody.
function whyNobody(report) {
  return Object.entries(report || {}).filter(([, counts]) => counts.reason).map(([category, counts]) =>
    elt("li", `why.${counts.reason}`, { category: { category }, count: counts.practise }, { class: "explain" }));
}

// The organisation's postings, newest first: after a reload the advocate finds them here.
async function loadMyNeeds() {
  const data = await api("GET", "/v1/needs?limit=20");
  const list = $("my-needs");
  list.replaceChildren();
  if (!data.needs.length) { list.appendChild(elt("li", "mine.none")); return; }
  for (const need of data.needs) {
    const item = el("li", null, { "data-need": need.id });
    const summary = need.text.length > 140 ? need.text.slice(0, 140) + "…" : need.text;
    item.appendChild(elt("strong", "mine.heading", { date: { date: need.created_at },
      status: term("need_status", need.status) }));
    item.appendChild(el("p", summary, { class: "explain" }));
    if (need.labels.length) item.appendChild(elt("p", "mine.categories",
      { categories: need.labels.map((category) => ({ category })) }, { class: "explain" }));
    const show = elt("button", "mine.show", {}, { type: "button" });
    show.addEventListener("click", () => showNeed(need).catch(showError));
    item.appendChild(show);
    list.appendChild(item);
  }
}

async function showNeed(need) {
  showError("");
  $("published").hidden = false;
  $("published").dataset.needId = need.id;
  $("review-notice").hidden = need.status !== "review";
  $("open-need").hidden = need.status !== "review";
  if (need.status === "review") say($("review-notice"), { msg: "mine.held" });
  const data = await api("GET", `/v1/needs/${need.id}/suggestions?k=5`);
  const list = $("suggestions");
  list.replaceChildren(...data.suggestions.map(renderSuggestion));
  if (!data.suggestions.length) list.append(elt("li", "published.no_responder"), ...whyNobody(data.no_suggestion));
  await refreshOffers();
  $("published").scrollIntoView();
}

async function openNeed() {
  showError("");
  try {
    await api("PATCH", `/v1/needs/${$("published").dataset.needId}`, { status: "open" });
    say($("review-notice"), { msg: "published.opened" });
    $("open-need").hidden = true;
  } catch (error) { showError(error); }
}

async function refreshOffers() {
  const needId = $("published").dataset.needId;
  if (!needId) return;
  const data = await api("GET", `/v1/needs/${needId}/offers`);
  const list = $("offers");
  list.replaceChildren();
  for (const offer of data.offers) {
    const item = el("li");
    item.appendChild(elt("span", "offers.offer",
      { offer: offer.id, responder: offer.responder_id, status: term("offer_status", offer.status) }));
    if (offer.responder_contact) {
      const c = offer.responder_contact;
      item.appendChild(elt("p", "offers.contact",
        { name: c.name, organization: c.organization, email: c.email || "", phone: c.phone || "" }));
    }
    if (offer.status === "pending") {
      const accept = elt("button", "offers.accept", null, { type: "button" });
      accept.addEventListener("click", () => decide(offer.id, "accept"));
      const decline = elt("button", "offers.decline", null, { type: "button" });
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
    const item = el("li");
    item.appendChild(elt("span", "feed.need", { need: data.need_id,
      categories: data.labels.map((category) => ({ category })), place: { region: data.jurisdiction },
      language: { language: data.language }, score: data.score }));
    item.append(" ", offerButton(data.need_id));
    $("feed").prepend(item);
  }
  if (kind === "offer" && me.role === "responder") {
    $("feed").prepend(elt("li", "feed.offer",
      { offer: data.id, need: data.need_id, status: term("offer_status", data.status) }));
  }
}

// ---- responder -----------------------------------------------------------------------------
function offerButton(needId) {
  const button = elt("button", "search.offer", null, { type: "button" });
  button.addEventListener("click", async () => {
    showError("");
    // No offer without the attestation: Cancel sends nothing.
    if (!window.confirm(t("search.attest"))) { say($("search-status"), { msg: "search.not_offered" }); return; }
    const attested = true;
    try {
      await api("POST", `/v1/needs/${needId}/offers`, { no_conflict_attested: attested });
      tr(button, "search.offered");
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
      item.appendChild(elt("strong", "search.result", { need: result.need_id, score: result.score }));
      const snippet = el("p");
      snippet.appendChild(marked(result.snippet));
      item.appendChild(snippet);
      item.appendChild(offerButton(result.need_id));
      list.appendChild(item);
    }
    if (!data.results.length) list.appendChild(elt("li", "search.none"));
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
  try { await api("PUT", `/v1/responders/${profile.id}`, body); tr($("profile-status"), "common.saved"); }
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

// The gate's reasons are English sentences (training/retrain.py): the known shapes are said in
// the page's language, any other one as it came.
function gateReason(reason) {
  let match;
  if ((match = /^held-out macro-F1 ([\d.]+) is below the live model's ([\d.]+) by more than ([\d.]+)$/.exec(reason))) {
    return { msg: "gate.reason.below", params: { candidate: Number(match[1]), live: Number(match[2]),
      tolerance: Number(match[3]) } };
  }
  if ((match = /^([a-z][a-z0-9_]*): F1 drops by ([\d.]+) \(allowed ([\d.]+)\)$/.exec(reason))) {
    return { msg: "gate.reason.drop", params: { category: { category: match[1] }, drop: Number(match[2]),
      allowed: Number(match[3]) } };
  }
  return reason;
}

function gateReasons(reasons) { return { separator: "; ", items: (reasons || []).map(gateReason) }; }

async function loadModels() {
  const models = await api("GET", "/v1/admin/models");
  tr($("serving"), "admin.serving", { live: models.live, serving: models.serving });
  const body = $("models").querySelector("tbody");
  body.replaceChildren();
  for (const model of models.models) {
    const row = el("tr");
    const known = model.primary_value !== null && model.primary_value !== undefined;
    const value = known ? { number: Number(model.primary_value), digits: 4 } : "";
    let gate = { msg: "gate.shipped" };
    if (model.gate) gate = model.gate.passed ? { msg: "gate.passed" }
      : { msg: "gate.refused", params: { reasons: gateReasons(model.gate.reasons) } };
    const gateCell = say(el("td", null, model.gate && !model.gate.passed ? { class: "gate-refused" } : {}), gate);
    const actions = el("td");
    if (!model.live) {
      const promote = elt("button", "admin.make_live", null, { type: "button" });
      trAttribute(promote, "aria-label", "admin.make_live_version", { version: model.version });
      promote.addEventListener("click", () => promoteVersion(model));
      actions.appendChild(promote);
    }
    if (model.has_chart) {
      const chart = elt("button", "admin.chart", null, { type: "button" });
      trAttribute(chart, "aria-label", "admin.chart_version", { version: model.version });
      chart.addEventListener("click", () => showChart(model.version));
      actions.append(" ", chart);
    }
    const created = model.created_at ? elt("td", "common.text", { text: { date: model.created_at } }) : el("td");
    const rows = model.rows === null || model.rows === undefined ? el("td") : say(el("td"), model.rows);
    row.append(el("td", model.version), created, model.live ? elt("td", "common.yes") : el("td"),
      elt("td", "admin.primary_value", { metric: model.primary ? term("metric", model.primary) : "", value }),
      rows, gateCell, actions);
    body.appendChild(row);
  }
}

async function promoteVersion(model) {
  showError("");
  let reason = "";
  if (model.gate && !model.gate.passed) {
    reason = window.prompt(t("admin.force_prompt", { version: model.version })) || "";
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

function jobStage(job) { return term("job_stage", job.stage || job.status); }

async function reclassify() {
  showError("");
  const status = $("reclassify-status");
  const button = $("reclassify-button");
  tr(status, "reclassify.starting");
  button.disabled = true;
  try {
    let job = await api("POST", "/v1/admin/needs/reclassify");
    while (!job.finished) {
      tr(status, job.total ? "reclassify.progress" : "reclassify.running",
        { stage: jobStage(job), done: job.done, total: job.total });
      await new Promise((resolve) => setTimeout(resolve, 500));
      job = await api("GET", `/v1/admin/jobs/${job.id}`);
    }
    if (job.status !== "done") throw messageError({ msg: "reclassify.failed", params: { message: job.message || "" } });
    const result = job.report;
    tr(status, "reclassify.done", { needs: result.needs, model: result.model, changed: result.changed,
      responders: result.responders_changed });
    await loadPostings();
  } catch (error) { showError(error); status.removeAttribute("data-i18n"); status.textContent = ""; }
  button.disabled = false;
}

async function showChart(version) {
  // The chart needs the key, so it is fetched and shown from memory.
  const response = await fetch(`/v1/admin/models/${version}/chart`, { headers: { "Authorization": "Bearer " + key() } });
  if (!response.ok) { showError(messageError({ msg: "admin.chart_failed" })); return; }
  const image = $("chart");
  if (image.src) URL.revokeObjectURL(image.src);
  image.src = URL.createObjectURL(await response.blob());
  tr($("chart-caption"), "admin.chart_caption", { version });
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

function retrainResult(job) {
  // Said from the job's structured report where there is one, else the API's message.
  const report = job.report || {};
  const decision = report.decision || {};
  const version = job.candidate_version || report.version || "";
  if (job.status === "refused" && decision.reasons) {
    return { msg: "retrain.result.refused", params: { version, reasons: gateReasons(decision.reasons) } };
  }
  if (job.status === "promoted" && decision.passed) {
    return { msg: "retrain.result.passed", params: { version, candidate: decision.candidate_primary,
      live: decision.live_primary } };
  }
  if (job.status === "promoted") return { msg: "retrain.result.forced", params: { version } };
  if (job.status === "unchanged") return { msg: "retrain.result.unchanged" };
  if (job.status === "failed") return { msg: "retrain.result.failed", params: { message: job.message || "" } };
  return job.message || "";
}

async function followRetrain(jobId) {
  $("retrain-status").hidden = false;
  $("retrain-button").disabled = true;
  $("retrain-scores").querySelector("tbody").replaceChildren();
  say($("retrain-message"), "");
  for (;;) {
    let job;
    try { job = await api("GET", `/v1/admin/retrain/${jobId}`); } catch (error) { showError(error); break; }
    if (job.finished) tr($("retrain-stage"), "retrain.finished", { id: job.id, status: term("job_status", job.status) });
    else tr($("retrain-stage"), job.total ? "retrain.progress" : "retrain.running",
      { id: job.id, stage: jobStage(job), done: job.done, total: job.total });
    $("retrain-progress").max = Math.max(job.total, 1);
    $("retrain-progress").value = job.finished ? Math.max(job.total, 1) : job.done;
    if (job.finished) {
      say($("retrain-message"), retrainResult(job));
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
    const show = (value) => value === undefined ? "-" : { number: Number(value), digits: 3 };
    const row = el("tr");
    row.append(elt("td", "common.text", { text: { category: label } }),
      elt("td", "common.text", { text: show(live[label]) }), elt("td", "common.text", { text: show(fresh[label]) }));
    body.appendChild(row);
  }
}

function categoryStatus(status) {
  // The API says a category's status in English (api/services/labels.py).
  if (status === "live") return { msg: "category_status.live" };
  if (String(status).startsWith("ready")) return { msg: "category_status.ready" };
  const match = /^collecting examples: (\d+) of (\d+)$/.exec(status);
  if (match) return { msg: "category_status.collecting", params: { done: Number(match[1]), needed: Number(match[2]) } };
  return String(status);
}

async function loadCategories() {
  const data = await loadCategoryInfo();
  $("category-list").replaceChildren(...data.categories.map((category) => {
    const item = el("li");
    item.appendChild(elt("span", "admin.category_item", { id: category.id, label: { category: category.id },
      status: categoryStatus(category.status) }));
    item.append(" ", describeCategory(el("span", null, { class: "hint" }), category.id));
    return item;
  }));
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
  { msg: "admin.unsure", params: { category: { category: item.uncertain_category }, score: item.score,
    threshold: item.threshold } })));
  if (!data.suggestions.length) list.appendChild(elt("li", "admin.nothing_to_label"));
}

async function loadPostings() {
  const needs = await api("GET", "/v1/admin/needs");
  $("postings").replaceChildren(...needs.needs.map((need) => postingItem(need)));
}

function postingItem(need, note) {
  // Confirm the predicted categories or correct them: listed ones apply, predicted ones
  // removed from the list do not; every other category stays unknown.
  const item = el("li");
  item.appendChild(elt("p", "admin.posting", { id: need.id, status: term("need_status", need.status),
    text: need.text.slice(0, 200) }));
  if (note) item.appendChild(say(el("p", null, { class: "hint" }), note));
  const confirmed = Object.entries(need.admin_labels || {}).filter(([, applies]) => applies).map(([c]) => c);
  const fieldId = `labels-${need.id}-${note ? "s" : "p"}`;
  item.appendChild(elt("label", "admin.labels_field", null, { for: fieldId }));
  const input = el("input", null, { id: fieldId });
  input.value = (confirmed.length ? confirmed : need.labels).join(", ");
  item.appendChild(input);
  const save = elt("button", "admin.save_labels", null, { type: "button" });
  const status = el("span", "", { role: "status" });
  save.addEventListener("click", async () => {
    showError("");
    const applies = input.value.split(",").map((c) => c.trim()).filter(Boolean);
    const doesNotApply = need.labels.filter((c) => !applies.includes(c));
    try {
      await api("POST", `/v1/admin/needs/${need.id}/labels`, { applies, does_not_apply: doesNotApply });
      tr(status, "common.saved");
    } catch (error) { showError(error); }
  });
  item.append(save, " ", status);
  return item;
}

document.addEventListener("DOMContentLoaded", () => {
  // Handlers first: a form must never fall through to a native submission (CSP form-action).
  $("ui-language").addEventListener("change", switchLanguage);
  $("signin-form").addEventListener("submit", signIn);
  $("signout").addEventListener("click", signOut);
  $("preview-form").addEventListener("submit", preview);
  $("publish-button").addEventListener("click", publish);
  $("open-need").addEventListener("click", openNeed);
  $("mark-button").addEventListener("click", removeSelected);
  $("search-form").addEventListener("submit", search);
  $("profile-form").addEventListener("submit", saveProfile);
  $("retrain-form").addEventListener("submit", startRetrain);
  $("rollback-button").addEventListener("click", rollbackModel);
  $("reclassify-button").addEventListener("click", reclassify);
  $("category-form").addEventListener("submit", addCategory);
  i18nReady = setLanguage(preferredLanguage());
  i18nReady.then(loadAccount);
});
