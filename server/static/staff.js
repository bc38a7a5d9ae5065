/*
 * 坐席工作台 — the hotline staff console served at /staff.
 *
 * Login with a staff token (checked by GET /api/staff/whoami, kept in
 * sessionStorage), search clauses as you type (POST /api/search), read a
 * clause in its whole item (GET /api/clauses/{id}), copy a read-aloud answer.
 * The 「待人工处理」 queue and live conversations are handoff.js; it learns of
 * login and logout from the events `pa:staff-login` / `pa:staff-logout`, uses
 * this file's helpers through `window.PaStaff`, asks for a logout with
 * `pa:staff-unauthorized`, and receives clauses from 「插入回复」 as `pa:insert-clause`.
 *
 * Security: data from the server or the user only ever enters the page via
 * textContent / createTextNode on elements made with createElement.
 */
(function () {
  "use strict";

  const KEY_TOKEN = "pa-staff-token";
  const DEBOUNCE_MS = 200;
  const MIN_QUERY_CHARS = 2;
  const TOP_K = 10;
  const NOTE_KINDS = { wording: "文字差异", heading: "标题差异", scrape_only: "仅见于非正式文本", coverage: "收录范围" };
  const ASKED_SHOWN = 8; // questions a clause answers, listed under it (GET /api/clauses/{id} → asked)

  const state = {
    token: null,
    docs: new Map(), // doc_id → document from /api/documents
    searchSeq: 0, // request counters: a response is used only if it is still the newest
    contextSeq: 0,
    debounce: null,
    terms: [], // highlight terms of the query shown in the results
    selected: null, // clause_id open in the context panel
  };

  // ---------------------------------------------------------------- helpers

  /** document.getElementById shorthand. */
  function $(id) {
    return document.getElementById(id);
  }

  /** createElement with a class name and optional text (set via textContent). */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** A value as a string ('' for null, undefined and objects). */
  function str(v) {
    return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
  }

  /** A value as an array of non-empty strings. */
  function strList(v) {
    return Array.isArray(v) ? v.map(str).filter(Boolean) : [];
  }

  /** Number of characters (code points, so CJK extension chars count once). */
  function charCount(s) {
    return Array.from(s).length;
  }

  /** sessionStorage access that never throws. */
  const session = {
    get(key) {
      try {
        return window.sessionStorage.getItem(key);
      } catch (e) {
        return null;
      }
    },
    set(key, value) {
      try {
        window.sessionStorage.setItem(key, value);
      } catch (e) {
        /* token lasts for this page only */
      }
    },
    remove(key) {
      try {
        window.sessionStorage.removeItem(key);
      } catch (e) {
        /* nothing stored */
      }
    },
  };

  // ---------------------------------------------------------------- API

  /**
   * fetch from the gateway → {ok, status, data}, or {ok, status, blob} for a successful `blob: true` download;
   * status 0 means a network error. `body`: an object (sent as JSON), a Blob/File (raw bytes) or FormData
   * (multipart). `auth` adds the staff token as a Bearer header. Never throws.
   */
  async function api(path, { method = "GET", body, auth = false, token, blob = false } = {}) {
    const headers = { Accept: blob ? "*/*" : "application/json" };
    const bearer = token || state.token;
    if (auth && bearer) headers.Authorization = `Bearer ${bearer}`;
    try {
      const res = await fetch(path, { method, headers, body: encode(body, headers), cache: "no-store" });
      if (blob && res.ok) return { ok: true, status: res.status, blob: await res.blob() };
      const data = await res.json().catch(() => null);
      return { ok: res.ok, status: res.status, data };
    } catch (e) {
      return { ok: false, status: 0, data: null };
    }
  }

  /** A request body → what fetch sends, its Content-Type set in `headers` (FormData's is the browser's). */
  function encode(body, headers) {
    if (body === undefined || body instanceof FormData) return body;
    if (body instanceof Blob) {
      headers["Content-Type"] = "application/octet-stream";
      return body;
    }
    headers["Content-Type"] = "application/json";
    return JSON.stringify(body);
  }

  /** A failed response → a Chinese message for the status line. */
  function errorText(res) {
    const detail = res.data && typeof res.data.detail === "string" ? res.data.detail : "";
    if (res.status === 0) return "网络异常，请检查连接后重试。";
    if (res.status === 401) return "令牌无效";
    if (res.status === 403) return "此操作需要编辑权限（editor 角色）。";
    if (res.status === 429) return "请求太频繁了，请稍等片刻再试。";
    if (res.status === 413) return "内容过长，请精简后再试。";
    if (detail) return detail;
    if (res.status === 422) return "输入格式不正确，请修改后再试。";
    return `服务暂时不可用（${res.status}），请稍后再试。`;
  }

  // ---------------------------------------------------------------- login

  /** Show the login form (optionally with an error) and hide the console. */
  function showLogin(message) {
    document.dispatchEvent(new CustomEvent("pa:staff-logout"));
    $("app").hidden = true;
    $("logout").hidden = true;
    $("login-view").hidden = false;
    $("login-error").textContent = message || "";
    $("token").value = "";
    $("token").focus();
  }

  /** Check a token with /api/staff/whoami → null when valid, else the error message. */
  async function checkToken(token) {
    const res = await api("/api/staff/whoami", { auth: true, token });
    if (res.ok) return null;
    return res.status === 401 ? "令牌无效" : errorText(res);
  }

  /** Login form submit: verify the token, keep it in sessionStorage, open the console. */
  async function onLogin(event) {
    event.preventDefault();
    const token = $("token").value.trim();
    if (!token) {
      $("login-error").textContent = "请输入令牌";
      return;
    }
    $("login").disabled = true;
    $("login-error").textContent = "";
    const problem = await checkToken(token);
    $("login").disabled = false;
    if (problem) {
      $("login-error").textContent = problem;
      $("token").select();
      return;
    }
    state.token = token;
    session.set(KEY_TOKEN, token);
    showApp();
  }

  /** 退出: forget the token and clear everything on screen. */
  function logout(message) {
    state.token = null;
    session.remove(KEY_TOKEN);
    state.searchSeq++;
    state.contextSeq++;
    $("results").textContent = "";
    $("status").textContent = "";
    $("banner").hidden = true;
    $("q").value = "";
    resetContext();
    showLogin(message);
  }

  /** Show the console and start its data: documents, queue polling. */
  function showApp() {
    $("login-view").hidden = true;
    $("app").hidden = false;
    $("logout").hidden = false;
    $("login-error").textContent = "";
    loadDocuments();
    document.dispatchEvent(new CustomEvent("pa:staff-login"));
    $("q").focus();
  }

  // ---------------------------------------------------------------- filters

  /** GET /api/vocabulary → the 人群 select: 全部人群 first, then the vocabulary's groups. */
  async function fillGroups() {
    const select = $("group");
    select.textContent = "";
    select.appendChild(new Option("全部人群", ""));
    const res = await api("/api/vocabulary");
    if (!res.ok || !res.data || !Array.isArray(res.data.groups)) {
      setStatus(`人群列表加载失败：${errorText(res)}`, true);
      return;
    }
    res.data.groups.map(str).filter(Boolean).forEach((g) => select.appendChild(new Option(g, g)));
  }

  /** GET /api/documents → the 文件 select (全部文件 first) and the date lookup. */
  async function loadDocuments() {
    const res = await api("/api/documents");
    if (!res.ok || !Array.isArray(res.data)) {
      setStatus(`文件列表加载失败：${errorText(res)}`, true);
      return;
    }
    const select = $("doc");
    const chosen = select.value;
    select.textContent = "";
    select.appendChild(new Option("全部文件", ""));
    state.docs.clear();
    res.data.forEach((d) => {
      if (!d || !str(d.doc_id)) return;
      state.docs.set(d.doc_id, d);
      const status = str(d.status) && d.status !== "现行有效" ? `（${d.status}）` : "";
      const label = [str(d.doc_number), str(d.title) || d.doc_id, versionOf(d)].filter(Boolean).join(" ") + status;
      const option = new Option(label, d.doc_id);
      option.title = label;
      select.appendChild(option);
    });
    if (chosen && state.docs.has(chosen)) select.value = chosen;
    if ($("results").children.length) runSearch(); // re-render so document dates appear
  }

  /** "2022-04-20修订" for a law (its latest dated version event), '' otherwise. */
  function versionOf(d) {
    const dates = (d && d.dates) || {};
    const events = ["修订", "修正", "公布", "发布", "通过"].filter((k) => str(dates[k]));
    if (!events.length || d.layout === "notice") return "";
    const latest = events.reduce((a, b) => (dates[b] > dates[a] ? b : a));
    return `${dates[latest]}${latest}`;
  }

  /** "（文号）" when the document has one. */
  function numberLabel(docNumber) {
    return docNumber ? `（${docNumber}）` : "";
  }

  /** A document's dates object, from /api/documents or a clause response. */
  function datesOf(docId, fallback) {
    const doc = state.docs.get(docId);
    const dates = (doc && doc.dates) || fallback;
    return dates && typeof dates === "object" ? dates : {};
  }

  /** "成文日期：2017-04-13" (or 印发 / 发布), '' when unknown. */
  function docDateLabel(docId, fallback) {
    const dates = datesOf(docId, fallback);
    for (const kind of ["成文", "印发", "发布", "修订", "修正", "公布", "通过"]) {
      if (str(dates[kind])) return `${kind}日期：${dates[kind]}`;
    }
    return "";
  }

  /** The year the document came out: 发布 / 印发 / 成文 date, else the 〔year〕 in its number. */
  function docYear(docId, fallback) {
    const dates = datesOf(docId, fallback);
    for (const kind of ["发布", "印发", "成文", "公布", "修订", "修正", "通过"]) {
      const m = /^(\d{4})/.exec(str(dates[kind]));
      if (m) return m[1];
    }
    const doc = state.docs.get(docId);
    const m = /[〔[(（](\d{4})[〕\])）]/.exec(str(doc && doc.doc_number));
    return m ? m[1] : "";
  }

  // ---------------------------------------------------------------- highlighting

  /**
   * The query → the terms to highlight: each maximal run of CJK/letters/digits, plus every
   * 2-character substring (bigram) of a run longer than 2 where both characters are CJK
   * (there is no tokenizer in the browser). Single characters are kept only if nothing
   * longer exists, otherwise they would light up half the text.
   */
  function queryTerms(query) {
    const runs = str(query).match(/[\p{Script=Han}\p{L}\p{N}]+/gu) || [];
    const han = /^\p{Script=Han}$/u;
    const terms = new Set();
    runs.forEach((run) => {
      terms.add(run);
      const chars = Array.from(run);
      if (chars.length <= 2) return;
      for (let i = 0; i + 1 < chars.length; i++) {
        if (han.test(chars[i]) && han.test(chars[i + 1])) terms.add(chars[i] + chars[i + 1]);
      }
    });
    const all = Array.from(terms);
    const long = all.filter((t) => charCount(t) >= 2);
    return long.length ? long : all;
  }

  /** Text → a fragment of text nodes and <mark> nodes for every occurrence of the terms. */
  function highlight(text, terms) {
    const frag = document.createDocumentFragment();
    text = str(text);
    if (!text) return frag;
    const lower = text.toLowerCase();
    const hay = lower.length === text.length ? lower : text; // keep indices aligned
    const mask = new Uint8Array(text.length);
    terms.forEach((term) => {
      const t = hay === lower ? term.toLowerCase() : term;
      if (!t) return;
      for (let i = hay.indexOf(t); i !== -1; i = hay.indexOf(t, i + 1)) mask.fill(1, i, i + t.length);
    });
    let start = 0;
    while (start < text.length) {
      const marked = mask[start];
      let end = start + 1;
      while (end < text.length && mask[end] === marked) end++;
      const piece = text.slice(start, end);
      frag.appendChild(marked ? el("mark", null, piece) : document.createTextNode(piece));
      start = end;
    }
    return frag;
  }

  // ---------------------------------------------------------------- search

  /** Status line under the search bar. */
  function setStatus(text, isError) {
    const status = $("status");
    status.textContent = text || "";
    status.classList.toggle("error", Boolean(isError));
  }

  /** Typing in #q: search after DEBOUNCE_MS of quiet. */
  function onQueryInput() {
    clearTimeout(state.debounce);
    state.debounce = setTimeout(runSearch, DEBOUNCE_MS);
  }

  /** POST /api/search with the query and filters; stale responses are dropped. */
  async function runSearch() {
    clearTimeout(state.debounce);
    const query = $("q").value.trim();
    const seq = ++state.searchSeq;
    if (charCount(query) < MIN_QUERY_CHARS) {
      $("results").textContent = "";
      $("banner").hidden = true;
      setStatus(query ? `请至少输入 ${MIN_QUERY_CHARS} 个字。` : "");
      return;
    }
    const body = { query, top_k: TOP_K };
    if ($("doc").value) body.doc_id = $("doc").value;
    if ($("old").checked) body.include_superseded = true;
    if ($("group").value) body.group = $("group").value;
    setStatus("检索中…");
    const res = await api("/api/search", { method: "POST", body });
    if (seq !== state.searchSeq) return; // a newer search has started
    if (!res.ok || !res.data || typeof res.data !== "object") {
      $("results").textContent = "";
      $("banner").hidden = true;
      setStatus(`检索失败：${errorText(res)}`, true);
      return;
    }
    renderResults(res.data, query);
  }

  /** The search response → banner, status line and the .result list. */
  function renderResults(data, query) {
    const results = Array.isArray(data.results) ? data.results.filter((r) => r && typeof r === "object") : [];
    state.terms = queryTerms(query);
    $("banner").hidden = data.answerable !== false;
    let status = results.length ? `共 ${results.length} 条相关条款` : "没有检索到条款";
    if (typeof data.confidence === "number") status += `（置信度 ${data.confidence.toFixed(2)}）`;
    setStatus(status);
    const list = $("results");
    list.textContent = "";
    results.forEach((r) => list.appendChild(renderResult(r)));
    list.scrollTop = 0;
  }

  /** One search hit → <li class="result">. */
  function renderResult(r) {
    const li = el("li", "result");
    const clauseId = str(r.clause_id);
    li.dataset.clauseId = clauseId;
    if (clauseId && clauseId === state.selected) li.classList.add("selected");

    const head = el("div", "result-head");
    const title = el("button", "link result-title", `${str(r.doc_title) || "（未知文件）"}${numberLabel(str(r.doc_number))}`);
    title.type = "button";
    title.title = "查看该条款的完整条目";
    title.addEventListener("click", () => openContext(clauseId));
    head.appendChild(title);
    if (r.official === false) head.appendChild(el("span", "badge", "非正式文本"));
    if (str(r.doc_status) && r.doc_status !== "现行有效") head.appendChild(el("span", "badge", str(r.doc_status)));
    if (typeof r.score === "number") head.appendChild(el("span", "score", `相关度 ${r.score.toFixed(3)}`));
    li.appendChild(head);

    const meta = el("div", "meta");
    const path = strList(r.path).join(" / ");
    const date = docDateLabel(str(r.doc_id));
    [path, date].filter(Boolean).forEach((part, i) => {
      if (i) meta.appendChild(el("span", "sep", "|"));
      meta.appendChild(el("span", null, part));
    });
    li.appendChild(meta);

    const text = el("p", "clause-text");
    text.appendChild(highlight(r.text, state.terms));
    li.appendChild(text);

    const depts = strList(r.departments);
    if (depts.length) li.appendChild(el("div", "depts", `责任单位：${depts.join("、")}`));

    const notes = renderNotes(r.notes);
    if (notes) li.append(el("div", "notes-label", "版本说明："), notes);

    const actions = el("div", "actions");
    actions.append(copyButton(r), insertButton(r));
    li.appendChild(actions);
    return li;
  }

  /** Version notes → <ul class="notes">, or null when there are none. */
  function renderNotes(notes) {
    if (!Array.isArray(notes) || !notes.length) return null;
    const ul = el("ul", "notes");
    notes.forEach((n) => {
      if (!n || typeof n !== "object") return;
      const text = str(n.text) || str(n.detail);
      if (!text) return;
      const kind = NOTE_KINDS[str(n.kind)];
      ul.appendChild(el("li", null, kind ? `【${kind}】${text}` : text));
    });
    return ul.children.length ? ul : null;
  }

  // ---------------------------------------------------------------- copy answer

  /** A clause → the sentence a staff member reads to the caller. */
  function answerText(c, fallbackDates) {
    const docNumber = str(c.doc_number);
    const year = docYear(str(c.doc_id), fallbackDates);
    const when = year ? `该文件为${year}年发布，` : "";
    const text = str(c.text).trim();
    const stop = /[。！？!?]$/.test(text) ? "" : "。"; // the quote already ends the sentence
    return `根据《${str(c.doc_title)}》${numberLabel(docNumber)}${strList(c.path).join("")}：“${text}”${stop}` +
      `${when}具体执行标准请以当地人社部门或12333的最新口径为准。`;
  }

  /** Put text on the clipboard (Clipboard API, or a hidden textarea on plain http) → success. */
  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (e) {
        /* fall back below */
      }
    }
    const area = el("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    area.remove();
    return ok;
  }

  /** 「复制答复」 button for a clause; shows 「已复制」 for two seconds. */
  function copyButton(clause, fallbackDates) {
    const button = el("button", "btn-secondary copy", "复制答复");
    button.type = "button";
    let timer = null;
    button.addEventListener("click", async () => {
      const ok = await copyText(answerText(clause, fallbackDates));
      button.textContent = ok ? "已复制" : "复制失败";
      button.classList.toggle("done", ok);
      clearTimeout(timer);
      timer = setTimeout(() => {
        button.textContent = "复制答复";
        button.classList.remove("done");
      }, 2000);
    });
    return button;
  }

  /** 「插入回复」: the clause's cited answer into the open live conversation's reply box (shown only while replying). */
  function insertButton(clause, fallbackDates) {
    const button = el("button", "btn-secondary insert-reply", "插入回复");
    button.type = "button";
    button.title = "把该条款的引用答复插入正在进行的人工会话回复框";
    button.addEventListener("click", () => {
      document.dispatchEvent(new CustomEvent("pa:insert-clause", { detail: { text: answerText(clause, fallbackDates) } }));
    });
    return button;
  }

  // ---------------------------------------------------------------- context panel

  /** Empty the context panel back to its hint. */
  function resetContext() {
    state.selected = null;
    const box = $("context");
    box.textContent = "";
    box.appendChild(el("p", "placeholder", "点击左侧结果的文件标题，在此查看该条款所在的完整条目。"));
  }

  /** GET /api/clauses/{id} → the whole item in #context with the clause emphasised. */
  async function openContext(clauseId) {
    if (!clauseId) return;
    const seq = ++state.contextSeq;
    state.selected = clauseId;
    document.querySelectorAll("#results .result").forEach((li) => {
      li.classList.toggle("selected", li.dataset.clauseId === clauseId);
    });
    const box = $("context");
    box.textContent = "";
    box.appendChild(el("p", "placeholder", "加载中…"));
    const res = await api(`/api/clauses/${encodeURIComponent(clauseId)}`);
    if (seq !== state.contextSeq) return;
    box.textContent = "";
    if (!res.ok || !res.data || typeof res.data !== "object") {
      box.appendChild(el("p", "error", res.status === 404 ? "未找到该条款。" : `加载失败：${errorText(res)}`));
      return;
    }
    renderContext(res.data, clauseId);
  }

  /** A clause response → heading, dates, path, the item's clauses (current one marked), notes, copy. */
  function renderContext(c, clauseId) {
    const box = $("context");
    const docNumber = str(c.doc_number);
    box.appendChild(el("h2", null, `${str(c.doc_title) || "（未知文件）"}${numberLabel(docNumber)}`));
    if (str(c.doc_status) && c.doc_status !== "现行有效") {
      const newer = state.docs.get(str(c.superseded_by));
      box.appendChild(el("div", "meta", `${c.doc_status}${newer ? `，现行版本：${str(newer.title)} ${versionOf(newer)}` : ""}`));
    }

    const dates = datesOf(str(c.doc_id), c.doc_dates);
    const dateText = ["通过", "修订", "修正", "公布", "施行", "成文", "印发", "发布"].filter((k) => str(dates[k])).map((k) => `${k}日期：${dates[k]}`).join("　");
    if (dateText) box.appendChild(el("div", "meta", dateText));

    const path = strList(c.path).join(" / ");
    if (path) box.appendChild(el("div", "path", path));
    const depts = strList(c.departments);
    if (depts.length) box.appendChild(el("div", "depts", `责任单位：${depts.join("、")}`));

    let items = Array.isArray(c.context) ? c.context.filter((x) => x && typeof x === "object") : [];
    if (!items.length) items = [c];
    const list = el("ol");
    let current = null;
    items.forEach((x) => {
      const li = el("li", "clause");
      li.appendChild(highlight(x.text, state.terms));
      if (str(x.clause_id) === clauseId) {
        li.classList.add("current");
        li.setAttribute("aria-current", "true");
        current = li;
      }
      list.appendChild(li);
    });
    box.appendChild(list);

    const notes = renderNotes(c.notes);
    if (notes) box.append(el("div", "notes-label", "版本说明："), notes);
    if (c.official === false) box.appendChild(el("p", "badge", "该条款仅见于非正式文本，请谨慎引用。"));
    const asked = strList(c.asked);
    if (asked.length) {
      const ul = el("ul", "asked");
      asked.slice(0, ASKED_SHOWN).forEach((q) => ul.appendChild(el("li", null, q)));
      box.append(el("div", "notes-label", `本条款回答的常见问法（${asked.length}）：`), ul);
    }

    const actions = el("div", "actions");
    actions.append(copyButton(c, c.doc_dates), insertButton(c, c.doc_dates));
    box.appendChild(actions);
    box.scrollTop = 0;
    if (current) current.scrollIntoView({ block: "nearest" });
  }

  // ---------------------------------------------------------------- start

  /** Wire events, fill filters, resume a session token if one is stored. */
  async function start() {
    fillGroups();
    $("login-form").addEventListener("submit", onLogin);
    $("logout").addEventListener("click", () => logout(""));
    $("q").addEventListener("input", onQueryInput);
    $("q").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        runSearch();
      }
    });
    $("doc").addEventListener("change", runSearch);
    $("group").addEventListener("change", runSearch);
    $("old").addEventListener("change", runSearch);
    document.addEventListener("pa:staff-unauthorized", () => logout("令牌无效"));

    const saved = session.get(KEY_TOKEN);
    if (!saved) {
      showLogin("");
      return;
    }
    const problem = await checkToken(saved);
    if (problem) {
      session.remove(KEY_TOKEN);
      showLogin(problem);
      return;
    }
    state.token = saved;
    showApp();
  }

  /** What the other console views (handoff.js, insights.js, gaps.js, library.js) share: the request helper, DOM and text
   * helpers, and searching a question. */
  window.PaStaff = Object.freeze({
    api,
    el,
    str,
    errorText,
    search(text) {
      $("q").value = str(text).slice(0, 500);
      runSearch();
      $("q").focus();
    },
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
