/*
 * 就业创业政策助手 — embeddable chat widget.
 *
 * Usage on any page:  <script src="https://HOST/static/widget.js" defer></script>
 *
 * Links its stylesheet (widget.css from the same folder, class prefix `pa-`),
 * builds its own DOM, talks to POST {origin of this script}/api/chat, and keeps
 * the conversation in localStorage so a reload does not lose it.
 *
 * Live handoff: from 「转人工」 until staff hand the conversation back (or the
 * citizen cancels), it polls GET /api/chat/updates for staff messages after the
 * last journal id it has shown (kept in localStorage, so a reload resumes).
 *
 * Security: every piece of text from the user or the server is put into the
 * page with textContent on nodes made by createElement — never innerHTML.
 */
(function () {
  "use strict";

  if (window.__paWidgetLoaded) return; // included twice: keep the first one
  window.__paWidgetLoaded = true;

  // ---------------------------------------------------------------- settings

  const SCRIPT = document.currentScript || findOwnScript();
  const API_BASE = apiBase(SCRIPT);
  // data-region="广东省" on the script tag: the page's region, sent with every message (a citizen may still name another)
  const REGION = ((SCRIPT && SCRIPT.dataset && SCRIPT.dataset.region) || "").trim().slice(0, 32);
  const MAX_CHARS = 500;
  const MAX_HISTORY = 50;
  const TIMEOUT_MS = 30000;
  const KEY_SENDER = "pa-sender";
  const KEY_HISTORY = "pa-history";
  const KEY_OPEN = "pa-open";
  const KEY_LIVE = "pa-live"; // "1" while a handoff request is open: poll for staff messages
  const KEY_SEEN = "pa-seen"; // the last staff message's journal id shown
  const POLL_MS = 2000; // while staff hold the conversation: a reply shows within about 2 s
  const POLL_WAITING_MS = 5000; // while it waits in the queue: fewer requests from citizens behind one address
  const POLL_RETRY_MS = 6000;

  const TEXT = {
    title: "就业创业政策助手",
    open: "打开政策咨询",
    close: "关闭",
    clear: "清空",
    handoff: "转人工",
    send: "发送",
    placeholder: "请输入您的问题，如：应届毕业生能领什么补贴",
    typing: "正在查找政策条款…",
    intro: "您好！我可以根据广东省及国务院就业创业政策文件为您解答，并给出文件原文出处。请直接输入您的问题。",
    tooLong: (n) => `问题最多 ${MAX_CHARS} 字（当前 ${n} 字），请精简后再发送。`,
    network: "网络异常，请稍后再试，或拨打 12333 咨询。",
    tooMany: "提问太频繁了，请稍等片刻再试。",
    badInput: "消息太长或格式不正确，请精简后再发送。",
    empty: "抱歉，暂时没有找到答复，请换个说法或拨打 12333 咨询。",
    dept: "责任单位：",
    good: "有帮助",
    bad: "没帮助",
    thanks: "感谢反馈",
    feedbackFailed: "反馈未发送成功",
    staff: "人工客服",
    toStaff: "您的消息已转给人工客服，请稍候回复。",
  };

  /** The <script> that loaded this file, when document.currentScript is unavailable. */
  function findOwnScript() {
    const scripts = document.getElementsByTagName("script");
    for (let i = scripts.length - 1; i >= 0; i--) {
      if (/\/widget\.js(\?|#|$)/.test(scripts[i].src || "")) return scripts[i];
    }
    return null;
  }

  /** API origin: data-api-base on the script tag, else the script's own origin, else this page's. */
  function apiBase(script) {
    const override = script && script.getAttribute("data-api-base");
    try {
      if (override) return new URL(override, location.href).href.replace(/\/+$/, "");
      if (script && script.src) return new URL(script.src, location.href).origin;
    } catch (e) {
      /* fall through */
    }
    return location.origin;
  }

  // ---------------------------------------------------------------- storage

  /** localStorage.getItem that never throws (private mode, blocked storage). */
  function load(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  /** localStorage.setItem that never throws (quota, blocked storage). */
  function save(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (e) {
      /* conversation just won't survive a reload */
    }
  }

  /** A new random sender id of letters, digits and '-' (accepted by the API's pattern). */
  function newSenderId() {
    const bytes = new Uint8Array(12);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `web-${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16)}`;
  }

  /** The stored sender id, created on first use. */
  function senderId() {
    let id = load(KEY_SENDER);
    if (!id || !/^[A-Za-z0-9-]{1,128}$/.test(id)) {
      id = newSenderId();
      save(KEY_SENDER, id);
    }
    return id;
  }

  /** The stored conversation as an array of items, dropping anything malformed. */
  function loadHistory() {
    try {
      const items = JSON.parse(load(KEY_HISTORY) || "[]");
      return Array.isArray(items) ? items.filter((x) => x && typeof x === "object" && typeof x.role === "string") : [];
    } catch (e) {
      return [];
    }
  }

  /** Persist the last MAX_HISTORY items. */
  function saveHistory() {
    if (conversation.length > MAX_HISTORY) conversation.splice(0, conversation.length - MAX_HISTORY);
    save(KEY_HISTORY, JSON.stringify(conversation));
  }

  // ---------------------------------------------------------------- helpers

  /** createElement with a class name and optional text (always via textContent). */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** A value as a string ('' for null/undefined/objects). */
  function str(v) {
    return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
  }

  /** A value as an array of non-empty strings. */
  function strList(v) {
    return Array.isArray(v) ? v.map(str).filter(Boolean) : [];
  }

  /** A JSON value a citation field may hold (contract.schema.json: strings, numbers, booleans, string lists) or undefined. */
  function plain(v) {
    if (typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && isFinite(v))) return v;
    return Array.isArray(v) ? strList(v) : undefined;
  }

  /**
   * Keep only well-formed citations (the Citation of /static/contract.schema.json): every field with a
   * plain value is kept, so a field added to the contract reaches the page; the fields rendered here
   * are normalised to their type.
   */
  function cleanCitations(v) {
    if (!Array.isArray(v)) return [];
    return v
      .filter((c) => c && typeof c === "object")
      .map((c) => {
        const out = {};
        Object.keys(c).forEach((k) => {
          const value = plain(c[k]);
          if (value !== undefined && k !== "__proto__") out[k] = value; // a JSON "__proto__" key must not set the prototype
        });
        return Object.assign(out, {
          doc_number: str(c.doc_number),
          doc_title: str(c.doc_title),
          path: strList(c.path),
          clause_id: str(c.clause_id),
          text: str(c.text),
          departments: strList(c.departments),
        });
      });
  }

  /** Keep only buttons with a title and a payload. */
  function cleanButtons(v) {
    if (!Array.isArray(v)) return [];
    return v
      .filter((b) => b && typeof b === "object" && str(b.payload))
      .map((b) => ({ title: str(b.title) || str(b.payload), payload: str(b.payload) }));
  }

  /** A unique-enough id for a conversation item (to update its feedback state later). */
  function itemId() {
    return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  }

  // ---------------------------------------------------------------- styles

  /**
   * Link the widget's stylesheet (widget.css, next to this script) → a promise settled once it has
   * loaded or failed. A file, not an injected <style>: pages with a Content-Security-Policy allow
   * our origin once for scripts and styles, and need no 'unsafe-inline'.
   */
  function linkStyles() {
    const link = el("link");
    link.id = "pa-style";
    link.rel = "stylesheet";
    link.href = SCRIPT && SCRIPT.src ? new URL("widget.css", SCRIPT.src).href : `${API_BASE}/static/widget.css`;
    const settled = new Promise((resolve) => {
      link.addEventListener("load", resolve, { once: true });
      link.addEventListener("error", resolve, { once: true }); // unstyled beats absent
    });
    (document.head || document.documentElement).appendChild(link);
    return settled;
  }

  // ---------------------------------------------------------------- state + DOM refs

  let conversation = loadHistory();
  let busy = false;
  let pollTimer = null;
  let endedPolls = 0; // polls that found no open request: stop at the second (staff's closing words may trail it)
  let ui = null; // filled by buildUi()

  const ICONS = {
    bubble: "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z",
    // thumbs up / down (Material Icons, Apache-2.0): drawn, so they show where no emoji font is installed
    good: "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z",
    bad: "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z",
  };

  /** An icon name → an <svg> built from SVG nodes (no markup strings). */
  function icon(name) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  /** Build bubble + panel and wire their events; returns the element refs. */
  function buildUi() {
    const root = el("div");
    root.id = "pa-root";

    const bubble = el("button", "pa-bubble");
    bubble.id = "pa-bubble";
    bubble.type = "button";
    bubble.setAttribute("aria-label", TEXT.open);
    bubble.setAttribute("aria-controls", "pa-panel");
    bubble.setAttribute("aria-expanded", "false");
    bubble.appendChild(icon("bubble"));

    const panel = el("div", "pa-panel");
    panel.id = "pa-panel";
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-labelledby", "pa-title");

    // header: title, 转人工, 清空, close
    const header = el("div", "pa-header");
    const title = el("h2", "pa-title", TEXT.title);
    title.id = "pa-title";
    const handoff = el("button", "pa-handoff", TEXT.handoff);
    handoff.type = "button";
    handoff.id = "pa-handoff";
    const clear = el("a", "pa-clear", TEXT.clear);
    clear.href = "#";
    clear.id = "pa-clear";
    clear.setAttribute("role", "button");
    const close = el("button", "pa-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", TEXT.close);
    header.append(title, handoff, clear, close);

    const messages = el("div", "pa-messages");
    messages.id = "pa-messages";
    messages.setAttribute("aria-live", "polite");
    messages.setAttribute("aria-relevant", "additions");
    messages.setAttribute("role", "log");

    // footer: textarea + 发送, notice, counter
    const footer = el("div", "pa-footer");
    const form = el("form", "pa-form");
    form.noValidate = true;
    const label = el("label", "pa-sr", "输入问题");
    label.htmlFor = "pa-input";
    const input = el("textarea", "pa-input");
    input.id = "pa-input";
    input.rows = 1;
    input.placeholder = TEXT.placeholder;
    input.setAttribute("aria-describedby", "pa-notice");
    const send = el("button", "pa-send", TEXT.send);
    send.id = "pa-send";
    send.type = "submit";
    form.append(label, input, send);
    const notice = el("div", "pa-notice");
    notice.id = "pa-notice";
    notice.setAttribute("role", "status");
    const counter = el("div", "pa-counter", `0/${MAX_CHARS}`);
    counter.setAttribute("aria-hidden", "true");
    footer.append(form, notice, counter);

    panel.append(header, messages, footer);
    root.append(panel, bubble);
    document.body.appendChild(root);

    bubble.addEventListener("click", () => setOpen(panel.hidden));
    close.addEventListener("click", () => setOpen(false));
    panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") setOpen(false);
    });
    clear.addEventListener("click", (e) => {
      e.preventDefault();
      clearConversation();
    });
    handoff.addEventListener("click", () => ask("/human_handoff", TEXT.handoff));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      submitInput();
    });
    input.addEventListener("keydown", (e) => {
      // Enter sends; Shift+Enter is a new line; never send while an IME is composing Chinese
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        submitInput();
      }
    });
    input.addEventListener("input", onInputChange);

    return { root, bubble, panel, messages, input, send, handoff, notice, counter };
  }

  // ---------------------------------------------------------------- open / close

  /** Show or hide the panel and remember the choice. */
  function setOpen(open) {
    ui.panel.hidden = !open;
    ui.root.classList.toggle("pa-is-open", open);
    ui.bubble.setAttribute("aria-expanded", String(open));
    save(KEY_OPEN, open ? "1" : "0");
    if (open) {
      scrollToBottom();
      if (!busy) ui.input.focus({ preventScroll: true });
    } else {
      ui.bubble.focus({ preventScroll: true });
    }
  }

  // ---------------------------------------------------------------- rendering

  /** Keep the newest message in view. */
  function scrollToBottom() {
    ui.messages.scrollTop = ui.messages.scrollHeight;
  }

  /** Clear the list and render the intro plus every stored item. */
  function renderAll() {
    ui.messages.textContent = "";
    ui.messages.appendChild(el("div", "pa-intro", TEXT.intro));
    conversation.forEach((item) => ui.messages.appendChild(renderItem(item)));
    scrollToBottom();
  }

  /** One conversation item → its DOM (user bubble, or bot bubble with citations, buttons, feedback). */
  function renderItem(item) {
    if (item.role === "staff") return renderStaffItem(item);
    const isUser = item.role === "user";
    const wrap = el("div", `pa-item ${isUser ? "pa-from-user" : "pa-from-bot"}`);
    const bubble = el("div", `pa-msg ${isUser ? "pa-user" : "pa-bot"}`);
    if (item.error) bubble.classList.add("pa-error");
    if (item.answerable === false) bubble.classList.add("pa-unanswerable");
    const text = str(item.text);
    const cut = isUser ? -1 : text.indexOf("\n");
    if (cut > 0) {  // a bot answer's first line answers: which policy applies, or what the documents do not say
      bubble.appendChild(el("div", "pa-msg-text pa-lead", text.slice(0, cut)));
      bubble.appendChild(el("div", "pa-msg-text", text.slice(cut + 1)));
    } else {
      bubble.appendChild(el("div", "pa-msg-text", text));
    }
    wrap.appendChild(bubble);
    if (isUser) return wrap;

    const citations = cleanCitations(item.citations);
    citations.forEach((c) => bubble.appendChild(renderCitation(c)));

    const buttons = cleanButtons(item.buttons);
    if (buttons.length) {
      const row = el("div", "pa-quick-row");
      buttons.forEach((b) => {
        const btn = el("button", "pa-quick", b.title);
        btn.type = "button";
        btn.disabled = busy;
        btn.addEventListener("click", () => ask(b.payload, b.title));
        row.appendChild(btn);
      });
      wrap.appendChild(row);
    }
    if (citations.length) wrap.appendChild(renderFeedback(item));
    return wrap;
  }

  /** A staff member's message → a bubble labelled 人工客服 (plain text: no lead line, no feedback). */
  function renderStaffItem(item) {
    const wrap = el("div", "pa-item pa-from-bot pa-from-staff");
    const bubble = el("div", "pa-msg pa-staff");
    bubble.appendChild(el("div", "pa-staff-label", TEXT.staff));
    bubble.appendChild(el("div", "pa-msg-text", str(item.text)));
    wrap.appendChild(bubble);
    return wrap;
  }

  /** A citation → <details class="pa-citation"> with title/number/path in the summary, quote + departments inside. */
  function renderCitation(c) {
    const details = el("details", "pa-citation");
    let head = "";
    if (c.doc_title) head += `《${c.doc_title}》`;
    if (c.doc_number) head += `（${c.doc_number}）`;
    if (c.path.length) head += (head ? " " : "") + c.path.join(" / ");
    details.appendChild(el("summary", null, head || c.clause_id || "政策原文"));
    const body = el("div", "pa-citation-body");
    if (c.text) body.appendChild(el("blockquote", "pa-quote", c.text));
    if (c.departments.length) body.appendChild(el("div", "pa-dept", TEXT.dept + c.departments.join("、")));
    details.appendChild(body);
    return details;
  }

  /** Helpful / not helpful row (drawn icon + text) for a cited answer; disabled once used (state kept in the item). */
  function renderFeedback(item) {
    const row = el("div", "pa-feedback-row");
    const good = el("button", "pa-feedback");
    const bad = el("button", "pa-feedback");
    good.append(icon("good"), el("span", null, TEXT.good));
    bad.append(icon("bad"), el("span", null, TEXT.bad));
    const status = el("span", "pa-feedback-status");
    good.type = bad.type = "button";
    row.append(good, bad, status);

    const done = (rating) => {
      good.disabled = bad.disabled = true;
      (rating === "good" ? good : bad).classList.add("pa-chosen");
      status.textContent = TEXT.thanks;
    };
    if (item.feedback === "good" || item.feedback === "bad") done(item.feedback);

    const rate = async (rating) => {
      if (good.disabled) return;
      good.disabled = bad.disabled = true;
      status.textContent = "";
      const ok = await sendFeedback(rating);
      if (ok) {
        item.feedback = rating;
        saveHistory();
        done(rating);
      } else {
        good.disabled = bad.disabled = false;
        status.textContent = TEXT.feedbackFailed;
      }
    };
    good.addEventListener("click", () => rate("good"));
    bad.addEventListener("click", () => rate("bad"));
    return row;
  }

  /** Append an item to the conversation and the list. */
  function addItem(item) {
    item.id = item.id || itemId();
    conversation.push(item);
    saveHistory();
    ui.messages.appendChild(renderItem(item));
    scrollToBottom();
  }

  // ---------------------------------------------------------------- busy state

  /** Disable/enable input, send, quick replies and handoff; show/hide the typing indicator. */
  function setBusy(on) {
    busy = on;
    ui.input.disabled = on;
    ui.send.disabled = on;
    ui.handoff.disabled = on;
    ui.messages.querySelectorAll(".pa-quick").forEach((b) => (b.disabled = on));
    ui.panel.setAttribute("aria-busy", String(on));
    const old = ui.messages.querySelector(".pa-typing");
    if (old) old.remove();
    if (on) {
      ui.messages.appendChild(el("div", "pa-typing", TEXT.typing));
      scrollToBottom();
    } else if (!ui.panel.hidden) {
      ui.input.focus({ preventScroll: true });
    }
  }

  // ---------------------------------------------------------------- input

  /** Update the character counter and the too-long notice while typing. */
  function onInputChange() {
    const n = Array.from(ui.input.value).length;
    ui.counter.textContent = `${n}/${MAX_CHARS}`;
    ui.counter.classList.toggle("pa-over", n > MAX_CHARS);
    ui.notice.textContent = n > MAX_CHARS ? TEXT.tooLong(n) : "";
    // grow the textarea with its content, up to its max-height
    ui.input.style.height = "auto";
    ui.input.style.height = `${ui.input.scrollHeight + 2}px`;
  }

  /** Send what is typed: ignore blanks, refuse > MAX_CHARS with a notice. */
  function submitInput() {
    if (busy) return;
    const text = ui.input.value.trim();
    if (!text) return;
    const n = Array.from(text).length;
    if (n > MAX_CHARS) {
      ui.notice.textContent = TEXT.tooLong(n);
      return;
    }
    ui.input.value = "";
    onInputChange();
    ask(text, text);
  }

  // ---------------------------------------------------------------- API

  /** POST a message to /api/chat → {ok, messages} or {ok:false, error text}. Never throws. */
  async function postChat(message) {
    const controller = window.AbortController ? new AbortController() : null;
    const timer = controller ? setTimeout(() => controller.abort(), TIMEOUT_MS) : null;
    try {
      const res = await fetch(`${API_BASE}/api/chat`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(REGION ? { sender_id: senderId(), message, metadata: { region: REGION } } : { sender_id: senderId(), message }),
        signal: controller ? controller.signal : undefined,
        credentials: "omit",
      });
      if (!res.ok) {
        if (res.status === 429) return { ok: false, error: TEXT.tooMany };
        if (res.status === 413 || res.status === 422) return { ok: false, error: TEXT.badInput };
        return { ok: false, error: TEXT.network };
      }
      const data = await res.json();
      const messages = data && Array.isArray(data.messages) ? data.messages : null;
      if (!messages) return { ok: false, error: TEXT.network };
      const flags = { staff: data.staff === true, live: data.live === true };
      return Object.assign({ ok: true, messages: messages.filter((m) => m && typeof m === "object") }, flags);
    } catch (e) {
      return { ok: false, error: TEXT.network };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /**
   * Send `message` (typed text or a button payload) and render the replies.
   * `shown` is what the user's bubble displays (a button's title instead of its payload).
   */
  async function ask(message, shown) {
    if (busy || !message) return;
    addItem({ role: "user", text: shown || message });
    setBusy(true);
    const reply = await postChat(message);
    setBusy(false);
    if (!reply.ok) {
      addItem({ role: "bot", text: reply.error, error: true });
      return;
    }
    if (reply.staff) {  // a staff member holds the conversation: their answer arrives by polling
      ui.notice.textContent = TEXT.toStaff;
      startLive();
      return;
    }
    if (reply.live) startLive(); // 转人工 (or waiting, cancelling): staff messages may follow
    if (!reply.messages.length) {
      addItem({ role: "bot", text: TEXT.empty });
      return;
    }
    reply.messages.forEach((m) => {
      const item = { role: "bot", text: str(m.text), citations: cleanCitations(m.citations), buttons: cleanButtons(m.buttons) };
      if (typeof m.answerable === "boolean") item.answerable = m.answerable;
      if (item.text || item.citations.length || item.buttons.length) addItem(item);
    });
  }

  /** Silent helpful/not-helpful feedback: no user bubble, replies are not shown → whether it reached the server. */
  async function sendFeedback(rating) {
    const reply = await postChat(rating === "good" ? "/feedback_good" : "/feedback_bad");
    return reply.ok;
  }

  // ---------------------------------------------------------------- live handoff

  /** Begin (or keep) polling for staff messages; remembered so a reload resumes. */
  function startLive() {
    save(KEY_LIVE, "1");
    endedPolls = 0;
    if (!pollTimer) schedulePoll(0);
  }

  /** Stop polling (the request was handed back, closed or cancelled, or the conversation cleared). */
  function stopLive() {
    save(KEY_LIVE, "0");
    clearTimeout(pollTimer);
    pollTimer = null;
  }

  function schedulePoll(ms) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(poll, ms);
  }

  /** GET /api/chat/updates → new staff messages shown once each; stops when no request is open any more. */
  async function poll() {
    const sender = senderId();
    const after = Number(load(KEY_SEEN)) || 0;
    let data = null;
    try {
      const url = `${API_BASE}/api/chat/updates?sender_id=${encodeURIComponent(sender)}&after=${after}`;
      const res = await fetch(url, { credentials: "omit", cache: "no-store" });
      data = res.ok ? await res.json() : null;
    } catch (e) {
      data = null;
    }
    if (sender !== senderId() || load(KEY_LIVE) !== "1") return; // cleared or stopped meanwhile
    if (!data || !Array.isArray(data.messages)) {
      schedulePoll(POLL_RETRY_MS); // network trouble: try again, more slowly
      return;
    }
    showStaffMessages(data.messages, after);
    if (data.staff === false && ui.notice.textContent === TEXT.toStaff) ui.notice.textContent = "";
    endedPolls = data.live === false ? endedPolls + 1 : 0;
    if (endedPolls >= 2) stopLive();
    else schedulePoll(data.staff ? POLL_MS : POLL_WAITING_MS);
  }

  /** Staff messages from the server → conversation items, each journal id once. */
  function showStaffMessages(messages, after) {
    let seen = after;
    messages.forEach((m) => {
      const id = m && typeof m.id === "number" ? m.id : 0;
      if (id <= seen || !str(m.text)) return;
      seen = id;
      addItem({ role: "staff", text: str(m.text) });
    });
    if (seen > after) {
      save(KEY_SEEN, String(seen));
      ui.notice.textContent = "";
    }
  }

  // ---------------------------------------------------------------- clear

  /** 「清空」: forget the conversation and start over with a new sender id. */
  function clearConversation() {
    conversation = [];
    saveHistory();
    stopLive();
    save(KEY_SEEN, "0");
    save(KEY_SENDER, newSenderId());
    ui.notice.textContent = "";
    renderAll();
    if (busy) ui.messages.appendChild(el("div", "pa-typing", TEXT.typing));
    if (!busy) ui.input.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- start

  /** Build the widget once the body exists, restore conversation and open state. */
  function start() {
    const styled = linkStyles();
    ui = buildUi();
    ui.root.hidden = true; // shown once styled: no flash of unstyled buttons
    styled.then(() => {
      ui.root.hidden = false;
      scrollToBottom(); // a hidden list cannot scroll: the restored conversation opens at its newest message
    });
    renderAll();
    if (load(KEY_OPEN) === "1") {
      ui.panel.hidden = false;
      ui.root.classList.add("pa-is-open");
      ui.bubble.setAttribute("aria-expanded", "true");
      scrollToBottom();
    }
    if (load(KEY_LIVE) === "1") startLive(); // a handoff was open before the reload
  }

  /** Small page API, e.g. for example questions on the host page: PolicyAssistant.ask("…"). */
  window.PolicyAssistant = {
    open: () => ui && setOpen(true),
    close: () => ui && setOpen(false),
    ask: (text) => {
      const q = str(text).trim();
      if (!ui || !q || Array.from(q).length > MAX_CHARS) return;
      if (ui.panel.hidden) setOpen(true);
      ask(q, q);
    },
  };

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
})();
