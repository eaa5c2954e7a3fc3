// The one script of every screen: the socket (reconnect with jittered backoff, seq check,
// region swap, "reconnecting" badge), commands from buttons and keys, and the timers,
// which tick here from server timestamps corrected by a clock-offset estimate.

const body = document.body;
const slug = body.dataset.slug;
const screen = body.dataset.screen;

let socket = null;
let seq = null;          // the seq of what the screen shows
let epoch = null;
let awaitingSnapshot = true;
let retry = 0;
let nextId = 1;
const lastHtml = {};     // region id -> the HTML last swapped in (to skip identical swaps)

// --- clock offset: server time ≈ Date.now()/1000 + offset ------------------------------------
let offset = 0;
let bestRtt = Infinity;
export function serverNow() { return Date.now() / 1000 + offset; }

function sendPing() {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ type: "ping", t: Date.now() / 1000 }));
  }
}

function onPong(msg) {
  const now = Date.now() / 1000;
  const rtt = now - msg.t;
  // Keep the sample with the shortest round trip; let old samples age out slowly.
  bestRtt *= 1.05;
  if (rtt <= bestRtt) {
    bestRtt = rtt;
    offset = msg.server - (msg.t + rtt / 2);
    tick();
  }
}

// --- socket ---------------------------------------------------------------------------
function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const params = new URLSearchParams({ screen });
  if (seq !== null) { params.set("seq", seq); params.set("epoch", epoch); }
  else if (body.dataset.drawing) params.set("drawing", body.dataset.drawing);  // the page's own
  socket = new WebSocket(`${proto}//${location.host}/ws/e/${encodeURIComponent(slug)}?${params}`);
  awaitingSnapshot = true;
  socket.onopen = () => { for (let i = 0; i < 3; i++) setTimeout(sendPing, i * 300); };
  socket.onmessage = (event) => onMessage(JSON.parse(event.data));
  socket.onclose = (event) => {
    socket = null;
    for (const id of [...unanswered.keys()]) noAnswer(id);
    if (event.code === 4403) {  // this screen's key was changed: its link no longer opens it
      const el = document.getElementById("conn-badge");
      el.textContent = "Liên kết này đã được thay khoá — xin ban tổ chức liên kết mới.";
      badge(true);
      return;
    }
    badge(true);
    // Full jitter: a hall of screens reconnecting after a restart spreads itself out.
    const ceiling = Math.min(2000, 250 * 2 ** retry);
    retry = Math.min(retry + 1, 6);
    setTimeout(connect, 100 + Math.random() * ceiling);
  };
}

function onMessage(msg) {
  switch (msg.type) {
    case "snapshot": {
      // "same": the page was built from exactly what the server holds for this screen
      // (it sent body[data-drawing]), so there is nothing to swap.
      if (!msg.same) {
        const regions = { ...msg.regions };
        for (const [id, items] of Object.entries(msg.lists || {})) regions[id] = items.map((item) => item[1]).join("");
        swap(regions);
      }
      seq = msg.seq; epoch = msg.epoch; awaitingSnapshot = false; retry = 0;
      body.dataset.seq = seq;
      restoreDrafts();  // connected: what was typed before a reload can be saved now
      badge(false);
      break;
    }
    case "patch":
      if (awaitingSnapshot) break;
      if (msg.prev !== seq) { requestSnapshot(); break; }
      if (!patchLists(msg.lists || {})) { requestSnapshot(); break; }
      swap(msg.regions);
      seq = msg.seq;
      body.dataset.seq = seq;
      break;
    case "pong": onPong(msg); break;
    case "result":
      if (!msg.ok && msg.code !== "conflict") toast(msg.message);
      settle(msg.id, msg);
      break;
    case "error": toast(msg.message); break;
  }
}

function requestSnapshot() {
  awaitingSnapshot = true;
  socket?.send(JSON.stringify({ type: "snapshot" }));
}

// A region someone is working in is not swapped under their fingers: while it holds the
// focus, or a form in it has unsent changes, its new HTML waits. It is applied once the
// person is done (focus gone and nothing unsent, or their form was accepted).
const deferred = {};

function isDirty(form) {
  for (const el of form.elements) {
    if (el.type === "hidden" || el.type === "file") continue;
    if (el.tagName === "SELECT") {
      // With no option marked selected in the HTML, the browser shows the first one.
      const initial = Math.max(0, [...el.options].findIndex((o) => o.defaultSelected));
      if (el.selectedIndex !== initial) return true;
    } else if (el.type === "checkbox") {
      if (el.checked !== el.defaultChecked) return true;
    } else if ("defaultValue" in el && el.value !== el.defaultValue) {
      return true;
    }
  }
  return false;
}

function isBusy(el) {
  const active = document.activeElement;
  if (active && active !== document.body && el.contains(active) && active.closest("form")) return true;
  // Forms marked data-keep (edits, settings) hold unsent work; a closed <details> gives it up.
  const kept = [...el.querySelectorAll("form[data-keep]")].filter((f) => !f.closest("details:not([open])"));
  // An open editor (<details data-hold>) stays open until its person closes it.
  return kept.some(isDirty) || Boolean(el.querySelector("details[data-hold][open]"));
}

function swap(regions) {
  for (const [id, html] of Object.entries(regions)) {
    if (lastHtml[id] === html) continue;
    const el = document.getElementById(id);
    if (!el) continue;
    if (isBusy(el)) {
      deferred[id] = html;
      el.classList.add("has-update");
      continue;
    }
    delete deferred[id];
    el.classList.remove("has-update");
    // A <details data-remember="name"> someone opened stays open across the swap.
    const opened = [...el.querySelectorAll("details[data-remember][open]")].map((d) => d.dataset.remember);
    // A script redrawn for the same step (a dignitary checked in, a name filled) keeps where
    // the MC was reading; a new step starts at its top.
    const scrolled = [...el.querySelectorAll("[data-scroll-top]")].map((x) => [x.dataset.scrollTop, x.scrollTop]);
    el.innerHTML = html;
    delete deferredItems[id];  // held-back items of a list drawn afresh are out of date
    for (const d of el.querySelectorAll("details[data-remember]")) if (opened.includes(d.dataset.remember)) d.open = true;
    lastHtml[id] = html;
    el.querySelectorAll("[data-scroll-top]").forEach((x, i) => {
      const [step, top] = scrolled[i] || [];
      x.scrollTop = step === x.dataset.scrollTop ? top : 0;
    });
  }
  afterChange();
}

function afterChange() {
  applyPageData();
  applyFilters();
  applySearch();
  numberLists();
  restoreDrafts();
  markMoreBelow();
  fitText();
  tick();
  syncMedia();
}

// --- keyed lists (live/keyed.py) ------------------------------------------------------
// A list region's items each carry data-key; a patch says, per list, what to do by key:
// ["remove", key] · ["insert", key, html, before] · ["move", key, before] · ["replace", key, html]
// (before: the key of the item it goes before, null for the end). An item someone is
// working in (focus, unsent form) keeps its content until they are done, like a region.
const deferredItems = {};  // list id -> key -> html waiting for its item to be free

function itemOf(list, key) {
  return key === null ? null : list.querySelector(`:scope > [data-key="${CSS.escape(key)}"]`);
}

function elementOf(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  return tpl.content.firstElementChild;
}

// Apply every list's operations; false when the page does not hold what they address
// (the caller then asks for a snapshot).
function patchLists(lists) {
  for (const [id, ops] of Object.entries(lists)) {
    const list = document.getElementById(id);
    if (!list) continue;
    lastHtml[id] = undefined;  // no longer the HTML of any one message
    for (const [action, key, ...rest] of ops) {
      const item = itemOf(list, key);
      if (action === "insert") {
        const before = itemOf(list, rest[1]);
        if (item || (rest[1] !== null && !before)) return false;
        list.insertBefore(elementOf(rest[0]), before);
        continue;
      }
      if (!item) return false;
      if (action === "remove") {
        item.remove();
      } else if (action === "move") {
        const before = itemOf(list, rest[0]);
        if (rest[0] !== null && !before) return false;
        list.insertBefore(item, before);
      } else if (action === "replace") {
        if (isBusy(item)) {
          (deferredItems[id] ||= {})[key] = rest[0];
          item.classList.add("has-update");
        } else {
          if (deferredItems[id]) delete deferredItems[id][key];
          item.replaceWith(elementOf(rest[0]));
        }
      }
    }
  }
  return true;
}

function flushDeferred() {
  for (const [id, items] of Object.entries(deferredItems)) {
    const list = document.getElementById(id);
    for (const [key, html] of Object.entries(items)) {
      const item = list && itemOf(list, key);
      if (item && isBusy(item)) continue;
      delete items[key];
      item?.replaceWith(elementOf(html));
    }
  }
  const waiting = Object.assign({}, deferred);
  for (const id of Object.keys(waiting)) lastHtml[id] = undefined;
  if (Object.keys(waiting).length) swap(waiting);
  else afterChange();
}

// A numbered list (the moderators' queue) shows each item's place in it.
function numberLists() {
  for (const list of document.querySelectorAll("[data-numbered]")) {
    let n = 0;
    for (const item of list.children) {
      n++;
      const label = item.querySelector(".q-no");
      if (label && label.textContent !== `${n}.`) label.textContent = `${n}.`;
    }
  }
}

// What the page-data region (and others) say about the page as a whole: its title, flags
// that CSS reads on <body> (the free microphones), the options of selects built from the
// region's datalists (a select keeps its choice when its options are rebuilt).
function applyPageData() {
  const title = document.querySelector("[data-doc-title]")?.dataset.docTitle;
  if (title && document.title !== title) {
    document.title = title;
    for (const el of document.querySelectorAll("[data-page-title]")) el.textContent = title;
  }
  for (const el of document.querySelectorAll("[data-body-flag]")) body.dataset[el.dataset.bodyFlag] = el.dataset.value;
  for (const select of document.querySelectorAll("select[data-options-from]")) {
    const source = document.getElementById(select.dataset.optionsFrom);
    if (!source) continue;
    const values = [...source.options].map((o) => o.value);
    const first = select.options[0]?.value === "" ? 1 : 0;
    const shown = [...select.options].slice(first).map((o) => o.value);
    if (values.join("\n") === shown.join("\n")) continue;
    const chosen = select.value;
    while (select.options.length > first) select.remove(first);
    for (const v of values) select.add(new Option(v, v));
    select.value = values.includes(chosen) ? chosen : "";
  }
}

// After the browser has moved focus on (a click on "Lưu" moves it to the button, still
// inside the region, so nothing is applied before the click lands).
document.addEventListener("focusout", () => setTimeout(flushDeferred, 0));
document.addEventListener("toggle", () => setTimeout(flushDeferred, 0), true);

function badge(show) {
  document.getElementById("conn-badge").hidden = !show;
  body.classList.toggle("offline", show);
}

let toastTimer = null;
function toast(text) {
  const el = document.getElementById("toast");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 5000);
}

// --- commands -------------------------------------------------------------------------
const pending = new Map();   // request id -> button

const callbacks = new Map();  // request id -> what to do with its result

function send(command, args, button, quiet = false, onResult = null) {
  if (!socket || socket.readyState !== WebSocket.OPEN || awaitingSnapshot) {
    if (!quiet) toast("Mất kết nối tới máy chủ — lệnh chưa được gửi. Đang kết nối lại…");
    return null;
  }
  const id = nextId++;
  if (button) { button.classList.add("busy"); pending.set(id, button); }
  if (onResult) callbacks.set(id, onResult);
  unanswered.set(id, { command, quiet, timer: setTimeout(() => noAnswer(id), ANSWER_WAIT_MS) });
  socket.send(JSON.stringify({ type: "command", id, command, args }));
  return id;
}

// A command sent into a connection that then died (a server restart, the hall's Wi-Fi) gets
// no answer: after ANSWER_WAIT_MS, or as soon as the socket closes, it is given up visibly
// (the button is free again, a form keeps what was typed, a toast says so) instead of
// waiting forever. The screen's next snapshot shows whether it was done after all.
const ANSWER_WAIT_MS = 8000;
const unanswered = new Map();  // request id -> {command, quiet, timer}

function noAnswer(id) {
  const sent = unanswered.get(id);
  if (!sent) return;
  const message = "Chưa nhận được xác nhận của máy chủ (mất kết nối): lệnh có thể chưa được thực hiện — xem lại rồi bấm lại nếu cần.";
  if (!sent.quiet) toast(message);
  settle(id, { ok: false, code: "no_answer", message });
}

const sentForms = new Map();  // request id -> [form, the values it carried]
// What a page does with the answer to a button's command, by command (beside the toast).
const answered = { "delegate.checkin": (result) => showCheckedIn(result) };

function settle(id, result) {
  clearTimeout(unanswered.get(id)?.timer);
  unanswered.delete(id);
  const button = pending.get(id);
  if (button) { button.classList.remove("busy"); pending.delete(id); }
  const callback = callbacks.get(id);
  callbacks.delete(id);
  if (callback) callback(result);
  const sent = sentForms.get(id);
  sentForms.delete(id);
  if (!sent) return;
  const [form, values] = sent;
  if (result.code === "conflict") { markConflict(form, values); return; }
  if (!result.ok) { setSaveState(form, "Chưa lưu: " + result.message); return; }
  form.closest("dialog")?.close();  // an editor opened for one item: done with it
  if (form.hasAttribute("data-reset")) {
    form.reset();
  } else {
    // Accepted: what was sent is now the saved value (later typing stays unsaved).
    for (const el of form.elements) {
      if (!(el.name in values)) continue;
      if (el.tagName === "SELECT") for (const o of el.options) o.defaultSelected = o.value === el.value && el.value === values[el.name];
      else if (el.type === "checkbox") el.defaultChecked = el.checked;
      else if (el.type !== "file") el.defaultValue = values[el.name];
    }
    const base = form.elements.base_version;
    if (base && result.result && result.result.version) {
      base.value = base.defaultValue = result.result.version;
    }
    if (form.dataset.draft && !isDirty(form)) localStorage.removeItem(draftKey(form));
    setSaveState(form, `Đã lưu${result.result && result.result.version ? ` bản ${result.result.version}` : ""}`);
  }
  flushDeferred();
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-command]");
  if (!button || button.disabled) return;
  if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
  const args = button.dataset.args ? JSON.parse(button.dataset.args) : {};
  const command = button.dataset.command;
  send(command, withPageValues(button, withItemKey(button, args)), button, false, answered[command]);
});

// A button inside an item of a list marked data-key-arg="id" is the same for every item:
// the command learns which item from the item's key (sent as that argument, a number).
function withItemKey(el, args) {
  const list = el.closest("[data-key-arg]");
  const item = el.closest("[data-key]");
  if (list && item && list.contains(item) && !(list.dataset.keyArg in args)) {
    args[list.dataset.keyArg] = Number(item.dataset.key);
  }
  return args;
}

// data-with="desk": the command also carries the page's own setting of that name (the
// check-in desk this browser stands at), which region HTML shared by all desks cannot hold.
function withPageValues(el, args) {
  for (const name of (el.dataset.with || "").split(" ").filter(Boolean)) {
    const input = document.getElementById(name);
    if (input) args[name] = Number(input.value);
  }
  return args;
}

// The MC's script scrolls on its own, by the presenter clicker's keys (PageDown/PageUp):
// PageDown turns a page of the script while there is more below, and only at its end
// moves to the next step; PageUp turns back and never leaves the step (← does that).
function scrollScript(key) {
  const script = document.querySelector(".script[data-scroll-top]");
  if (!script || (key !== "PageDown" && key !== "PageUp")) return false;
  const page = script.clientHeight * 0.85;
  if (key === "PageUp") { script.scrollBy({ top: -page }); return true; }
  if (script.scrollTop + script.clientHeight >= script.scrollHeight - 2) return false;
  script.scrollBy({ top: page });
  return true;
}

// "More below" on a script that does not fit: the MC sees there is more before reading on.
function markMoreBelow() {
  for (const script of document.querySelectorAll(".script[data-scroll-top]")) {
    const more = script.scrollTop + script.clientHeight < script.scrollHeight - 2;
    script.classList.toggle("more-below", more);
  }
}
document.addEventListener("scroll", (event) => {
  if (event.target.matches?.(".script[data-scroll-top]")) markMoreBelow();
}, true);
window.addEventListener("resize", markMoreBelow);

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("input, textarea, select, [contenteditable]")) return;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (scrollScript(key)) { event.preventDefault(); return; }
  const help = document.getElementById("keys-help");
  if (help && key === "?") { event.preventDefault(); help.open ? help.close() : help.showModal(); return; }
  if (help?.open) return;  // reading the list: no key acts behind it
  for (const button of document.querySelectorAll("button[data-keys]")) {
    if (button.dataset.keys.split(",").includes(key)) {
      event.preventDefault();
      if (!button.disabled) button.click();
      return;
    }
  }
});

// A form with data-command sends its fields as the command's args (data-int fields as
// numbers, data-list fields split at ";"). On success a data-reset form is cleared; on a
// refusal nothing typed is lost.
function formArgs(form) {
  const args = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === "checkbox") {
      args[el.name] = el.checked;
    } else if (el.hasAttribute("data-int")) {
      if (el.value === "") return null;
      args[el.name] = Number(el.value);
    } else if (el.hasAttribute("data-list")) {
      args[el.name] = el.value.split(";").map((v) => v.trim()).filter(Boolean);
    } else {
      args[el.name] = el.value;
    }
  }
  return withPageValues(form, args);
}

function submitForm(form, { quiet = false } = {}) {
  const args = formArgs(form);
  if (args === null) { toast("Xin chọn một câu hỏi."); return; }
  const values = {};
  for (const el of form.elements) if (el.name) values[el.name] = el.value;
  const id = send(form.dataset.command, args, quiet ? null : form.querySelector("button[type=submit]"), quiet);
  if (id) sentForms.set(id, [form, values]);
  return id;
}

document.addEventListener("click", (event) => {
  event.target.closest("[data-close-dialog]")?.closest("dialog")?.close();
  if (event.target.closest("[data-open-keys]")) document.getElementById("keys-help")?.showModal();
});

// «Sửa», «Gộp…» on a list item: the page has one such editor (a <dialog>), filled when
// opened from the item's own [data-field] elements, its key as the "id".
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-open-editor]");
  if (!button) return;
  const item = button.closest("[data-key]");
  const dialog = document.getElementById(button.dataset.openEditor);
  const form = dialog.querySelector("form");
  const values = { id: item.dataset.key };
  for (const el of item.querySelectorAll("[data-field]")) values[el.dataset.field] = el.textContent;
  for (const el of form.elements) {
    if (!el.name || el.type === "submit") continue;
    el.value = el.defaultValue = values[el.name] ?? "";
  }
  for (const el of dialog.querySelectorAll("[data-field]")) el.textContent = values[el.dataset.field] ?? "";
  delete form.dataset.conflict;
  setSaveState(form, "");
  dialog.showModal();
  form.querySelector("input:not([type=hidden]), textarea")?.focus();
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-command]");
  if (!form) return;
  event.preventDefault();
  if (form.dataset.conflict) return;  // settle the conflict first
  if (event.submitter?.dataset.confirm && !window.confirm(event.submitter.dataset.confirm)) return;
  submitForm(form);
  document.activeElement?.blur();  // sent: updates held back for this form may come in
});

// --- autosave and drafts (the secretaries' answers) ----------------------------------
// Typing is kept in localStorage at once (a reload or a dropped connection loses nothing)
// and saved to the server a moment after the typing stops.
const autosaveTimers = new WeakMap();

function draftKey(form) { return `draft:${slug}:${form.dataset.draft}`; }

function setSaveState(form, text) {
  const el = form.querySelector("[data-save-state]");
  if (el) el.textContent = text;
}

document.addEventListener("input", (event) => {
  const form = event.target.closest("form[data-autosave]");
  if (!form) return;
  const values = {};
  for (const el of form.elements) if (el.name) values[el.name] = el.value;
  localStorage.setItem(draftKey(form), JSON.stringify(values));
  setSaveState(form, "Đang gõ… (đã giữ trên máy này)");
  clearTimeout(autosaveTimers.get(form));
  autosaveTimers.set(form, setTimeout(() => {
    if (!form.dataset.conflict && document.contains(form) && isDirty(form)) submitForm(form, { quiet: true });
  }, 1200));
});

// A draft left from before a reload: put it back if it was written on the version shown;
// if someone saved since, show both.
function restoreDrafts() {
  if (awaitingSnapshot) return;  // restored once connected, when it can be saved at once
  for (const form of document.querySelectorAll("form[data-draft]")) {
    const raw = localStorage.getItem(draftKey(form));
    if (!raw) continue;
    const mine = JSON.parse(raw);
    const shown = formValues(form);
    const differs = Object.keys(mine).some((k) => k !== "base_version" && k in shown && mine[k] !== shown[k]);
    if (!differs) { localStorage.removeItem(draftKey(form)); continue; }
    if (String(mine.base_version) === String(shown.base_version)) {
      for (const el of form.elements) if (el.name in mine && el.name !== "base_version") el.value = mine[el.name];
      setSaveState(form, "Đã khôi phục phần đang gõ dở — đang lưu…");
      submitForm(form, { quiet: true });
    } else {
      showConflict(form, mine, shown);
    }
  }
}

function formValues(form) {
  const values = {};
  for (const el of form.elements) if (el.name) values[el.name] = el.value;
  return values;
}

// A save refused because another secretary saved first: keep both versions on screen.
function markConflict(form, mine) {
  form.dataset.conflict = "1";
  const region = form.closest("[id]");
  const newer = region && deferred[region.id];
  if (newer) {
    const tpl = document.createElement("template");
    tpl.innerHTML = newer;
    const other = tpl.content.querySelector(`form[data-draft="${form.dataset.draft}"]`);
    if (other) { showConflict(form, mine, formValues(other)); return; }
  }
  // The newer version is on its way: ask for it.
  requestSnapshot();
  setTimeout(() => { if (form.dataset.conflict && document.contains(form)) markConflict(form, mine); }, 800);
}

// Every field the person can see, named as the form names it («Kết quả: Trả lời bằng văn bản»,
// a select read by its option's words); a field the other version has differently is marked.
function conflictLines(form, values, other) {
  const lines = [];
  for (const el of form.elements) {
    if (!el.name || el.type === "hidden" || !(el.name in values)) continue;
    let shown = values[el.name] || "";
    if (el.tagName === "SELECT") shown = shown ? ([...el.options].find((o) => o.value === shown)?.textContent || shown) : "";
    if (!shown) continue;
    const name = el.getAttribute("aria-label") || el.placeholder || el.name;
    const differs = other && (other[el.name] || "") !== (values[el.name] || "");
    lines.push(`${differs ? "▸ " : ""}${name}: ${shown}`);
  }
  return lines;
}

function showConflict(form, mine, theirs) {
  form.dataset.conflict = "1";
  form.querySelector(".conflict")?.remove();
  const box = document.createElement("div");
  box.className = "conflict";
  const title = document.createElement("strong");
  title.textContent = `Thư ký khác vừa lưu bản ${theirs.base_version}. Bản của đồng chí chưa được ghi; cả hai ở dưới đây.`;
  const cols = document.createElement("div");
  cols.className = "conflict-cols";
  for (const [label, values] of [["Bản của đồng chí (chưa lưu)", mine], [`Bản đã lưu (bản ${theirs.base_version})`, theirs]]) {
    const col = document.createElement("div");
    const h = document.createElement("em");
    h.textContent = label;
    const text = document.createElement("pre");
    text.textContent = conflictLines(form, values, values === mine ? theirs : mine).join("\n");
    col.append(h, text);
    cols.append(col);
  }
  const keepMine = document.createElement("button");
  keepMine.type = "button";
  keepMine.textContent = "Giữ bản của tôi (ghi đè lên bản kia)";
  keepMine.addEventListener("click", () => {
    for (const el of form.elements) if (el.name in mine && el.name !== "base_version") el.value = mine[el.name];
    form.elements.base_version.value = theirs.base_version;
    delete form.dataset.conflict;
    box.remove();
    submitForm(form);
  });
  const takeTheirs = document.createElement("button");
  takeTheirs.type = "button";
  takeTheirs.textContent = "Dùng bản đã lưu";
  takeTheirs.addEventListener("click", () => {
    localStorage.removeItem(draftKey(form));
    for (const el of form.elements) if (el.name in theirs) { el.value = theirs[el.name]; el.defaultValue = theirs[el.name]; }
    delete form.dataset.conflict;
    box.remove();
    flushDeferred();
  });
  box.append(title, cols, keepMine, takeTheirs);
  form.prepend(box);
  setSaveState(form, "Có xung đột: chọn một bản");
}

// List filters (the moderators' queue, the follow-up list): kept in localStorage so a
// reload keeps them.
function applyFilters() {
  const bar = document.querySelector("[data-filters]");
  if (!bar) return;
  const active = {};
  for (const select of bar.querySelectorAll("select[data-filter]")) {
    if (select.value) active[select.dataset.filter] = select.value;
  }
  for (const item of document.querySelectorAll("[data-filter-item]")) {
    item.hidden = Object.entries(active).some(([key, value]) => item.dataset[key] !== value);
  }
}

function restoreFilters() {
  const bar = document.querySelector("[data-filters]");
  if (!bar) return;
  const saved = JSON.parse(localStorage.getItem(`filters:${slug}:${screen}`) || "{}");
  for (const select of bar.querySelectorAll("select[data-filter]")) {
    if (saved[select.dataset.filter]) select.value = saved[select.dataset.filter];
    select.addEventListener("change", () => {
      saved[select.dataset.filter] = select.value;
      localStorage.setItem(`filters:${slug}:${screen}`, JSON.stringify(saved));
      applyFilters();
    });
  }
  applyFilters();
}

// File uploads (a step's video, a list of questions): the answer, and any per-row
// problems, are shown beside the form (as text, never as HTML).
// An import's answer (issue 15): how many rows went in, each row kept out with its line and
// reasons, advice, and those rows as a sheet to download (base64 XLSX in the answer).
function importLink(file) {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const link = document.createElement("a");
  link.className = "import-download";
  link.href = URL.createObjectURL(new Blob([bytes], { type: file.media_type }));
  link.download = file.name;
  link.textContent = "⬇ Tải các dòng chưa nhập (.xlsx, có cột «Lý do») để sửa rồi nhập lại";
  return link;
}

function showImport(report, result) {
  const old = report.querySelector("a.import-download");
  if (old) URL.revokeObjectURL(old.href);
  report.replaceChildren();
  const partly = result.ok && (result.rejected || []).length > 0;
  report.classList.toggle("bad", !result.ok);
  report.classList.toggle("partly", partly);
  const head = document.createElement("p");
  head.className = "import-summary";
  head.textContent = result.message || "";
  report.append(head);
  const rows = result.rejected || [];
  const whole = (result.problems || []).filter((p) => !p.line);
  if (rows.length || whole.length) {
    const list = document.createElement("ul");
    list.className = "import-rejected";
    for (const p of whole) {
      const item = document.createElement("li");
      item.textContent = p.message;
      list.append(item);
    }
    for (const row of rows) {
      const item = document.createElement("li");
      item.dataset.line = row.line;
      const line = document.createElement("strong");
      line.textContent = `Dòng ${row.line}`;
      const prefix = `Dòng ${row.line}: `;
      const reasons = row.reasons.map((r) => (r.startsWith(prefix) ? r.slice(prefix.length) : r));
      item.append(line, `: chưa nhập — ${reasons.join("; ")}`);
      list.append(item);
    }
    report.append(list);
  }
  if ((result.notes || []).length) {
    const notes = document.createElement("ul");
    notes.className = "import-notes";
    for (const n of result.notes) {
      const item = document.createElement("li");
      item.textContent = n.message;
      notes.append(item);
    }
    report.append(notes);
  }
  if (result.rejected_file) report.append(importLink(result.rejected_file));
}

document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-upload]");
  if (!form) return;
  event.preventDefault();
  const button = form.querySelector("button");
  const label = button.textContent;
  const report = form.querySelector("output");
  button.disabled = true;
  button.textContent = "Đang gửi…";
  try {
    const response = await fetch(form.action, { method: "POST", body: new FormData(form) });
    const result = await response.json();
    if (report && ("rejected" in result || "imported" in result)) {
      showImport(report, result);
    } else if (report) {
      const lines = [result.message || ""];
      for (const p of result.problems || []) lines.push(p.message);
      report.textContent = lines.join("\n");
      report.classList.toggle("bad", !result.ok);
    } else if (!result.ok) {
      toast(result.message);
    }
    if (result.ok) form.reset();
  } catch {
    toast("Không gửi được: mất kết nối tới máy chủ.");
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
});

// --- check-in desks --------------------------------------------------------------------
// Typing filters the list by any part of name, unit, position or badge code. A word typed
// without diacritics matches with or without them ("dung": Dũng, Dung, dựng); one typed
// with them matches exactly ("dũng": Dũng only). Enter checks in the one delegate found,
// or the badge code a scanner typed.
const search = document.getElementById("checkin-search");
const desk = document.getElementById("desk");

function plain(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
}

// A row's searchable text (name, unit, position, badge code), read from the row itself
// once: the page carries each delegate once, not again in attributes.
const rowText = new WeakMap();

function searchText(row) {
  let found = rowText.get(row);
  if (!found) {
    const text = ["dg-name", "dg-unit", "dg-position"]
      .map((c) => row.querySelector(`.${c}`)?.textContent || "")
      .concat(row.dataset.code || "").join(" ").normalize("NFC").toLowerCase();
    found = { text, plain: plain(text) };
    rowText.set(row, found);
  }
  return found;
}

function delegateRows() { return document.querySelectorAll("#checkin-list li.dg"); }

function applySearch() {
  if (!search) return;
  const words = search.value.normalize("NFC").toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const row of delegateRows()) {
    const { text, plain: bare } = searchText(row);
    row.hidden = !words.every((w) => (w === plain(w) ? bare : text).includes(w));
    if (!row.hidden) shown++;
  }
  document.getElementById("checkin-count").textContent = words.length ? `${shown} người khớp` : "";
}


// The desk's confirmation names the delegate this desk just checked in, however it was
// done (Enter in the search box, a row's «Có mặt», a badge scanned).
function showCheckedIn(result) {
  const last = document.getElementById("checkin-last");
  if (!result.ok || !last) return;
  const seat = result.result.seat ? `ghế ${result.result.seat}` : "chưa xếp ghế";
  last.textContent = `✓ ${result.result.name} — ${seat}`;
}

function checkIn(args) {
  send("delegate.checkin", { ...args, desk: Number(desk.value) }, null, false, (result) => {
    showCheckedIn(result);
    if (!result.ok) return;
    search.value = "";
    applySearch();
  });
}

if (search) {
  desk.value = localStorage.getItem(`desk:${slug}`) || desk.value;
  desk.addEventListener("change", () => localStorage.setItem(`desk:${slug}`, desk.value));
  search.addEventListener("input", applySearch);
  search.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const value = search.value.trim();
    if (/^DB\d{4}$/i.test(value)) { checkIn({ code: value.toUpperCase() }); return; }
    const rows = [...delegateRows()].filter((r) => !r.hidden);
    if (rows.length === 1 && !rows[0].classList.contains("in")) checkIn({ id: Number(rows[0].dataset.key) });
    else toast(rows.length === 1 ? "Đại biểu này đã có mặt." : rows.length ? `${rows.length} người khớp: gõ thêm, hoặc bấm «Có mặt» ở đúng người.` : "Không tìm thấy đại biểu nào.");
  });
  applySearch();
}

// --- a long question on the projector: fitted, then in pages ----------------------------
// Its size steps down until it fits its box, to no less than 3 % of the screen's height
// (legible from the back row); past that it is laid out in columns one box wide and shows
// page data-page (modulo how many there are: the moderator's «Trang sau» turns them), with
// «1/2» in the corner. Never cut.
function fitText() {
  for (const el of document.querySelectorAll("[data-fit]")) {
    el.classList.remove("paged");
    for (const prop of ["fontSize", "columnWidth", "columnGap", "height"]) el.style[prop] = "";
    const indicator = el.parentElement.querySelector(".floor-pages");
    if (indicator) indicator.hidden = true;
    const floor = window.innerHeight * 0.03;
    // A list in columns overflows sideways (one more column), a text downwards.
    const over = () => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
    let size = parseFloat(getComputedStyle(el).fontSize);
    while (over() && size > floor) {
      size = Math.max(floor, size * 0.92);
      el.style.fontSize = `${size}px`;
    }
    if (el.dataset.fit === "shrink") continue;  // a list: smaller, never paged
    const pages = el.parentElement.querySelector(".floor-pages");
    if (el.scrollHeight <= el.clientHeight + 1) { if (pages) pages.hidden = true; continue; }
    if (pages) { pages.textContent = "…"; pages.hidden = false; }  // its room, taken first
    const width = el.clientWidth;
    const gap = Math.round(width * 0.06);
    el.style.height = `${el.clientHeight}px`;
    el.style.columnWidth = `${width}px`;
    el.style.columnGap = `${gap}px`;
    el.classList.add("paged");
    const count = Math.max(1, Math.round((el.scrollWidth + gap) / (width + gap)));
    const page = Number(el.dataset.page || 0) % count;
    el.scrollLeft = page * (width + gap);
    if (pages) { pages.textContent = `${page + 1}/${count}`; pages.hidden = false; }
  }
}
window.addEventListener("resize", fitText);
document.fonts?.ready.then(fitText);

// --- timers, wall clock, video ---------------------------------------------------------
export function timerRemaining(el, now) {
  const duration = Number(el.dataset.duration);
  const elapsed = Number(el.dataset.elapsed);
  const startedAt = el.dataset.startedAt ? Number(el.dataset.startedAt) : null;
  return duration - elapsed - (startedAt === null ? 0 : Math.max(0, now - startedAt));
}

export function formatClock(remaining) {
  if (remaining >= 0) {
    const total = Math.ceil(remaining - 1e-9);
    return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
  }
  const total = Math.floor(-remaining);
  return `${total > 0 ? "−" : ""}${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

function tick() {
  const now = serverNow();
  for (const el of document.querySelectorAll("[data-timer]")) {
    let remaining = timerRemaining(el, now);
    if ("stopAtZero" in el.dataset) remaining = Math.max(0, remaining);  // the hall: no overtime
    const phase = remaining < 0 ? "overtime" : remaining <= Number(el.dataset.warning) ? "warning" : "ok";
    const text = formatClock(remaining);
    if (el.textContent !== text) el.textContent = text;
    for (const p of ["ok", "warning", "overtime"]) el.classList.toggle(`timer-${p}`, p === phase);
  }
  const clock = document.querySelector("[data-clock]");
  if (clock) clock.textContent = new Date(now * 1000).toLocaleTimeString("vi-VN", { hour12: false });
}

function syncMedia() {
  const video = document.querySelector("video[data-stage-video]");
  const state = document.querySelector("[data-media-state]");
  if (!video || !state) return;
  const playing = state.dataset.playing === "1";
  const startedAt = Number(state.dataset.startedAt || 0);
  let target = Number(state.dataset.offset);
  if (playing && startedAt) target += Math.max(0, serverNow() - startedAt);
  const cover = document.querySelector(".video-cover");
  if (cover) cover.hidden = playing || target > 0;
  if (Number.isFinite(video.duration)) target = Math.min(target, video.duration);
  if (Math.abs(video.currentTime - target) > 1) video.currentTime = target;
  if (playing && video.paused && !video.ended) {
    video.play().catch(() => {
      // The browser blocks sound until someone has clicked the page once: play muted,
      // and ask (in a corner) for that one click.
      video.muted = true;
      document.getElementById("audio-hint").hidden = false;
      video.play().catch(() => {});
    });
  } else if (!playing && !video.paused) {
    video.pause();
  }
}

document.addEventListener("click", () => {
  const video = document.querySelector("video[data-stage-video]");
  if (video) video.muted = false;
  const hint = document.getElementById("audio-hint");
  if (hint) hint.hidden = true;
});
document.addEventListener("loadedmetadata", syncMedia, true);
// Played to its end: the projector says so (video.ended; a report that comes late is
// refused and ignored), so no screen goes on saying «đang phát».
document.addEventListener("ended", (event) => {
  if (!event.target.matches?.("video[data-stage-video]")) return;
  const state = document.querySelector("[data-media-state]");
  if (!state || state.dataset.playing !== "1") return;
  send("video.ended", { position: Number(state.dataset.position) }, null, true);
}, true);

setInterval(tick, 250);
setInterval(sendPing, 10000);
setInterval(syncMedia, 2000);
tick();
applyPageData();
numberLists();
restoreFilters();
connect();
