/*
 * 知识缺口 — the staff console's knowledge-gap view (/staff, tab 「知识缺口」).
 *
 * Questions the assistant refused, rated 👎 or handed to a person, grouped by meaning
 * (GET /api/staff/gaps): counts, a 14-day trend, the clauses retrieval found. Editors link a
 * group to the clause that answers it or mark it "not covered" with a pointer
 * (POST/PATCH/DELETE /api/staff/curations); every link and mark is listed with who changed it
 * and when, and flagged when its clause changed.
 *
 * Calls the API through staff.js's signed-in fetch (window.PaStaff). Security: server data enters the page via
 * textContent only; element sizes via the CSSOM (the page's CSP forbids style attributes).
 */
(function () {
  "use strict";

  const DEFAULT_POINTER = "请咨询当地相关部门，或拨打 12345 政务服务热线。";
  const KINDS = { refused: "未能回答", feedback: "差评", handoff: "转人工" };
  const CHANNELS = { web: "网页", wechat: "公众号", wecom: "企业微信" };

  const state = { groups: [], curations: [], selected: null, editor: false, seq: 0 };

  // ---------------------------------------------------------------- helpers

  function $(id) {
    return document.getElementById(id);
  }

  const { el, str } = window.PaStaff; // staff.js's DOM and text helpers (loaded first)

  function list(v) {
    return Array.isArray(v) ? v : [];
  }

  /** Epoch seconds → 「11-25 14:03」. */
  function when(seconds) {
    const d = new Date(Number(seconds) * 1000);
    if (Number.isNaN(d.getTime())) return "";
    const two = (n) => String(n).padStart(2, "0");
    return `${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
  }

  /** fetch JSON with the staff token → {ok, status, data}; never throws (staff.js's fetch). */
  function api(path, options = {}) {
    return window.PaStaff.api(path, { ...options, auth: true });
  }

  const problem = window.PaStaff.errorText; // a failed response → a Chinese sentence

  function say(text, isError) {
    const status = $("gaps-status");
    status.textContent = text || "";
    status.classList.toggle("error", Boolean(isError));
  }

  // ---------------------------------------------------------------- view switching

  /** Signed out → forget what was shown. */
  function forget() {
    state.groups = [];
    state.curations = [];
  }

  // ---------------------------------------------------------------- data

  async function load() {
    const seq = ++state.seq;
    say("正在汇总…");
    const [who, res] = await Promise.all([api("/api/staff/whoami"), api(`/api/staff/gaps?days=${$("gaps-days").value}`)]);
    if (seq !== state.seq) return;
    if (!res.ok) {
      say(problem(res), true);
      return;
    }
    state.editor = Boolean(who.ok && who.data && who.data.role === "editor");
    state.groups = list(res.data && res.data.groups);
    state.curations = list(res.data && res.data.curations);
    if (!state.groups.some((g) => g.key === state.selected)) state.selected = state.groups.length ? state.groups[0].key : null;
    const total = state.groups.reduce((n, g) => n + (Number(g.size) || 0), 0);
    say(state.groups.length ? `共 ${total} 条记录，归为 ${state.groups.length} 组（最新的在前）。` : "这段时间没有未能回答的问题。");
    renderGroups();
    renderDetail();
    renderCurations();
  }

  // ---------------------------------------------------------------- groups

  function curationOf(group) {
    return state.curations.find((c) => c.id === group.curation_id) || null;
  }

  function renderGroups() {
    const box = $("gaps-groups");
    box.textContent = "";
    for (const group of state.groups) {
      const item = el("li", "gap-group");
      const button = el("button", "gap-card");
      button.type = "button";
      button.setAttribute("aria-pressed", String(group.key === state.selected));
      const head = el("div", "gap-head");
      head.append(el("span", "gap-label", str(group.label)), el("span", "gap-count", `${Number(group.size) || 0} 次`));
      const kinds = Object.entries(KINDS).filter(([k]) => group.kinds && group.kinds[k])
        .map(([k, name]) => `${name} ${group.kinds[k]}`).join(" · ");
      const meta = el("div", "gap-meta", `${kinds}　最近 ${when(group.newest)}`);
      const cur = curationOf(group);
      if (cur) meta.append(el("span", `gap-badge ${cur.kind}`, cur.kind === "link" ? "已关联条款" : "已标记不在范围内"));
      button.append(head, meta, trend(group.trend));
      button.addEventListener("click", () => {
        state.selected = group.key;
        renderGroups();
        renderDetail();
      });
      item.append(button);
      box.append(item);
    }
  }

  /** Per-day counts → a row of bars (heights through the CSSOM). */
  function trend(days) {
    const row = el("div", "gap-trend");
    row.setAttribute("aria-hidden", "true");
    const counts = list(days).map((d) => Number(d.count) || 0);
    const top = Math.max(1, ...counts);
    list(days).forEach((d, i) => {
      const bar = el("span", "gap-bar");
      bar.style.height = `${Math.round((counts[i] / top) * 100)}%`;
      bar.title = `${str(d.day)}：${counts[i]} 次`;
      row.append(bar);
    });
    return row;
  }

  // ---------------------------------------------------------------- one group

  function renderDetail() {
    const box = $("gaps-detail");
    box.textContent = "";
    const group = state.groups.find((g) => g.key === state.selected);
    if (!group) {
      box.append(el("p", "placeholder", "左侧选择一组问题，查看原话、检索到的条款并处理。"));
      return;
    }
    box.append(el("h3", "", `「${str(group.label)}」等 ${Number(group.size) || 0} 次提问`));
    const cur = curationOf(group);
    if (cur) box.append(el("p", "gap-covered", describe(cur)));
    const questions = el("ul", "gap-questions");
    for (const q of list(group.questions)) {
      const li = el("li", "");
      li.append(el("span", "gap-q", str(q.text)),
        el("span", "gap-q-meta", `${when(q.at)} · ${CHANNELS[q.channel] || str(q.channel)} · ${list(q.kinds).map((k) => KINDS[k] || k).join("、")}`));
      const answered = list(q.clause_ids).map(str).filter(Boolean);
      if (answered.length) li.append(el("span", "gap-q-meta", `差评所针对的条款：${answered.join("、")}`));
      questions.append(li);
    }
    box.append(el("h4", "", "群众原话（已脱敏）"), questions);
    box.append(el("h4", "", "检索到的相关条款"), clauses(group, list(group.clauses)));
    if (state.editor) box.append(searchOther(group), markForm(group));
    else box.append(el("p", "hint", "关联条款或标记“不在范围内”需要编辑权限。"));
  }

  /** Candidate clauses → a list, each with 「关联此条款」 for editors. */
  function clauses(group, found) {
    const ol = el("ol", "gap-clauses");
    if (!found.length) ol.append(el("li", "placeholder", "没有检索到条款。"));
    for (const c of found) {
      const li = el("li", "gap-clause");
      const where = [str(c.doc_title), ...list(c.path).map(str)].filter(Boolean).join(" · ");
      li.append(el("div", "gap-clause-src", `${where}（${str(c.clause_id)}）`), el("div", "gap-clause-text", str(c.text)));
      if (c.questions) li.append(el("div", "gap-q-meta", `${c.questions} 个问题检索到此条，最高得分 ${Number(c.score).toFixed(2)}`));
      if (state.editor) {
        const link = el("button", "btn-secondary gap-link", "关联此条款");
        link.type = "button";
        link.addEventListener("click", () => createLink(group, str(c.clause_id)));
        li.append(link);
      }
      ol.append(li);
    }
    return ol;
  }

  /** A search box for a clause retrieval did not find for the group. */
  function searchOther(group) {
    const form = el("form", "gap-search");
    const input = el("input", "");
    input.type = "search";
    input.placeholder = "检索其他条款，如：失业保险金 领取条件";
    input.maxLength = 500;
    input.setAttribute("aria-label", "检索其他条款");
    const go = el("button", "btn-secondary", "检索");
    go.type = "submit";
    const results = el("div", "");
    form.append(input, go, results);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!input.value.trim()) return;
      const res = await api("/api/search", { method: "POST", body: { query: input.value.trim(), top_k: 5 } });
      results.textContent = "";
      if (!res.ok) {
        results.append(el("p", "error", problem(res)));
        return;
      }
      const found = list(res.data && res.data.results).map((r) => ({ ...r, questions: 0 }));
      results.append(clauses(group, found));
    });
    return form;
  }

  /** 「标记为不在范围内」 with the pointer the assistant gives instead. */
  function markForm(group) {
    const form = el("form", "gap-mark");
    form.append(el("h4", "", "不在政策文件范围内？"));
    const label = el("label", "", "助手改为这样告诉群众：");
    const text = el("textarea", "");
    text.id = `pointer-${group.key}`;
    label.htmlFor = text.id;
    text.maxLength = 300;
    text.rows = 2;
    text.value = DEFAULT_POINTER;
    const save = el("button", "btn-primary", "标记为不在范围内");
    save.type = "submit";
    form.append(label, text, save);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      await change("/api/staff/curations", "POST",
        { kind: "uncovered", questions: list(group.texts), pointer: text.value }, "已标记，助手今后会给出这条转介说明。");
    });
    return form;
  }

  async function createLink(group, clauseId) {
    await change("/api/staff/curations", "POST", { kind: "link", questions: list(group.texts), clause_id: clauseId },
      "已关联，类似的问题今后会引用这条条款回答。");
  }

  /** Send one change, report it, reload the view. */
  async function change(path, method, body, done) {
    const res = await api(path, { method, body });
    if (!res.ok) {
      say(problem(res), true);
      return;
    }
    await load();
    say(done);
  }

  // ---------------------------------------------------------------- links and marks

  function describe(cur) {
    if (cur.kind === "link") {
      const where = [str(cur.doc_title), ...list(cur.path).map(str)].filter(Boolean).join(" · ") || str(cur.clause_id);
      return `已关联条款：${where}`;
    }
    return `已标记不在范围内，助手回答：${str(cur.pointer)}`;
  }

  function renderCurations() {
    const box = $("gaps-curations");
    box.textContent = "";
    $("curations-count").textContent = state.curations.length ? String(state.curations.length) : "";
    if (!state.curations.length) box.append(el("li", "placeholder", "还没有关联或标记。"));
    for (const cur of state.curations) {
      const li = el("li", cur.review ? "curation needs-review" : "curation");
      li.append(el("div", "curation-what", describe(cur)));
      const questions = list(cur.questions);
      li.append(el("div", "gap-q-meta", `适用于「${str(questions[0])}」等 ${questions.length} 个问题`));
      li.append(el("div", "gap-q-meta",
        `${str(cur.created_by)} 创建于 ${when(cur.created)}；${str(cur.updated_by)} 最后修改于 ${when(cur.updated)}`));
      if (cur.review) li.append(el("div", "curation-review", `需要复核：${str(cur.review)}（暂停使用）`));
      if (state.editor) li.append(curationActions(cur));
      box.append(li);
    }
  }

  function curationActions(cur) {
    const row = el("div", "curation-actions");
    const input = el("input", "");
    input.value = cur.kind === "link" ? str(cur.clause_id) : str(cur.pointer);
    input.maxLength = cur.kind === "link" ? 200 : 300;
    input.setAttribute("aria-label", cur.kind === "link" ? "关联条款编号" : "转介说明");
    const save = el("button", "btn-secondary", cur.kind === "link" ? "改关联条款" : "改转介说明");
    save.type = "button";
    save.addEventListener("click", () => change(`/api/staff/curations/${cur.id}`, "PATCH",
      cur.kind === "link" ? { clause_id: input.value.trim() } : { pointer: input.value }, "已保存修改。"));
    const remove = el("button", "btn-secondary", "删除");
    remove.type = "button";
    remove.addEventListener("click", () => {
      if (window.confirm("删除后，助手将不再使用这条关联或标记。确定删除吗？")) {
        change(`/api/staff/curations/${cur.id}`, "DELETE", undefined, "已删除（修改记录仍保留）。");
      }
    });
    row.append(input, save, remove);
    return row;
  }

  // ---------------------------------------------------------------- start

  function start() {
    if (!$("gaps-view")) return;
    document.addEventListener("staff:view", (e) => e.detail === "gaps-view" && load());
    document.addEventListener("staff:signout", forget);
    $("gaps-refresh").addEventListener("click", load);
    $("gaps-days").addEventListener("change", load);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
