/*
 * 会话记录 and 数据看板 — the staff console's insights views (served at /staff beside staff.js).
 *
 * views.js's tab bar shows these two panels (events "staff:view" / "staff:signout"). They use the
 * token staff.js keeps in sessionStorage. APIs: GET /api/staff/insights/{meta,conversations,conversations/{id},conversations.csv,
 * dashboard}; the clause behind a citation from GET /api/clauses/{id}. Charts: Chart.js (vendored).
 *
 * Security: data from the server only ever enters the page via textContent on elements made with
 * createElement; no inline script or style (the page's CSP forbids both).
 */
(function () {
  "use strict";

  const API = "/api/staff/insights";
  const PAGE_SIZE = 20;
  const COLORS = { web: "#c8161d", wechat: "#1b9e4b", wecom: "#0b6bcb", all: "#52606d" };
  const ROLE_NAMES = { citizen: "市民", bot: "助手", staff: "坐席" };

  const state = { meta: null, offset: 0, total: 0, selected: null, seq: { review: 0, transcript: 0, board: 0 }, charts: {} };

  // ---------------------------------------------------------------- helpers

  function $(id) {
    return document.getElementById(id);
  }

  const { el, str } = window.PaStaff; // staff.js's DOM and text helpers (loaded first)

  function num(v) {
    return typeof v === "number" && isFinite(v) ? v : 0;
  }

  /** GET path with the staff token (staff.js's request helper) → {ok, status, data} or, asBlob, {ok, status, blob};
   * a 401 signs the console out. Never throws. */
  async function get(path, { asBlob = false } = {}) {
    const res = await window.PaStaff.api(path, { auth: true, blob: asBlob });
    if (res.status === 401) $("logout").click(); // staff.js clears the token and shows the login form
    return res;
  }

  /** A failed response → a Chinese message. */
  function problem(res) {
    const detail = res.data && typeof res.data.detail === "string" ? res.data.detail : "";
    if (res.status === 0) return "网络异常，请检查连接后重试。";
    if (res.status === 429) return "请求太频繁了，请稍等片刻再试。";
    if (detail) return detail;
    if (res.status === 422) return "查询条件不正确，请检查日期后重试。";
    return `服务暂时不可用（${res.status}），请稍后再试。`;
  }

  function setStatus(id, text, isError) {
    const node = $(id);
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  }

  /** Epoch seconds → local "YYYY/M/D HH:MM:SS". */
  function when(seconds) {
    const date = new Date(num(seconds) * 1000);
    return isNaN(date.getTime()) ? "" : date.toLocaleString("zh-CN", { hour12: false, timeZone: zone() });
  }

  function percent(share) {
    return typeof share === "number" ? `${(share * 100).toFixed(1)}%` : "—";
  }

  function seconds(ms) {
    return typeof ms === "number" ? `${(ms / 1000).toFixed(1)} 秒` : "—";
  }

  function label(list, value) {
    const found = (list || []).find((o) => o && o.value === value);
    return found ? str(found.label) : str(value);
  }

  function rating(value) {
    return label(state.meta && state.meta.ratings, value);
  }

  function channelName(value) {
    return value === "all" ? "全部渠道" : label(state.meta && state.meta.channels, value);
  }

  /** The zone the server counts days in (Beijing), so a day here is the day of the figures. */
  function zone() {
    return (state.meta && str(state.meta.time_zone)) || "Asia/Shanghai";
  }

  /** "YYYY-MM-DD" of a Date in the service's zone. */
  function isoDay(date) {
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone(), year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
  }

  /** A form's filters → URLSearchParams (empty values left out). */
  function params(fields) {
    const query = new URLSearchParams();
    Object.entries(fields).forEach(([key, value]) => {
      if (value) query.set(key, value);
    });
    return query;
  }

  // ---------------------------------------------------------------- views

  /** views.js showed a panel → load review or dashboard on its first show. */
  function shown(view) {
    if (view === "review-view" && !state.reviewLoaded) {
      state.reviewLoaded = true;
      search(0);
    }
    if (view === "dashboard-view" && !state.boardLoaded) {
      state.boardLoaded = true;
      loadBoard();
    }
  }

  /** Forget everything shown (sign-out). */
  function reset() {
    state.reviewLoaded = state.boardLoaded = false;
    state.selected = null;
    Object.keys(state.seq).forEach((k) => state.seq[k]++);
    document.querySelector("#review-table tbody").textContent = "";
    document.querySelector("#board-table tbody").textContent = "";
    ["board-cards", "board-topics", "board-documents", "review-page"].forEach((id) => ($(id).textContent = ""));
    resetTranscript();
    Object.values(state.charts).forEach((chart) => chart.destroy());
    state.charts = {};
  }

  /** GET meta → the channel and outcome selects (their Chinese names come from the server). */
  async function loadMeta() {
    if (state.meta) return true;
    const res = await get(`${API}/meta`);
    if (!res.ok || !res.data) return false;
    state.meta = res.data;
    fillSelect($("review-channel"), "全部渠道", state.meta.channels);
    fillSelect($("board-channel"), "全部渠道", state.meta.channels);
    fillSelect($("review-outcome"), "全部结果", state.meta.outcomes);
    defaultDates(num(state.meta.default_days) || 7);
    return true;
  }

  function fillSelect(select, all, options) {
    const chosen = select.value;
    select.textContent = "";
    select.appendChild(new Option(all, ""));
    (options || []).forEach((o) => select.appendChild(new Option(str(o.label), str(o.value))));
    select.value = chosen;
  }

  /** Both forms start on the last `days` days. */
  function defaultDates(days) {
    const end = new Date();
    const start = new Date(end.getTime() - (days - 1) * 86400000);
    ["review", "board"].forEach((prefix) => {
      if (!$(`${prefix}-start`).value) $(`${prefix}-start`).value = isoDay(start);
      if (!$(`${prefix}-end`).value) $(`${prefix}-end`).value = isoDay(end);
    });
  }

  // ---------------------------------------------------------------- 会话记录

  function reviewFilters() {
    return {
      start: $("review-start").value, end: $("review-end").value, channel: $("review-channel").value,
      outcome: $("review-outcome").value, q: $("review-q").value.trim(),
    };
  }

  /** GET conversations for the form's filters at `offset` → the table and the pager. */
  async function search(offset) {
    if (!(await loadMeta())) return setStatus("review-status", "加载筛选项失败，请刷新页面重试。", true);
    const seq = ++state.seq.review;
    setStatus("review-status", "查询中…");
    const query = params({ ...reviewFilters(), limit: String(PAGE_SIZE), offset: String(offset) });
    const res = await get(`${API}/conversations?${query}`);
    if (seq !== state.seq.review) return;
    if (!res.ok || !res.data || !Array.isArray(res.data.conversations)) {
      return setStatus("review-status", `查询失败：${problem(res)}`, true);
    }
    state.offset = offset;
    state.total = num(res.data.total);
    setStatus("review-status", state.total ? `共 ${state.total} 个会话` : "没有符合条件的会话。");
    renderConversations(res.data.conversations);
    const pages = Math.max(1, Math.ceil(state.total / PAGE_SIZE));
    $("review-page").textContent = `第 ${Math.floor(offset / PAGE_SIZE) + 1} / ${pages} 页`;
    $("review-prev").disabled = offset === 0;
    $("review-next").disabled = offset + PAGE_SIZE >= state.total;
  }

  function renderConversations(rows) {
    const body = document.querySelector("#review-table tbody");
    body.textContent = "";
    rows.forEach((row) => {
      const tr = el("tr", "conversation");
      tr.dataset.senderId = str(row.sender_id);
      tr.tabIndex = 0;
      tr.appendChild(el("td", "num", when(row.last_at)));
      tr.appendChild(el("td", null, channelName(str(row.channel))));
      const question = el("td", "question", str(row.first_question) || "（无提问）");
      question.title = str(row.first_question);
      tr.appendChild(question);
      tr.appendChild(el("td", "num", num(row.questions)));
      tr.appendChild(outcomeTags(row));
      const open = () => openTranscript(str(row.sender_id));
      tr.addEventListener("click", open);
      tr.addEventListener("keydown", (e) => {
        if (e.key === "Enter") open();
      });
      tr.classList.toggle("selected", tr.dataset.senderId === state.selected);
      body.appendChild(tr);
    });
  }

  /** A conversation's counts → tags such as 「已解答 2」「转人工 1」「差评（没帮助） 1」. */
  function outcomeTags(row) {
    const td = el("td");
    const outcomes = state.meta ? state.meta.outcomes : [];
    [["answered", row.answered], ["refused", row.refused], ["handoff", row.handoffs], ["disliked", row.disliked]].forEach(
      ([key, count]) => {
        if (num(count) > 0) td.appendChild(el("span", `tag tag-${key}`, `${label(outcomes, key)} ${num(count)}`));
      });
    if (num(row.liked) > 0) td.appendChild(el("span", "tag", `${rating("good")} ${num(row.liked)}`));
    if (num(row.staff_messages) > 0) td.appendChild(el("span", "tag", `坐席回复 ${num(row.staff_messages)}`));
    return td;
  }

  function resetTranscript() {
    const box = $("review-transcript");
    box.textContent = "";
    box.appendChild(el("p", "placeholder", "点击左侧会话，在此查看完整对话和引用的条款。"));
  }

  /** GET conversations/{id} → the transcript panel: every message, its outcome, reply time and cited clauses. */
  async function openTranscript(senderId) {
    const seq = ++state.seq.transcript;
    state.selected = senderId;
    document.querySelectorAll("#review-table tr.conversation").forEach((tr) => {
      tr.classList.toggle("selected", tr.dataset.senderId === senderId);
    });
    const box = $("review-transcript");
    box.textContent = "";
    box.appendChild(el("p", "placeholder", "加载中…"));
    const res = await get(`${API}/conversations/${encodeURIComponent(senderId)}`);
    if (seq !== state.seq.transcript) return;
    box.textContent = "";
    if (!res.ok || !res.data || !Array.isArray(res.data.messages)) {
      box.appendChild(el("p", "error", `加载失败：${problem(res)}`));
      return;
    }
    box.appendChild(el("h2", null, `${channelName(str(res.data.channel))} · ${senderId}`));
    const entries = res.data.messages.map((m) => ({ at: num(m.at), node: () => renderTurn(m) }))
      .concat((res.data.ratings || []).map((r) => ({ at: num(r.at), node: () => renderRating(r) })));
    entries.sort((a, b) => a.at - b.at); // a rating where it was given (stable: messages keep their order)
    entries.forEach((entry) => box.appendChild(entry.node()));
  }

  function renderTurn(m) {
    const div = el("div", `turn role-${str(m.role)}`);
    const head = el("div", "turn-head");
    head.appendChild(el("strong", null, ROLE_NAMES[m.role] || str(m.role)));
    if (m.staff) head.appendChild(el("span", null, str(m.staff)));
    head.appendChild(el("span", null, when(m.at)));
    if (m.outcome) head.appendChild(el("span", `tag tag-${str(m.outcome)}`, label(state.meta && state.meta.outcomes, m.outcome)));
    if (typeof m.latency_ms === "number") head.appendChild(el("span", null, `用时 ${seconds(m.latency_ms)}`));
    div.appendChild(head);
    div.appendChild(el("p", "turn-text", str(m.text)));
    (Array.isArray(m.cited) ? m.cited : []).forEach((c) => div.appendChild(citation(c)));
    return div;
  }

  function renderRating(r) {
    const div = el("div", "turn role-citizen");
    const head = el("div", "turn-head");
    head.appendChild(el("strong", null, "市民评价"));
    head.appendChild(el("span", null, when(r.at)));
    div.appendChild(head);
    const verdict = rating(r.rating);
    div.appendChild(el("p", "turn-text", r.question ? `${verdict}（${str(r.question)}）` : verdict));
    return div;
  }

  /** A cited clause → <details> with its label; opening it fetches the clause's text once. */
  function citation(c) {
    const details = el("details", "cited");
    details.appendChild(el("summary", null, `依据：${str(c.label) || str(c.clause_id)}`));
    if (!c.clause_id) return details;
    let loaded = false;
    details.addEventListener("toggle", async () => {
      if (!details.open || loaded) return;
      loaded = true;
      const res = await get(`/api/clauses/${encodeURIComponent(str(c.clause_id))}`);
      const text = res.ok && res.data ? str(res.data.text) : res.status === 404 ? "该条款已不在当前文件库中。" : problem(res);
      details.appendChild(el("p", "clause-text", text));
    });
    return details;
  }

  /** 导出 CSV: GET conversations.csv for the form's filters → a file download. */
  async function exportCsv() {
    const button = $("review-export");
    button.disabled = true;
    setStatus("review-status", "正在导出…");
    const { start, end, channel, outcome, q } = reviewFilters();
    const res = await get(`${API}/conversations.csv?${params({ start, end, channel, outcome, q })}`, { asBlob: true });
    button.disabled = false;
    if (!res.ok) return setStatus("review-status", `导出失败：${problem(res)}`, true);
    const link = el("a");
    link.href = URL.createObjectURL(res.blob);
    link.download = `会话记录-${start}-${end}.csv`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    setStatus("review-status", "已导出。");
  }

  // ---------------------------------------------------------------- 数据看板

  /** GET dashboard for the form → cards, charts, topics and the table. */
  async function loadBoard() {
    if (!(await loadMeta())) return setStatus("board-status", "加载筛选项失败，请刷新页面重试。", true);
    const seq = ++state.seq.board;
    setStatus("board-status", "加载中…");
    const query = params({ start: $("board-start").value, end: $("board-end").value, channel: $("board-channel").value });
    const res = await get(`${API}/dashboard?${query}`);
    if (seq !== state.seq.board) return;
    if (!res.ok || !res.data || !Array.isArray(res.data.days)) return setStatus("board-status", `加载失败：${problem(res)}`, true);
    const board = res.data;
    setStatus("board-status", `${str(board.start)} 至 ${str(board.end)}（北京时间），${channelName(board.channel || "all")}`);
    renderCards(board.totals.find((t) => t.channel === "all") || {});
    renderCharts(board);
    renderTopics($("board-topics"), board.topics);
    renderTopics($("board-documents"), board.documents);
    renderTable(board.days);
  }

  function renderCards(total) {
    const cards = $("board-cards");
    cards.textContent = "";
    [["提问", num(total.questions)], ["解答率", percent(total.answered_share)], ["未能解答", num(total.refused)],
      ["转人工", num(total.handoffs)], [`${rating("good")} / ${rating("bad")}`, `${num(total.liked)} / ${num(total.disliked)}`],
      ["回复时间中位数", seconds(total.median_reply_ms)]].forEach(([name, value]) => {
      const card = el("div", "card");
      card.appendChild(el("div", "card-label", name));
      card.appendChild(el("div", "card-value", value));
      cards.appendChild(card);
    });
  }

  /** Draw (or redraw) one chart on a canvas. */
  function chart(id, config) {
    if (state.charts[id]) state.charts[id].destroy();
    if (typeof window.Chart !== "function") return;
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options);
    state.charts[id] = new window.Chart($(id), config);
  }

  function renderCharts(board) {
    const days = board.daily.map((d) => str(d.day).slice(5));
    const perChannel = (channel, key) => board.days.filter((d) => d.channel === channel).map((d) => d[key]);
    chart("chart-volume", {
      type: "bar",
      data: {
        labels: days,
        datasets: board.channels.map((ch) => ({ label: channelName(ch), data: perChannel(ch, "questions"), backgroundColor: COLORS[ch],
          stack: "questions", yAxisID: "y" })).concat([{ type: "line", label: "解答率", data: board.daily.map((d) =>
          (typeof d.answered_share === "number" ? d.answered_share * 100 : null)), borderColor: "#f5a623", backgroundColor: "#f5a623",
        yAxisID: "share", spanGaps: true }]),
      },
      options: { scales: { y: { stacked: true, beginAtZero: true, title: { display: true, text: "提问数" }, ticks: { precision: 0 } },
        x: { stacked: true }, share: { position: "right", min: 0, max: 100, title: { display: true, text: "解答率 %" },
          grid: { drawOnChartArea: false } } } },
    });
    const total = (key) => board.daily.map((d) => num(d[key]));
    chart("chart-outcomes", {
      type: "bar",
      data: {
        labels: days,
        datasets: [["refused", "未能解答", "#b42318"], ["handoffs", "转人工", "#e08a00"], ["liked", rating("good"), "#1b9e4b"],
          ["disliked", rating("bad"), "#6b2fa0"]].map(([key, name, color]) => ({ label: name, data: total(key), backgroundColor: color })),
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
    chart("chart-latency", {
      type: "line",
      data: {
        labels: days,
        datasets: board.channels.concat(board.channels.length > 1 ? ["all"] : []).map((ch) => ({
          label: channelName(ch), borderColor: COLORS[ch], backgroundColor: COLORS[ch], spanGaps: true,
          data: (ch === "all" ? board.daily.map((d) => d.median_reply_ms) : perChannel(ch, "median_reply_ms"))
            .map((ms) => (typeof ms === "number" ? ms / 1000 : null)),
        })),
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: "秒" } } } },
    });
  }

  function renderTopics(list, items) {
    list.textContent = "";
    if (!Array.isArray(items) || !items.length) {
      list.appendChild(el("li", "placeholder", "这段时间没有引用条款的答复。"));
      return;
    }
    items.forEach((t) => {
      const li = el("li", null, str(t.label));
      li.appendChild(el("span", "topic-count", `${num(t.count)} 次`));
      list.appendChild(li);
    });
  }

  function renderTable(rows) {
    const body = document.querySelector("#board-table tbody");
    body.textContent = "";
    rows.filter((r) => num(r.questions) > 0 || num(r.liked) + num(r.disliked) > 0).forEach((r) => {
      const tr = el("tr");
      [str(r.day), channelName(str(r.channel))].forEach((v) => tr.appendChild(el("td", null, v)));
      [num(r.questions), num(r.answered), percent(r.answered_share), num(r.refused), num(r.handoffs), num(r.liked), num(r.disliked),
        seconds(r.median_reply_ms)].forEach((v) => tr.appendChild(el("td", "num", v)));
      body.appendChild(tr);
    });
    if (!body.children.length) {
      const tr = el("tr");
      const td = el("td", "placeholder", "这段时间没有会话。");
      td.colSpan = 10;
      tr.appendChild(td);
      body.appendChild(tr);
    }
  }

  // ---------------------------------------------------------------- start

  function start() {
    document.addEventListener("staff:view", (e) => shown(e.detail));
    document.addEventListener("staff:signout", reset);
    $("review-form").addEventListener("submit", (e) => {
      e.preventDefault();
      search(0);
    });
    $("review-prev").addEventListener("click", () => search(Math.max(0, state.offset - PAGE_SIZE)));
    $("review-next").addEventListener("click", () => search(state.offset + PAGE_SIZE));
    $("review-export").addEventListener("click", exportCsv);
    $("board-form").addEventListener("submit", (e) => {
      e.preventDefault();
      loadBoard();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
