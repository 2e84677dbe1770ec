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
    // A calendar day (YYYY-MM-DD) is the same day everywhere: formatted in UTC.
    day: new Intl.DateTimeFormat(code, { dateStyle: "medium", timeZone: "UTC" }),
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
  defaultScope();
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
// language: {msg, params}, {category}, {language}, {region}, {date}, {day}, {percent},
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
  if (Object.hasOwn(value, "day")) {
    const day = new Date(`${value.day}T00:00:00Z`);
    return Number.isNaN(day.getTime()) ? String(value.day) : formats.day.format(day);
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
  if (me.role === "responder") {
    fillCategoryFilter();
    loadProfile();
    loadInvitations().catch(showError);
    loadMyOffers().catch(showError);
    startStream();
  }
  if (["poster", "admin"].includes(me.role)) loadMyCases().catch(showError);
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
// A random key (crypto.randomUUID exists only in secure contexts; getRandomValues everywhere).
function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// The summary being reviewed: its publish key (a second click or a retry returns the same
// case), and whether it was published or is being published.
let publishKey = null;
let published = false;
let publishing = false;
// Responder id -> the card a suggestion gave (name, organisation...): offers are named by them.
const responderCards = new Map();

async function preview(event) {
  event.preventDefault();
  showError("");
  // A new summary: nothing of the case shown before stays on screen, and it needs its own consent.
  publishKey = newKey();
  published = false;
  $("published").hidden = true;
  delete $("published").dataset.caseId;
  $("case-needs").replaceChildren();
  $("case-deadlines").replaceChildren();
  $("mark-status").textContent = "";
  resetConsent();
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
    renderCategoryReview(result);
    $("preview").hidden = false;
    updatePublishState();
    $("redacted").focus();
  } catch (error) { showError(error); }
}

function describeCategory(node, id) {
  // A category the catalogue does not know keeps the description the API gave it.
  const key = `category.${id}.description`;
  return has(key) ? tr(node, key) : say(node, categoryDescription(id));
}

// ---- the advocate's review of the categories: each checked one becomes a need --------------
function renderCategoryReview(result) {
  const list = $("categories");
  list.replaceChildren();
  for (const label of result.labels) {
    list.appendChild(categoryChoice(label, { score: result.scores[label], evidence: result.evidence[label] || [] }));
  }
  if (!result.labels.length) list.appendChild(elt("li", "preview.no_category", null, { class: "hint", "data-empty": "" }));
  fillCategorySelect();
}

function categoryChoice(id, proposed) {
  const item = el("li", null, { class: "need", "data-category": id });
  const row = el("div", null, { class: "check" });
  const box = el("input", null, { type: "checkbox", id: `choose-${id}`, value: id });
  box.checked = true;
  const label = el("label", null, { for: box.id });
  if (proposed) tr(label, "review.proposed", { category: { category: id }, score: { percent: proposed.score } });
  else tr(label, "review.added", { category: { category: id } });
  row.append(box, label);
  item.appendChild(row);
  if (categoryDescription(id)) item.appendChild(describeCategory(el("p", null, { class: "hint" }), id));
  for (const evidence of proposed ? proposed.evidence : []) item.appendChild(el("p", evidence.text, { class: "evidence" }));
  if (!proposed) {
    const remove = elt("button", "review.remove", null, { type: "button" });
    trAttribute(remove, "aria-label", "review.remove_named", { category: { category: id } });
    remove.addEventListener("click", () => { item.remove(); fillCategorySelect(); });
    item.appendChild(remove);
  }
  return item;
}

function byLabel(ids) {
  return [...ids].sort((a, b) => categoryLabel(a).localeCompare(categoryLabel(b), language));
}

function categoryOption(id) { return elt("option", "common.text", { text: { category: id } }, { value: id }); }

// Every category not on the list yet, by name.
function fillCategorySelect() {
  const listed = new Set([...$("categories").querySelectorAll("li[data-category]")].map((item) => item.dataset.category));
  const ids = byLabel([...categoryInfo.keys()].filter((id) => !listed.has(id)));
  $("add-category").replaceChildren(elt("option", "review.choose", null, { value: "" }), ...ids.map(categoryOption));
  $("add-category-button").disabled = !ids.length;
}

function addReviewedCategory() {
  showError("");
  const id = $("add-category").value;
  if (!id) { showError(messageError({ msg: "review.choose_first" })); return; }
  const empty = $("categories").querySelector("[data-empty]");
  if (empty) empty.remove();
  $("categories").appendChild(categoryChoice(id, null));
  fillCategorySelect();
}

function chosenCategories() {
  return [...$("categories").querySelectorAll("input:checked")].map((box) => box.value);
}

// ---- consent: written, dated, time-limited; Publish waits for it ----------------------------
function isoDay(date) { return date.toISOString().slice(0, 10); }

function resetConsent() {
  // Today as the server counts it (UTC) or as here, whichever is earlier: never in the future.
  const now = new Date();
  const utc = isoDay(now);
  const local = [now.getFullYear(), String(now.getMonth() + 1).padStart(2, "0"),
    String(now.getDate()).padStart(2, "0")].join("-");
  const today = local < utc ? local : utc;
  const day = 24 * 60 * 60 * 1000;
  const start = new Date(`${today}T00:00:00Z`).getTime();
  $("consent-written").checked = false;
  $("consent-obtained").value = today;
  $("consent-obtained").max = utc;
  $("consent-expires").value = isoDay(new Date(start + 90 * day));
  $("consent-expires").min = isoDay(new Date(new Date(`${utc}T00:00:00Z`).getTime() + day));
  delete $("consent-scope").dataset.edited;
  defaultScope();
}

function defaultScope() {
  // The catalogue's wording, in the page's language, until the advocate writes her own.
  if (!$("consent-scope").dataset.edited) $("consent-scope").value = t("consent.scope_default");
}

function consentGiven() {
  return $("consent-written").checked && Boolean($("consent-obtained").value)
    && Boolean($("consent-expires").value) && Boolean($("consent-scope").value.trim());
}

function updatePublishState() {
  const ready = consentGiven();
  $("publish-button").disabled = published || publishing || !ready;
  $("publish-hint").hidden = ready || published;
}

async function publish() {
  showError("");
  if (published || publishing || !consentGiven()) return;
  publishing = true;
  updatePublishState();
  // Publish sends the reviewed, redacted text only, and the server redacts it once more.
  $("narrative").value = "";
  const body = {
    text: $("redacted").value, jurisdiction: $("jurisdiction").value, language: $("language").value,
    survivor_languages: $("survivor-languages").value.split(",").map((code) => code.trim()).filter(Boolean),
    categories: chosenCategories(),
    consent: { written: true, obtained_on: $("consent-obtained").value, expires_on: $("consent-expires").value,
      scope: $("consent-scope").value.trim() } };
  if ($("urgency").value) body.urgency = $("urgency").value;
  try {
    const created = await api("POST", "/v1/cases", body, { "Idempotency-Key": publishKey });
    published = true;
    showPublished(created);
    startStream();
    loadMyCases().catch(showError);
  } catch (error) { showError(error); }
  publishing = false;
  updatePublishState();
}

// The published case: its urgency and deadlines, then a section per need with its suggestions.
function showPublished(kase) {
  const view = $("published");
  view.hidden = false;
  view.dataset.caseId = kase.id;
  // A case held for review is not shown to responders until the advocate opens it.
  const review = $("review-notice");
  review.hidden = !kase.review;
  $("open-case").hidden = !kase.review;
  $("open-case").disabled = false;
  if (kase.review) say(review, { msg: `published.review.${kase.review}`,
    params: { language: { language: kase.detected_language } } });
  tr($("case-urgency"), "case.urgency", { urgency: term("urgency", kase.urgency) });
  $("case-deadlines").replaceChildren(...deadlineItems(kase.deadlines));
  $("case-needs").replaceChildren(...kase.needs.map(needSection));
  if (!kase.needs.length) $("case-needs").appendChild(elt("p", "published.no_needs", null, { class: "hint" }));
  view.scrollIntoView();
}

function deadlineItems(deadlines) {
  if (!deadlines || !deadlines.length) return [elt("li", "case.no_deadline", null, { class: "hint" })];
  return deadlines.map((deadline) => elt("li", "case.deadline", { date: { day: deadline.date },
    kind: term("deadline_kind", deadline.kind), sentence: deadline.sentence || "" }));
}

function shortDeadlines(deadlines) {
  return (deadlines || []).map((deadline) => ({ msg: "case.deadline_short",
    params: { date: { day: deadline.date }, kind: term("deadline_kind", deadline.kind) } }));
}

function needSection(need) {
  const section = el("section", null, { class: "need", "data-need": need.id, "data-category": need.category });
  section.appendChild(elt("h4", "need.heading", { category: { category: need.category },
    status: term("need_status", need.status) }));
  section.appendChild(suggestionList(need, need.suggestions || [], need.no_suggestion));
  return section;
}

function suggestionList(need, suggestions, why) {
  const list = el("ol", null, { class: "suggestions" });
  list.append(...suggestions.map((suggestion) => renderSuggestion(suggestion, need)));
  if (!suggestions.length) {
    list.appendChild(elt("li", "published.no_responder"));
    const reason = whyNobody(need.category, why);
    if (reason) list.appendChild(reason);
  }
  return list;
}

async function openPublishedCase() {
  showError("");
  const button = $("open-case");
  button.disabled = true;
  try {
    const kase = await api("PATCH", `/v1/cases/${$("published").dataset.caseId}`, { status: "open" });
    say($("review-notice"), { msg: "published.opened" });
    button.hidden = true;
    for (const need of kase.needs) {
      const section = $("case-needs").querySelector(`[data-need="${need.id}"]`);
      if (!section) continue;
      tr(section.querySelector("h4"), "need.heading", { category: { category: need.category },
        status: term("need_status", need.status) });
      for (const invite of section.querySelectorAll(".invite")) {
        if (!invite.classList.contains("done")) invite.disabled = need.status !== "open";
      }
    }
    loadMyCases().catch(showError);
  } catch (error) { button.disabled = false; showError(error); }
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

// Why nobody was suggested for a need: the eligibility rule that left nobody.
function whyNobody(category, report) {
  if (!report || !report.reason) return null;
  return elt("li", `why.${report.reason}`, { category: { category }, count: report.practise }, { class: "explain" });
}

// ---- suggestions ---------------------------------------------------------------------------
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

function renderSuggestion(suggestion, need) {
  const e = suggestion.explanation;
  const item = el("li", null, { "data-responder": suggestion.responder_id });
  const explain = { class: "explain" };
  const card = suggestion.responder;
  if (card) responderCards.set(suggestion.responder_id, card);
  // Named by the responder's name and organisation; the id only when the route gave no card.
  item.appendChild(card
    ? elt("strong", "match.heading_named", { name: card.name, organization: card.organization || "—",
      score: suggestion.score })
    : elt("strong", "match.heading", { responder: suggestion.responder_id, score: suggestion.score }));
  if (card) item.appendChild(elt("p", "match.card", { places: card.jurisdictions.map((region) => ({ region })),
    languages: card.languages.map((code) => ({ language: code })) }, explain));
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
  if (need) item.appendChild(inviteButton(need, suggestion.responder_id, card));
  return item;
}

function inviteButton(need, responderId, card) {
  const button = elt("button", "invite.button", null, { type: "button", class: "invite" });
  const named = { name: card ? card.name : responderId, category: { category: need.category } };
  trAttribute(button, "aria-label", "invite.named", named);
  // A need held for review takes no invitation until the case is opened.
  button.disabled = need.status !== "open";
  button.addEventListener("click", async () => {
    showError("");
    button.disabled = true;
    try {
      await api("POST", `/v1/needs/${need.id}/invitations`, { responder_id: responderId });
      button.classList.add("done");
      tr(button, "invite.done");
      trAttribute(button, "aria-label", "invite.done_named", named);
    } catch (error) { button.disabled = false; showError(error); }
  });
  return button;
}

// ---- the dashboard: the organisation's cases, each need with its offers ---------------------
const CASES_PER_PAGE = 10;
let casesTicket = 0;
let casesLoad = null;  // the dashboard's load under way, if any

function loadMyCases() {
  casesLoad = loadCasesPage(0);
  return casesLoad;
}

// A page of cases, newest first: the first replaces the dashboard, the next ones are added.
async function loadCasesPage(offset) {
  const ticket = offset ? casesTicket : ++casesTicket;
  const data = await api("GET", `/v1/cases?limit=${CASES_PER_PAGE}&offset=${offset}`);
  // The list says each need's status; a case's own read adds its offers.
  const cases = await Promise.all(data.cases.map((kase) =>
    api("GET", `/v1/cases/${kase.id}`).catch(() => kase)));
  await nameOfferers(cases);
  if (ticket !== casesTicket) return;  // a newer load is under way
  const list = $("my-cases");
  if (!offset) list.replaceChildren();
  const more = list.querySelector("[data-more]");
  if (more) more.remove();
  tr($("mine-status"), "mine.count", { count: data.total });
  if (!offset && !cases.length) { list.appendChild(elt("li", "mine.none")); return; }
  for (const kase of cases) list.appendChild(caseItem(kase));
  const next = offset + cases.length;
  if (cases.length && next < data.total) {
    const item = el("li", null, { "data-more": "" });
    const button = elt("button", "mine.more", { count: data.total - next }, { type: "button" });
    button.addEventListener("click", () => {
      showError("");
      button.disabled = true;
      loadCasesPage(next).catch((error) => { button.disabled = false; showError(error); });
    });
    item.appendChild(button);
    list.appendChild(item);
  }
}

// Offers name their responder (`offer.responder`: name and organisation, never contacts).
async function nameOfferers(cases) {
  for (const kase of cases) {
    for (const need of kase.needs) {
      for (const offer of need.offers || []) {
        if (offer.responder && !responderCards.has(offer.responder_id)) {
          responderCards.set(offer.responder_id, offer.responder);
        }
      }
    }
  }
}

function caseItem(kase) {
  const item = el("li", null, { class: "case", "data-case": kase.id, "data-status": kase.status });
  const explain = { class: "explain" };
  item.appendChild(elt("strong", "mine.heading", { date: { date: kase.created_at },
    status: term("case_status", kase.status) }));
  item.appendChild(elt("p", "case.urgency", { urgency: term("urgency", kase.urgency) }));
  if (kase.deadlines.length) {
    const deadlines = el("ul", null, { class: "deadlines" });
    deadlines.append(...deadlineItems(kase.deadlines));
    item.append(elt("p", "case.deadlines_title"), deadlines);
  }
  const summary = kase.text.length > 160 ? kase.text.slice(0, 160) + "…" : kase.text;
  item.appendChild(el("p", summary, explain));
  if (kase.consent) item.appendChild(elt("p", "case.consent", { date: { day: kase.consent.expires_on },
    scope: kase.consent.scope }, explain));
  if (kase.status === "review") {
    item.appendChild(elt("p", "mine.held", null, { class: "warning" }));
    const open = elt("button", "mine.open", null, { type: "button" });
    open.addEventListener("click", () => openCase(kase.id, open));
    item.appendChild(open);
  }
  const needs = el("ul", null, { class: "plain" });
  for (const need of kase.needs) needs.appendChild(needItem(need));
  item.appendChild(needs);
  const access = elt("button", "access.show", null, { type: "button" });
  const readers = el("ul", null, explain);
  access.addEventListener("click", () => showAccess(kase.id, access, readers));
  item.append(access, readers);
  return item;
}

function needItem(need) {
  const item = el("li", null, { class: "need", "data-need": need.id, "data-category": need.category,
    "data-status": need.status });
  item.classList.add(`status-${need.status}`);
  item.appendChild(elt("strong", "need.heading", { category: { category: need.category },
    status: term("need_status", need.status) }));
  item.appendChild(offerList(need.offers || []));
  if (need.status === "open") {
    const show = elt("button", "mine.suggestions", null, { type: "button" });
    show.addEventListener("click", async () => {
      showError("");
      show.disabled = true;
      try {
        const data = await api("GET", `/v1/needs/${need.id}/suggestions?k=5`);
        show.replaceWith(suggestionList(need, data.suggestions, data.no_suggestion));
      } catch (error) { show.disabled = false; showError(error); }
    });
    item.appendChild(show);
  }
  return item;
}

function offerList(offers) {
  const list = el("ul", null, { class: "offers" });
  list.append(...offers.map(offerItem));
  if (!offers.length) list.appendChild(elt("li", "offers.none", null, { class: "hint" }));
  return list;
}

function dashboardNeed(needId) {
  return [...$("my-cases").querySelectorAll("li[data-need]")].find((node) => node.dataset.need === needId);
}

// An offer event. The stream replays past events on connecting: an offer the dashboard already
// shows is left alone; a new one redraws its need's offers only (what else the advocate opened
// stays open). A case not on the dashboard's pages is not shown, so neither are its offers.
async function onOfferEvent(offer) {
  if (casesLoad) await casesLoad.catch(() => {});
  const item = dashboardNeed(offer.need_id);
  if (!item) return;
  const shown = [...item.querySelectorAll("li[data-offer]")].find((node) => node.dataset.offer === String(offer.id));
  if (shown && [offer.status, "accepted"].includes(shown.dataset.status)) return;
  soon(offer.need_id, () => refreshNeedOffers(offer.need_id));
}

async function refreshNeedOffers(needId) {
  const item = dashboardNeed(needId);
  if (!item) return;
  const data = await api("GET", `/v1/needs/${needId}/offers`);
  await nameOfferers([{ needs: [{ id: needId, offers: data.offers }] }]);
  const list = item.querySelector(".offers");
  if (list) list.replaceWith(offerList(data.offers));
}

function offerItem(offer) {
  const item = el("li", null, { "data-offer": String(offer.id), "data-status": offer.status });
  const contact = offer.responder_contact;
  const card = contact || offer.responder || responderCards.get(offer.responder_id);
  const who = card ? { msg: "offers.who", params: { name: card.name, organization: card.organization || "—" } }
    : { msg: "offers.someone" };
  item.appendChild(elt("span", "offers.offer", { responder: who, status: term("offer_status", offer.status) }));
  if (contact) {
    item.appendChild(elt("p", "offers.contact",
      { name: contact.name, organization: contact.organization, email: contact.email || "", phone: contact.phone || "" }));
  }
  if (offer.status === "pending") {
    if (!offer.no_conflict_attested) item.appendChild(elt("p", "offers.not_attested", null, { class: "hint" }));
    const accept = elt("button", "offers.accept", null, { type: "button" });
    const decline = elt("button", "offers.decline", null, { type: "button" });
    // Accepting needs the responder's no-conflict attestation.
    accept.disabled = !offer.no_conflict_attested;
    accept.addEventListener("click", () => decide(offer.id, "accept", [accept, decline]));
    decline.addEventListener("click", () => decide(offer.id, "decline", [accept, decline]));
    const actions = el("div", null, { class: "actions" });
    actions.append(accept, " ", decline);
    item.appendChild(actions);
  }
  return item;
}

async function decide(offerId, action, buttons) {
  showError("");
  for (const button of buttons) button.disabled = true;
  try { await api("POST", `/v1/offers/${offerId}/${action}`); }
  catch (error) { showError(error); }
  await loadMyCases().catch(showError);
}

async function openCase(caseId, button) {
  showError("");
  button.disabled = true;
  try {
    await api("PATCH", `/v1/cases/${caseId}`, { status: "open" });
    await loadMyCases();
  } catch (error) { button.disabled = false; showError(error); }
}

// The audit log says what a reader did in English: the known actions are said from the catalogue.
function accessAction(action) {
  let match;
  if ((match = /^read need ([a-z][a-z0-9_]*)$/.exec(action))) {
    return { msg: "access.read_need", params: { category: { category: match[1] } } };
  }
  if (/^search result$/.test(action)) return { msg: "access.search_result" };
  if (/^read case$/.test(action)) return { msg: "access.read_case" };
  return action;
}

async function showAccess(caseId, button, list) {
  showError("");
  button.disabled = true;
  try {
    const data = await api("GET", `/v1/cases/${caseId}/access`);
    list.replaceChildren(...data.entries.map((entry) => elt("li", "access.entry", { date: { date: entry.at },
      reader: entry.reader, role: term("role", entry.role), action: accessAction(entry.action) })));
    if (!data.entries.length) list.appendChild(elt("li", "access.none"));
  } catch (error) { button.disabled = false; showError(error); }
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

// A burst of events (the stream replays missed ones on connecting) reloads a list once.
const pending = new Map();
function soon(what, load) {
  if (pending.has(what)) return;
  pending.set(what, setTimeout(() => { pending.delete(what); load().catch(showError); }, 300));
}

// The feed puts the most urgent needs first, the newest first within an urgency.
const URGENCY_RANK = { high: 0, normal: 1, low: 2 };
function addToFeed(item, urgency) {
  const rank = URGENCY_RANK[urgency] ?? 1;
  item.dataset.rank = String(rank);
  const after = [...$("feed").children].find((other) => Number(other.dataset.rank ?? 1) >= rank);
  $("feed").insertBefore(item, after || null);
}

function onEvent(kind, data) {
  if (kind === "offer" && me.role === "poster") onOfferEvent(data);
  if (me.role !== "responder") return;
  if (kind === "need") {
    const item = el("li", null, { "data-need": data.need_id, "data-urgency": data.urgency });
    item.appendChild(elt("span", "feed.need", { category: { category: data.category },
      place: { region: data.jurisdiction }, languages: languagesOf(data), urgency: term("urgency", data.urgency),
      score: data.score ?? "—" }));
    item.append(" ", offerButton(data.need_id));
    addToFeed(item, data.urgency);
  }
  if (kind === "invitation") {
    const item = el("li", null, { "data-need": data.need_id, "data-urgency": data.urgency });
    item.appendChild(elt("span", "feed.invitation", { category: { category: data.category },
      place: { region: data.jurisdiction }, urgency: term("urgency", data.urgency) }));
    item.append(" ", offerButton(data.need_id));
    addToFeed(item, data.urgency);
    soon(loadInvitations, loadInvitations);
  }
  if (kind === "offer") {
    $("feed").prepend(elt("li", "feed.offer", { category: { category: data.category },
      status: term("offer_status", data.status) }));
    soon(loadMyOffers, loadMyOffers);
  }
}

// ---- responder -----------------------------------------------------------------------------
function languagesOf(need) {
  const codes = need.survivor_languages && need.survivor_languages.length ? need.survivor_languages : [need.language];
  return codes.filter(Boolean).map((code) => ({ language: code }));
}

function offerButton(needId) {
  const button = elt("button", "search.offer", null, { type: "button" });
  button.addEventListener("click", async () => {
    showError("");
    // No offer without the attestation: Cancel sends nothing.
    if (!window.confirm(t("search.attest"))) { say($("search-status"), { msg: "search.not_offered" }); return; }
    const attested = true;
    button.disabled = true;
    try {
      await api("POST", `/v1/needs/${needId}/offers`, { no_conflict_attested: attested });
      tr(button, "search.offered");
      soon(loadMyOffers, loadMyOffers);
    } catch (error) { button.disabled = false; showError(error); }
  });
  return button;
}

function fillCategoryFilter() {
  $("filter-category").replaceChildren(elt("option", "filter.any_category", null, { value: "" }),
    ...byLabel(categoryInfo.keys()).map(categoryOption));
}

async function search(event) {
  event.preventDefault();
  showError("");
  const params = new URLSearchParams({ q: $("query").value, k: "10" });
  for (const [name, field] of [["jurisdiction", "filter-jurisdiction"], ["category", "filter-category"],
    ["language", "filter-language"], ["urgency", "filter-urgency"]]) {
    const value = $(field).value.trim();
    if (value) params.set(name, value);
  }
  try {
    const data = await api("GET", "/v1/needs/search?" + params.toString());
    const list = $("results");
    list.replaceChildren(...data.results.map(resultItem));
    if (!data.results.length) list.appendChild(elt("li", "search.none"));
    tr($("search-status"), "search.count", { count: data.results.length });
  } catch (error) { showError(error); }
}

function resultItem(result) {
  const item = el("li", null, { "data-need": result.need_id, "data-category": result.category });
  const explain = { class: "explain" };
  item.appendChild(elt("strong", "search.result", { category: { category: result.category },
    place: { region: result.jurisdiction }, score: result.score }));
  item.appendChild(elt("p", "search.details", { languages: languagesOf(result),
    urgency: term("urgency", result.urgency) }, explain));
  if (result.deadlines.length) item.appendChild(elt("p", "search.deadlines", { deadlines: shortDeadlines(result.deadlines) }, explain));
  const snippet = el("p");
  snippet.appendChild(marked(result.snippet));
  item.append(snippet, offerButton(result.need_id));
  return item;
}

async function loadInvitations() {
  const data = await api("GET", "/v1/invitations");
  const list = $("invitations");
  list.replaceChildren();
  for (const invitation of data.invitations) {
    const item = el("li", null, { "data-need": invitation.need_id });
    item.appendChild(elt("span", "invitations.item", { category: { category: invitation.category },
      place: { region: invitation.jurisdiction }, urgency: term("urgency", invitation.urgency) }));
    item.append(" ", offerButton(invitation.need_id));
    list.appendChild(item);
  }
  if (!data.invitations.length) list.appendChild(elt("li", "invitations.none"));
}

async function loadMyOffers() {
  const data = await api("GET", "/v1/offers");
  const list = $("my-offers");
  list.replaceChildren();
  const explain = { class: "explain" };
  for (const offer of data.offers) {
    const item = el("li", null, { "data-offer": String(offer.id), "data-status": offer.status });
    item.appendChild(elt("strong", "my_offers.heading", { category: { category: offer.category },
      place: { region: offer.jurisdiction }, status: term("offer_status", offer.status) }));
    item.appendChild(elt("p", "my_offers.details", { urgency: term("urgency", offer.urgency),
      need: term("need_status", offer.need_status) }, explain));
    if ((offer.deadlines || []).length) item.appendChild(elt("p", "search.deadlines", { deadlines: shortDeadlines(offer.deadlines) }, explain));
    if (offer.poster_contact) {
      const c = offer.poster_contact;
      item.appendChild(elt("p", "my_offers.contact", { organization: c.organization || "—",
        email: c.email || "", phone: c.phone || "" }));
    }
    if (offer.case_text) item.append(elt("p", "my_offers.case_text"), el("p", offer.case_text, { class: "narrative" }));
    list.appendChild(item);
  }
  if (!data.offers.length) list.appendChild(elt("li", "my_offers.none"));
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
    await Promise.all([loadSuggestions(), loadPostings(), loadFieldLabels()]);
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
    let job = await api("POST", "/v1/admin/cases/reclassify");
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
    id: item.case_id, text: item.text, status: item.status, labels: item.predicted, admin_labels: {} },
  { msg: "admin.unsure", params: { category: { category: item.uncertain_category }, score: item.score,
    threshold: item.threshold } })));
  if (!data.suggestions.length) list.appendChild(elt("li", "admin.nothing_to_label"));
}

async function loadPostings() {
  const data = await api("GET", "/v1/admin/cases");
  $("postings").replaceChildren(...data.cases.map((posting) => postingItem(posting)));
}

function postingItem(posting, note) {
  // Confirm the predicted categories or correct them: listed ones apply, predicted ones
  // removed from the list do not; every other category stays unknown.
  const item = el("li");
  item.appendChild(elt("p", "admin.posting", { id: posting.id, status: term("case_status", posting.status),
    text: posting.text.slice(0, 200) }));
  if (note) item.appendChild(say(el("p", null, { class: "hint" }), note));
  const confirmed = Object.entries(posting.admin_labels || {}).filter(([, applies]) => applies).map(([c]) => c);
  const fieldId = `labels-${posting.id}-${note ? "s" : "p"}`;
  item.appendChild(elt("label", "admin.labels_field", null, { for: fieldId }));
  const input = el("input", null, { id: fieldId });
  input.value = (confirmed.length ? confirmed : posting.labels).join(", ");
  item.appendChild(input);
  const save = elt("button", "admin.save_labels", null, { type: "button" });
  const status = el("span", "", { role: "status" });
  save.addEventListener("click", async () => {
    showError("");
    const applies = input.value.split(",").map((c) => c.trim()).filter(Boolean);
    const doesNotApply = posting.labels.filter((c) => !applies.includes(c));
    try {
      await api("POST", `/v1/admin/cases/${posting.id}/labels`, { applies, does_not_apply: doesNotApply });
      tr(status, "common.saved");
    } catch (error) { showError(error); }
  });
  item.append(save, " ", status);
  return item;
}

// Advocates' corrections of the classifier (a category added or removed before publishing):
// retraining learns from those an admin confirms.
async function loadFieldLabels() {
  const data = await api("GET", "/v1/admin/field-labels");
  const list = $("field-labels");
  list.replaceChildren(...data.labels.map(fieldLabelItem));
  if (!data.labels.length) list.appendChild(elt("li", "field.none"));
}

function fieldLabelItem(label) {
  const item = el("li", null, { "data-label": String(label.id), "data-category": label.category });
  item.appendChild(elt("strong", label.applies ? "field.added" : "field.removed",
    { category: { category: label.category }, date: { date: label.set_at } }));
  item.appendChild(el("p", label.text.length > 300 ? label.text.slice(0, 300) + "…" : label.text, { class: "explain" }));
  const confirm = elt("button", "field.confirm", null, { type: "button" });
  const reject = elt("button", "field.reject", null, { type: "button" });
  const status = el("span", "", { role: "status" });
  const decideLabel = async (yes) => {
    showError("");
    confirm.disabled = true;
    reject.disabled = true;
    try {
      await api("POST", `/v1/admin/field-labels/${label.id}`, { confirm: yes });
      tr(status, yes ? "field.confirmed" : "field.rejected");
    } catch (error) { confirm.disabled = false; reject.disabled = false; showError(error); }
  };
  confirm.addEventListener("click", () => decideLabel(true));
  reject.addEventListener("click", () => decideLabel(false));
  item.append(confirm, " ", reject, " ", status);
  return item;
}

document.addEventListener("DOMContentLoaded", () => {
  // Handlers first: a form must never fall through to a native submission (CSP form-action).
  $("ui-language").addEventListener("change", switchLanguage);
  $("signin-form").addEventListener("submit", signIn);
  $("signout").addEventListener("click", signOut);
  $("preview-form").addEventListener("submit", preview);
  $("publish-button").addEventListener("click", publish);
  $("open-case").addEventListener("click", openPublishedCase);
  $("add-category-button").addEventListener("click", addReviewedCategory);
  for (const field of ["consent-written", "consent-obtained", "consent-expires", "consent-scope"]) {
    $(field).addEventListener("input", updatePublishState);
    $(field).addEventListener("change", updatePublishState);
  }
  $("consent-scope").addEventListener("input", () => { $("consent-scope").dataset.edited = "1"; });
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
