/*
 * 文件库 — the document library view of the staff console (/staff).
 *
 * Shown to accounts with the editor role (GET /api/staff/whoami): the documents served (title, kind,
 * region, dates, status, clauses, notes) with their clause tree; upload a file → preview (metadata,
 * clause tree, warnings, changes against the version it replaces) → publish; edit metadata (status,
 * region, superseded_by); withdraw; the change log with undo. Every change sends the library version
 * the page loaded (base_version): when another editor changed the library first the server answers
 * 409 and the view says so and reloads.
 *
 * It shares only the login with staff.js: the token in sessionStorage and the #logout button, whose
 * visibility says whether someone is signed in. Security: server data enters the page via textContent only.
 */
(function () {
  "use strict";

  const STATUSES = ["现行有效", "已被修订", "已废止"];
  const STATES = { draft: "草稿（未发布）", published: "已发布", withdrawn: "已撤回", discarded: "已放弃" };
  const ACTIONS = { upload: "上传", publish: "发布", edit: "修改元数据", withdraw: "撤回", undo: "撤销" };
  const lib = { version: 0, entries: new Map(), previewId: null, busy: false };

  const $ = (id) => document.getElementById(id);

  /** createElement with a class and text (textContent only). */
  function node(tag, className, text) {
    const n = document.createElement(tag);
    if (className) n.className = className;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }

  function button(text, onClick, className) {
    const b = node("button", className || "btn-secondary", text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  /** A request with the staff token (staff.js's helper) → {ok, status, data}; body: an object (JSON) or a File. */
  function call(path, method, body) {
    return window.PaStaff.api(path, { method: method || "GET", body, auth: true });
  }

  function problem(res) {
    const detail = res.data && typeof res.data.detail === "string" ? res.data.detail : "";
    if (res.status === 0) return "网络异常，请检查连接后重试。";
    if (detail) return detail;
    if (res.status === 403) return "此操作需要文件库编辑权限。";
    return `服务暂时不可用（${res.status}），请稍后再试。`;
  }

  function say(text, isError) {
    const s = $("lib-status");
    s.textContent = text;
    s.classList.toggle("error", Boolean(isError));
  }

  // ---------------------------------------------------------------- views and role

  /** Signed in → 文件库's tab for editors only; signed out → nothing of the library (views.js switches panels). */
  async function onSession(signedIn) {
    $("lib-tab").hidden = true;
    if (!signedIn) {
      $("library-view").hidden = true;
      $("library-body").hidden = true;
      return;
    }
    const who = await call("/api/staff/whoami");
    const editor = who.ok && who.data && who.data.role === "editor";
    $("lib-tab").hidden = !editor;
    if (!editor && !$("library-view").hidden) window.StaffViews.show("app");
  }

  // ---------------------------------------------------------------- loading

  async function refresh() {
    const [listing, changes] = await Promise.all([call("/api/library"), call("/api/library/changes")]);
    if (!listing.ok || !changes.ok) {
      say(`文件库加载失败：${problem(listing.ok ? changes : listing)}`, true);
      return;
    }
    lib.version = listing.data.version;
    lib.entries = new Map(listing.data.entries.map((e) => [e.id, e]));
    $("library-body").hidden = false;
    $("lib-version").textContent = `版本 ${lib.version}`;
    renderDocuments(listing.data.documents);
    renderEntries(listing.data.entries);
    renderChanges(changes.data);
  }

  /** A change call → reload; 409 (someone else was first) and 422 are shown as they came. */
  async function change(path, body, done) {
    if (lib.busy) return;
    lib.busy = true;
    say("正在处理，发布或撤回需要重建索引，请稍候……");
    const res = await call(path, "POST", Object.assign({ base_version: lib.version }, body || {}));
    lib.busy = false;
    if (res.ok) say(done);
    else say(res.status === 409 ? `未执行：${problem(res)}` : problem(res), true);
    await refresh();
    return res.ok;
  }

  // ---------------------------------------------------------------- documents

  /** "2026-11-25T17:42:30+00:00" → "2026-11-25 17:42:30 UTC". */
  function when(stamp) {
    return String(stamp || "").replace("T", " ").replace("+00:00", " UTC");
  }

  function datesText(dates) {
    return Object.entries(dates || {}).map(([event, day]) => `${day} ${event}`).join("；");
  }

  function renderDocuments(docs) {
    const body = $("lib-docs");
    body.textContent = "";
    docs.forEach((d) => {
      const row = node("tr");
      row.dataset.docId = d.doc_id;
      [d.title, d.kind, d.region, datesText(d.dates), d.status, d.clauses, notesText(d)].forEach((v) => row.appendChild(node("td", "", v)));
      const ops = node("td", "ops");
      ops.appendChild(button("条款", () => showTree(d.doc_id, d.title)));
      const entry = lib.entries.get(d.entry_id);
      if (entry && entry.state === "published") {
        ops.appendChild(button("编辑", () => editMeta(row, entry, d)));
        ops.appendChild(button("撤回", () => change(`/api/library/entries/${entry.id}/withdraw`, {}, `已撤回「${d.title}」。`)));
      }
      row.appendChild(ops);
      body.appendChild(row);
    });
  }

  function notesText(d) {
    const parts = [];
    if (d.entry_id) parts.push(`上传文件 #${d.entry_id}`);
    if (d.superseded_by) parts.push(`被 ${d.superseded_by} 替代`);
    if (d.notes) parts.push(`${d.notes} 条版本说明`);
    return parts.join("；");
  }

  /** An inline form under a row: status, region, superseded_by → POST …/meta. */
  function editMeta(row, entry, d) {
    const old = row.nextElementSibling;
    if (old && old.classList.contains("lib-edit")) {
      old.remove();
      return;
    }
    const tr = node("tr", "lib-edit");
    const td = node("td");
    td.colSpan = 8;
    const form = node("form", "lib-form");
    const status = node("select");
    status.name = "status";
    STATUSES.forEach((s) => status.appendChild(new Option(s, s)));
    status.value = (entry.meta && entry.meta.status) || d.status;
    const region = node("input");
    region.name = "region";
    region.value = (entry.meta && entry.meta.region) || d.region;
    const successor = node("input");
    successor.name = "superseded_by";
    successor.placeholder = "替代文件的 doc_id（可空）";
    successor.value = (entry.meta && entry.meta.superseded_by) || d.superseded_by || "";
    [["状态", status], ["地区", region], ["被替代为", successor]].forEach(([label, input]) => {
      const l = node("label", "", label);
      l.appendChild(input);
      form.appendChild(l);
    });
    const save = node("button", "btn-primary", "保存");
    save.type = "submit";
    form.appendChild(save);
    form.appendChild(button("取消", () => tr.remove()));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const meta = { status: status.value, region: region.value.trim(), superseded_by: successor.value.trim() };
      change(`/api/library/entries/${entry.id}/meta`, meta, `已修改「${d.title}」的元数据。`);
    });
    td.appendChild(form);
    tr.appendChild(td);
    row.after(tr);
  }

  async function showTree(docId, title) {
    const res = await call(`/api/library/documents/${encodeURIComponent(docId)}/tree`);
    const box = $("lib-tree");
    box.textContent = "";
    if (!res.ok) {
      box.appendChild(node("p", "error", problem(res)));
      return;
    }
    box.appendChild(node("h3", "", `${title} · 条款结构`));
    box.appendChild(treeList(res.data.tree));
    box.scrollIntoView({ block: "nearest" });
  }

  /** A clause tree → nested lists: headings as <details>, clauses as text. */
  function treeList(nodes) {
    const ul = node("ul", "lib-tree-list");
    nodes.forEach((n) => {
      const li = node("li");
      const details = node("details");
      details.appendChild(node("summary", "", n.label));
      (n.clauses || []).forEach((c) => details.appendChild(node("p", "lib-clause", c.text)));
      if (n.children && n.children.length) details.appendChild(treeList(n.children));
      li.appendChild(details);
      ul.appendChild(li);
    });
    return ul;
  }

  // ---------------------------------------------------------------- uploads and preview

  function renderEntries(entries) {
    const list = $("lib-entries");
    list.textContent = "";
    const waiting = entries.filter((e) => e.state !== "published");
    $("lib-entries-empty").hidden = waiting.length > 0;
    waiting.forEach((e) => {
      const li = node("li", "lib-entry");
      li.appendChild(node("span", "", `#${e.id} ${e.name}`));
      li.appendChild(node("span", "meta", ` ${STATES[e.state] || e.state} · ${e.uploaded_by} · ${when(e.uploaded_at)}`));
      li.appendChild(button("预览", () => openPreview(e.id)));
      list.appendChild(li);
    });
  }

  async function upload(event) {
    event.preventDefault();
    const file = $("lib-file").files[0];
    if (!file) {
      say("请先选择文件。", true);
      return;
    }
    say("正在上传并解析……");
    const res = await call(`/api/library/uploads?name=${encodeURIComponent(file.name)}`, "POST", file);
    if (!res.ok) {
      say(`上传失败：${problem(res)}`, true);
      return;
    }
    $("lib-file").value = "";
    say(res.data.preview.ok ? "已上传为草稿，请核对预览后发布。" : "已上传，但文件无法使用，原因见预览。", !res.data.preview.ok);
    renderPreview(res.data);
    refresh();
  }

  async function openPreview(entryId) {
    const res = await call(`/api/library/entries/${entryId}`);
    if (res.ok) renderPreview(res.data);
    else say(problem(res), true);
  }

  function renderPreview(entry) {
    lib.previewId = entry.id;
    const box = $("lib-preview");
    box.textContent = "";
    box.hidden = false;
    box.appendChild(node("h3", "", `预览：${entry.name}（${STATES[entry.state] || entry.state}）`));
    const p = entry.preview;
    if (!p.ok) box.appendChild(node("p", "error lib-error", `无法使用：${p.error}`));
    p.documents.forEach((d) => box.appendChild(previewDocument(d)));
    if (p.warnings.length) {
      box.appendChild(node("p", "notes-label", "解析提示"));
      const ul = node("ul", "notes");
      p.warnings.forEach((w) => ul.appendChild(node("li", "", w)));
      box.appendChild(ul);
    }
    const actions = node("div", "actions");
    if (entry.state !== "published") {
      const publish = button("发布", () => change(`/api/library/entries/${entry.id}/publish`, {}, `已发布「${entry.name}」，几秒内即可被检索和引用。`)
        .then((ok) => ok && (box.hidden = true)), "btn-primary");
      publish.id = "lib-publish";
      publish.disabled = !p.ok;
      actions.appendChild(publish);
    }
    actions.appendChild(button("关闭预览", () => (box.hidden = true)));
    box.appendChild(actions);
  }

  function previewDocument(d) {
    const section = node("section", "lib-doc");
    const dl = node("dl", "lib-meta");
    [["标题", d.title], ["类别", d.kind], ["制定机关", d.issuer], ["文号", d.doc_number], ["地区", d.region],
      ["日期", datesText(d.dates)], ["状态", d.status], ["条款数", d.clauses]].forEach(([k, v]) => {
      if (v === "" || v === null || v === undefined) return;
      dl.appendChild(node("dt", "", k));
      dl.appendChild(node("dd", "", v));
    });
    section.appendChild(dl);
    if (d.replaces) section.appendChild(diffView(d.replaces));
    const tree = node("details", "lib-preview-tree");
    tree.appendChild(node("summary", "", "条款结构"));
    tree.appendChild(treeList(d.tree));
    section.appendChild(tree);
    return section;
  }

  /** The version it replaces and what changed: added, removed and reworded articles. */
  function diffView(old) {
    const box = node("div", "lib-diff");
    const diff = old.diff;
    box.appendChild(node("p", "", `这是「${old.title}」（${datesText(old.dates)}）的新版本：新增 ${diff.added.length} 条，删除 ${diff.removed.length} 条，修改 ${diff.reworded.length} 条，未变 ${diff.unchanged} 条。`));
    [["新增", diff.added, "added"], ["删除", diff.removed, "removed"], ["修改", diff.reworded, "reworded"]].forEach(([label, rows, kind]) => {
      rows.forEach((r) => {
        const item = node("details", `lib-change lib-${kind}`);
        item.appendChild(node("summary", "", `${label} ${r.article}`));
        if (r.before) item.appendChild(node("p", "lib-before", `原文：${r.before}`));
        if (r.after) item.appendChild(node("p", "lib-after", `新文：${r.after}`));
        box.appendChild(item);
      });
    });
    return box;
  }

  // ---------------------------------------------------------------- change log

  function renderChanges(rows) {
    const body = $("lib-changes");
    body.textContent = "";
    rows.forEach((c) => {
      const tr = node("tr");
      [when(c.at), c.who, ACTIONS[c.action] || c.action, c.summary].forEach((v) => tr.appendChild(node("td", "", v)));
      const td = node("td");
      if (c.undone_by) td.textContent = `已撤销（#${c.undone_by}）`;
      else td.appendChild(button("撤销", () => change(`/api/library/changes/${c.id}/undo`, {}, `已撤销：${c.summary}`)));
      tr.appendChild(td);
      body.appendChild(tr);
    });
  }

  // ---------------------------------------------------------------- start

  function start() {
    document.addEventListener("staff:view", (e) => e.detail === "library-view" && refresh());
    document.addEventListener("pa:staff-login", () => onSession(true));
    document.addEventListener("pa:staff-logout", () => onSession(false));
    $("lib-upload-form").addEventListener("submit", upload);
    $("lib-refresh").addEventListener("click", refresh);
    onSession(!$("logout").hidden);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
