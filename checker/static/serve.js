// shingikai serve: the workbench page. Small vanilla JS, no library, nothing from the network.
// The form is generated at run time from the proposal JSON Schema (/api/schema), so fields added to
// the schema appear here without a change. Every value from a proposal or the server is put into the
// page with textContent or as an input's value, never as markup.
"use strict";

const TOKEN = document.querySelector('meta[name="shingikai-token"]').content;
const DEBOUNCE_MS = 400;
let schema = null;
let proposal = null;     // the proposal being edited (plain data, as in the YAML file)
let timer = null;
let sequence = 0;        // only the latest check's answer is shown

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else if (k.startsWith("data-")) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

function status(text) { document.getElementById("status").textContent = text; }

async function post(url, body) {
  const isForm = body instanceof FormData;
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin", body: isForm ? body : JSON.stringify(body),
    headers: Object.assign({"X-Shingikai-Token": TOKEN}, isForm ? {} : {"Content-Type": "application/json"}),
  });
  return response;
}

async function errorText(response) {
  try { return (await response.json()).error || response.statusText; } catch (e) { return response.statusText; }
}

// ---- the schema ----
function resolve(s) {
  let nullable = false;
  while (true) {
    if (s.$ref) { s = Object.assign({}, schema.$defs[s.$ref.split("/").pop()], stripRef(s)); continue; }
    if (s.anyOf) {
      const rest = s.anyOf.filter(x => x.type !== "null");
      nullable = nullable || rest.length < s.anyOf.length;
      // a list entry that may be a plain string or an object (data items): the object form
      const pick = rest.find(x => x.$ref || x.type === "object") || rest[0];
      s = Object.assign({}, pick, {description: s.description || pick.description, title: s.title || pick.title, entryLabel: s.entryLabel});
      continue;
    }
    return Object.assign({}, s, {nullable});
  }
}
function stripRef(s) { const c = Object.assign({}, s); delete c.$ref; return c; }

function labelOf(name, s) {
  if (s.entryLabel) return s.entryLabel;
  const d = s.description || "";
  const short = d.split(/[（(]/)[0].trim();
  return short || s.title || name;
}

function choiceLabels(s) {   // "consultation=諮問、report=報告" in a description names the choices
  const labels = {};
  const re = /([a-z0-9_]+)=([^、，,）)/]+)/g;
  let m;
  while ((m = re.exec(s.description || ""))) labels[m[1]] = m[2].trim();
  return labels;
}

// ---- paths: ["vendors", 0, "name"] <-> "vendors[0].name" (the loader's notation) ----
function dotted(path) {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : (out ? "." + p : p);
  return out;
}
function getAt(path) { return path.reduce((o, k) => (o == null ? undefined : o[k]), proposal); }
function setAt(path, value) {
  let o = proposal;
  for (let i = 0; i < path.length - 1; i++) {
    if (o[path[i]] == null || typeof o[path[i]] !== "object") o[path[i]] = typeof path[i + 1] === "number" ? [] : {};
    o = o[path[i]];
  }
  o[path[path.length - 1]] = value;
}

// ---- the form ----
function field(name, s, path, required) {
  s = resolve(s);
  const key = dotted(path);
  const help = s.description && s.description !== labelOf(name, s) ? s.description : "";
  const value = getAt(path);
  let control;
  if (s.type === "object" || s.properties) {
    // a section: open when it holds something, else folded so the form starts short
    const filled = value && typeof value === "object" && Object.keys(value).length > 0;
    const box = el("details", {class: "group", "data-field": key, open: Boolean(filled) || path.length === 0},
      el("summary", {text: labelOf(name, s)}));
    if (help) box.append(el("p", {class: "help", text: help}));
    objectFields(box, s, path);
    return box;
  }
  if (s.type === "array") return listField(name, s, path, help);
  if (s.type === "boolean") {
    control = el("select", {"data-path": key});
    for (const [v, t] of [["", "未記入"], ["true", "はい"], ["false", "いいえ"]]) control.append(el("option", {value: v, text: t}));
    control.value = value === true ? "true" : value === false ? "false" : "";
    control.addEventListener("change", () => { setAt(path, control.value === "" ? null : control.value === "true"); changed(); });
  } else if (s.enum) {
    control = el("select", {"data-path": key});
    const labels = choiceLabels(s);
    control.append(el("option", {value: "", text: "（未記入）"}));
    for (const v of s.enum) control.append(el("option", {value: v, text: labels[v] ? `${labels[v]}（${v}）` : v}));
    control.value = value == null ? "" : String(value);
    control.addEventListener("change", () => { setAt(path, control.value === "" ? null : control.value); changed(); });
  } else if (s.type === "integer" || s.type === "number") {
    control = el("input", {type: "number", "data-path": key, step: s.type === "integer" ? "1" : "any"});
    control.value = value == null ? "" : String(value);
    control.addEventListener("input", () => {
      setAt(path, control.value === "" ? null : Number(control.value)); changed();
    });
  } else {
    const long = /目的|理由|効果|内容|説明|検討/.test(s.description || "");
    control = el(long ? "textarea" : "input", {"data-path": key});
    if (!long) control.type = s.format === "date" ? "date" : "text";
    control.value = value == null ? "" : String(value);
    control.addEventListener("input", () => { setAt(path, control.value); changed(); });
  }
  const id = "f-" + key.replace(/[^a-zA-Z0-9_-]/g, "_");
  control.id = id;
  const row = el("div", {class: "field", "data-field": key},
    el("label", {htmlFor: id, text: labelOf(name, s) + (required ? "（必須）" : "")}), control);
  if (help) row.append(el("p", {class: "help", text: help}));
  return row;
}

function objectFields(box, s, path) {
  const required = new Set(s.required || []);
  for (const [name, sub] of Object.entries(s.properties || {})) {
    box.append(field(name, sub, path.concat([name]), required.has(name)));
  }
  if (!s.properties && s.additionalProperties) box.append(mapField(s, path));
}

function mapField(s, path) {   // e.g. not_applicable: a reason per section
  const wrap = el("div", {class: "map"});
  const value = getAt(path) || {};
  for (const k of Object.keys(value)) {
    const input = el("input", {type: "text", value: value[k] == null ? "" : String(value[k]), "data-path": dotted(path.concat([k]))});
    input.addEventListener("input", () => { getAt(path)[k] = input.value; changed(); });
    const remove = el("button", {type: "button", text: "削除"});
    remove.addEventListener("click", () => { delete getAt(path)[k]; rebuild(); });
    wrap.append(el("div", {class: "row", "data-field": dotted(path.concat([k]))}, el("span", {text: k}), input, remove));
  }
  const key = el("input", {type: "text", placeholder: "項目名（英字）", "aria-label": "項目名"});
  const add = el("button", {type: "button", text: "＋ 追加"});
  add.addEventListener("click", () => { if (key.value) { setAt(path.concat([key.value]), ""); rebuild(); } });
  wrap.append(el("div", {class: "row"}, key, add));
  return wrap;
}

function listField(name, s, path, help) {
  const key = dotted(path);
  const items = resolve(s.items || {});
  const box = el("fieldset", {class: "list", "data-field": key}, el("legend", {text: labelOf(name, s)}));
  if (help) box.append(el("p", {class: "help", text: help}));
  let value = getAt(path);
  if (items.enum) {   // a set of choices: one checkbox each
    const labels = Object.assign(choiceLabels(items), choiceLabels(s));
    for (const v of items.enum) {
      const cb = el("input", {type: "checkbox", value: v, checked: Array.isArray(value) && value.includes(v), "data-path": key});
      cb.addEventListener("change", () => {
        const now = (getAt(path) || []).filter(x => x !== v);
        if (cb.checked) now.push(v);
        setAt(path, items.enum.filter(x => now.includes(x)));
        changed();
      });
      box.append(el("label", {class: "choice"}, cb, document.createTextNode(labels[v] ? `${labels[v]}（${v}）` : v)));
    }
    return box;
  }
  value = Array.isArray(value) ? value : [];
  value.forEach((item, i) => {
    if (typeof item === "string" && (items.type === "object" || items.properties)) {   // a data item written as its name
      value[i] = {name: item};
    }
    const entry = el("div", {class: "entry"});
    const inner = field(`${labelOf(name, s)} ${i + 1}`, Object.assign({}, s.items, {entryLabel: `${labelOf(name, s)}（${i + 1} 件目）`}), path.concat([i]), false);
    const remove = el("button", {type: "button", class: "remove", text: `削除（${i + 1} 件目）`});
    remove.addEventListener("click", () => { getAt(path).splice(i, 1); rebuild(); });
    entry.append(inner, remove);
    box.append(entry);
  });
  const add = el("button", {type: "button", class: "add", text: `＋ ${labelOf(name, s)}を追加`, "data-add": key});
  add.addEventListener("click", () => {
    const list = Array.isArray(getAt(path)) ? getAt(path) : [];
    list.push(items.type === "object" || items.properties ? {} : "");
    setAt(path, list);
    rebuild();
  });
  box.append(add);
  return box;
}

function rebuild() {
  const form = document.getElementById("proposal-form");
  const scroll = window.scrollY;
  form.replaceChildren(el("h2", {text: "案件の内容"}));
  objectFields(form, schema, []);
  window.scrollTo(0, scroll);
  changed();
}

// ---- sending: empty answers are left out, as an unwritten line in the YAML file ----
function pruned(v) {
  if (Array.isArray(v)) { const a = v.map(pruned).filter(x => x !== undefined); return a.length ? a : undefined; }
  if (v && typeof v === "object") {
    const o = {};
    for (const [k, x] of Object.entries(v)) { const p = pruned(x); if (p !== undefined) o[k] = p; }
    return Object.keys(o).length ? o : undefined;
  }
  if (v === null || v === "" || (typeof v === "number" && Number.isNaN(v))) return undefined;
  return v;
}
function payload() { return {proposal: pruned(proposal) || {}}; }

function changed() {
  clearTimeout(timer);
  timer = setTimeout(check, DEBOUNCE_MS);
}

async function check() {
  const mine = ++sequence;
  const response = await post("/api/check", payload());
  if (mine !== sequence) return;
  if (!response.ok) { status(await errorText(response)); return; }
  const answer = await response.json();
  showErrors(answer.errors);
  showReport(answer.report, answer.errors);
  for (const id of ["save-yaml", "save-report", "save-csv"]) document.getElementById(id).disabled = false;
  document.body.dataset.checked = String(mine);
}

function showErrors(errors) {
  for (const old of document.querySelectorAll(".field-error")) old.remove();
  for (const bad of document.querySelectorAll(".invalid")) bad.classList.remove("invalid");
  const form = document.getElementById("proposal-form");
  for (const e of errors) {
    let target = null;
    let path = e.path;
    while (path && !(target = form.querySelector(`[data-field="${CSS.escape(path)}"]`))) {
      path = path.replace(/(\[\d+\]|\.?[^.[\]]+)$/, "");
    }
    const note = el("p", {class: "field-error", role: "alert", text: e.message + (e.hint ? " → " + e.hint : "")});
    if (target) {
      target.classList.add("invalid");
      target.append(note);
      for (let up = target.closest("details"); up; up = up.parentElement.closest("details")) up.open = true;
    } else form.prepend(note);
  }
}

function showReport(report, errors) {
  const panel = document.getElementById("report");
  panel.replaceChildren(el("h2", {text: "点検結果"}));
  if (!report) {
    panel.append(el("p", {class: "warn", text: `入力に誤りが ${errors.length} 件あります。項目の横の説明に従って直すと、点検結果が表示されます。`}));
    return;
  }
  panel.append(el("p", {class: "title", text: report.title}));
  panel.append(el("p", {class: "procedure", text: `${report.procedure}（${report.kinds.join("・")}）`}));
  if (report.outcome) panel.append(el("p", {class: "outcome", text: `予想される審議結果: ${report.outcome}（審議時間の目安 約${report.minutes}分）`}));
  panel.append(el("p", {class: "risk risk-" + report.risk, text: `総合リスク: ${report.risk_label}`}));
  panel.append(el("h3", {text: "問われそうなこと（見込みの高い順）"}));
  const list = el("ol", {class: "likely"});
  for (const row of report.likely) {
    const item = el("li", {}, el("strong", {text: `${row.label}（見込み ${row.likelihood}）`}), el("p", {text: row.question}));
    if (row.write.length) {
      const todo = el("ul", {class: "write"});
      for (const w of row.write) todo.append(el("li", {text: "書くこと: " + w}));
      item.append(todo);
    }
    list.append(item);
  }
  if (!report.likely.length) list.append(el("li", {text: "いまのところ、問われそうな論点はありません。"}));
  panel.append(list);
  const open = Object.entries(report.open).map(([k, v]) => `${k}: ${v}`).join("、");
  panel.append(el("p", {class: "counts", text: `未対応（${open}）・対応済み ${report.covered}・受容 ${report.accepted}`}));
  for (const n of report.notices) panel.append(el("p", {class: "notice", text: n}));
}

// ---- starting, opening, saving ----
async function loadSchema() {
  if (!schema) schema = await (await fetch("/api/schema", {credentials: "same-origin"})).json();
}

async function start(data, message) {
  await loadSchema();
  proposal = data;
  rebuild();
  status(message);
}

async function download(url, filename) {
  const response = await post(url, payload());
  if (!response.ok) { status(await errorText(response)); return; }
  const link = el("a", {href: URL.createObjectURL(await response.blob()), download: filename});
  document.body.append(link);
  link.click();
  link.remove();
  status(`${filename} を保存しました。`);
}

document.addEventListener("DOMContentLoaded", () => {
  const tabs = {department: document.getElementById("tab-department"), secretariat: document.getElementById("tab-secretariat")};
  for (const [name, tab] of Object.entries(tabs)) {
    tab.addEventListener("click", () => {
      for (const [other, t] of Object.entries(tabs)) {
        t.setAttribute("aria-pressed", String(other === name));
        document.getElementById(other).hidden = other !== name;
      }
    });
  }
  document.getElementById("new-start").addEventListener("click", async () => {
    const kind = document.getElementById("new-kind").value;
    const response = await post("/api/new", {kind});
    if (!response.ok) { status(await errorText(response)); return; }
    await start((await response.json()).proposal, "新しい案件を作りました。分かることから書いてください。");
  });
  document.getElementById("open-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const form = new FormData();
    form.append("file", file);
    const response = await post("/api/open", form);
    event.target.value = "";
    if (!response.ok) { status(await errorText(response)); return; }
    const answer = await response.json();
    await start(answer.proposal, `${answer.name} を開きました。`);
  });
  document.getElementById("save-yaml").addEventListener("click", () => download("/api/save.yaml", "proposal.yaml"));
  document.getElementById("save-report").addEventListener("click", () => download("/api/report.html", "report.html"));
  document.getElementById("save-csv").addEventListener("click", () => download("/api/actions.csv", "actions.csv"));

  document.getElementById("agenda-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const said = document.getElementById("agenda-status");
    const response = await post("/api/agenda", new FormData(event.target));
    if (!response.ok) { said.textContent = await errorText(response); return; }
    const answer = await response.json();
    said.textContent = `${answer.items} 件の案件で議題シートを作りました。`;
    const errors = document.getElementById("agenda-errors");
    errors.replaceChildren(...answer.errors.map(e => el("li", {text: e})));
    document.getElementById("agenda-view").srcdoc = answer.html;   // a sandboxed frame: no script runs in it
  });
  document.getElementById("diff-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const view = document.getElementById("diff-view");
    const response = await post("/api/diff", new FormData(event.target));
    view.textContent = response.ok ? (await response.json()).text : await errorText(response);
  });
  document.getElementById("record-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const said = document.getElementById("record-status");
    const response = await post("/api/record", new FormData(event.target));
    if (!response.ok) { said.textContent = await errorText(response); return; }
    const answer = await response.json();
    said.textContent = `${answer.proposal} を${answer.replaced ? "置き換えました" : "追記しました"}` +
      `（取り上げた ${answer.raised} 件、取り上げなかった指摘 ${answer.not_raised} 件）。記録ファイルを保存します。`;
    document.getElementById("record-view").textContent = answer.text;
    const link = el("a", {href: URL.createObjectURL(new Blob([answer.text], {type: "application/yaml"})), download: "record.yaml"});
    document.body.append(link);
    link.click();
    link.remove();
  });
});
