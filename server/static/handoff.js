/*
 * 坐席工作台 — the live handoff view: the 「待人工处理」 queue and one open conversation.
 *
 * Queue: GET /api/staff/handoffs every QUEUE_EVERY_MS; the number of waiting requests is
 * shown in the tab title (「(2) 坐席工作台 …」) and a new one can beep (提示音, off by default,
 * remembered in localStorage). Conversation: GET /api/staff/handoffs/{id}?after=<last id>
 * every CONVERSATION_EVERY_MS (the citizen's messages appear live); 接手 / 发送 / 转回智能助手
 * / 结束会话 POST to .../claim, .../reply, .../handback, .../close. 「插入回复」 in the search
 * pane (staff.js) puts a cited clause into the reply box.
 *
 * Shares staff.js's helpers (window.PaStaff) and follows its login/logout events.
 * Security: text from the server only enters the page via textContent.
 */
(function () {
  "use strict";

  const QUEUE_EVERY_MS = 5000;
  const CONVERSATION_EVERY_MS = 2000;
  const KEY_SOUND = "pa-staff-sound";
  const BASE_TITLE = document.title;
  const ROLE_LABEL = { citizen: "市民", bot: "智能助手", staff: "坐席" };
  const STATUS_LABEL = { waiting: "等待接手", claimed: "人工服务中", returned: "已转回智能助手", done: "已结束", cancelled: "市民已取消" };

  const state = {
    signedIn: false,
    me: "", // the signed-in account's name
    queueTimer: null,
    queueSeq: 0,
    known: null, // ids of waiting requests seen so far (null before the first load: no beep for those)
    open: null, // {id, sender_id, status, claimed_by, after} of the conversation shown
    conversationTimer: null,
    audio: null,
  };

  function $(id) {
    return document.getElementById(id);
  }

  function staff() {
    return window.PaStaff;
  }

  /** Authenticated call; a 401 asks staff.js to log out → the response, or null after a 401. */
  async function call(path, options) {
    const res = await staff().api(path, Object.assign({ auth: true }, options || {}));
    if (res.status === 401) {
      document.dispatchEvent(new CustomEvent("pa:staff-unauthorized"));
      return null;
    }
    return res;
  }

  /** Epoch seconds → local "YYYY/M/D HH:MM:SS". */
  function formatTime(seconds) {
    const date = new Date(Number(seconds) * 1000);
    return isNaN(date.getTime()) ? "" : date.toLocaleString("zh-CN", { hour12: false });
  }

  // ---------------------------------------------------------------- login / logout

  async function onLogin() {
    state.signedIn = true;
    state.known = null;
    const who = await call("/api/staff/whoami");
    state.me = who && who.ok && who.data ? staff().str(who.data.name) : "";
    startQueue();
  }

  function onLogout() {
    state.signedIn = false;
    clearInterval(state.queueTimer);
    state.queueTimer = null;
    state.queueSeq++;
    closeConversation();
    $("queue-list").textContent = "";
    $("queue-count").textContent = "";
    document.title = BASE_TITLE;
  }

  // ---------------------------------------------------------------- queue

  function startQueue() {
    clearInterval(state.queueTimer);
    refreshQueue();
    state.queueTimer = setInterval(refreshQueue, QUEUE_EVERY_MS); // also when hidden: the title badge and beep matter then
  }

  /** GET /api/staff/handoffs → the list, the title badge, the beep for a new waiting request. */
  async function refreshQueue() {
    if (!state.signedIn) return;
    const seq = ++state.queueSeq;
    $("refresh").disabled = true;
    const res = await call("/api/staff/handoffs");
    if (seq !== state.queueSeq || !res) return;
    $("refresh").disabled = false;
    const status = $("queue-status");
    if (!res.ok || !Array.isArray(res.data)) {
      status.textContent = `队列刷新失败：${staff().errorText(res)}`;
      status.classList.add("error");
      return;
    }
    status.classList.remove("error");
    status.textContent = `更新于 ${new Date().toLocaleTimeString("zh-CN", { hour12: false })}`;
    const rows = res.data.filter((x) => x && typeof x === "object");
    announce(rows.filter((r) => r.status === "waiting"));
    renderQueue(rows);
  }

  /** Waiting requests → the title badge; a beep when one is new since the last refresh (if 提示音 is on). */
  function announce(waiting) {
    document.title = waiting.length ? `(${waiting.length}) ${BASE_TITLE}` : BASE_TITLE;
    const ids = new Set(waiting.map((r) => r.id));
    const fresh = state.known !== null && waiting.some((r) => !state.known.has(r.id));
    state.known = ids;
    if (fresh && $("sound").checked) beep();
  }

  /** A short tone through Web Audio (no sound file to serve; the checkbox click allowed audio). */
  function beep() {
    try {
      state.audio = state.audio || new AudioContext();
      const osc = state.audio.createOscillator();
      const gain = state.audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(state.audio.destination);
      osc.start();
      osc.stop(state.audio.currentTime + 0.25);
    } catch (e) {
      /* no audio device: the title badge still shows */
    }
  }

  /** The open requests → <li class="queue-item"> rows with 查看 and 检索此问题. */
  function renderQueue(rows) {
    const { el, str } = staff();
    const list = $("queue-list");
    list.textContent = "";
    const waiting = rows.filter((r) => r.status === "waiting").length;
    $("queue-count").textContent = rows.length ? `${waiting} 等待 / ${rows.length}` : "";
    if (!rows.length) {
      list.appendChild(el("li", "placeholder", "暂无待处理会话"));
      return;
    }
    rows.forEach((row) => {
      const li = el("li", "queue-item");
      li.dataset.handoffId = str(row.id);
      if (state.open && state.open.id === row.id) li.classList.add("selected");
      const head = el("div");
      head.appendChild(el("span", "who", str(row.sender_id) || "（未知用户）"));
      head.appendChild(el("span", "when", `${channelLabel(str(row.sender_id))} #${str(row.id)} ${formatTime(row.created)}`));
      li.appendChild(head);
      const holder = row.status === "claimed" ? `${STATUS_LABEL.claimed}（${str(row.claimed_by)}）` : STATUS_LABEL[row.status] || str(row.status);
      li.appendChild(el("div", `extra status-${str(row.status)}`, holder));
      const question = str(row.last_message);
      if (question) li.appendChild(el("p", "msg", question));
      const actions = el("div", "actions");
      const view = el("button", "btn-secondary open-conversation", "查看");
      view.type = "button";
      view.addEventListener("click", () => openConversation(row));
      actions.appendChild(view);
      if (question) {
        const search = el("button", "link", "检索此问题");
        search.type = "button";
        search.addEventListener("click", () => staff().search(question));
        actions.appendChild(search);
      }
      li.appendChild(actions);
      list.appendChild(li);
    });
  }

  /** "web:…" → 网页, "wechat:…" → 公众号, "wecom:…" → 企业微信. */
  function channelLabel(senderId) {
    const channel = senderId.split(":", 1)[0];
    return { web: "网页", wechat: "公众号", wecom: "企业微信" }[channel] || channel;
  }

  // ---------------------------------------------------------------- conversation

  /** Show a request's conversation and follow it live. */
  function openConversation(row) {
    closeConversation();
    state.open = { id: row.id, sender_id: staff().str(row.sender_id), status: row.status, claimed_by: row.claimed_by, after: 0 };
    $("live").hidden = false;
    $("live-title").textContent = `${channelLabel(state.open.sender_id)}会话 #${row.id}`;
    $("live-question").textContent = staff().str(row.last_message) ? `转人工前的问题：${row.last_message}` : "";
    $("live-transcript").textContent = "";
    setLiveStatus("");
    document.querySelectorAll("#queue-list .queue-item").forEach((li) => {
      li.classList.toggle("selected", li.dataset.handoffId === String(row.id));
    });
    renderControls();
    followConversation();
  }

  function closeConversation() {
    clearTimeout(state.conversationTimer);
    state.conversationTimer = null;
    state.open = null;
    $("live").hidden = true;
    document.body.classList.remove("live-replying");
  }

  /** Poll the open conversation: new journal rows appended, the request's status refreshed. */
  async function followConversation() {
    const open = state.open;
    if (!open) return;
    const res = await call(`/api/staff/handoffs/${encodeURIComponent(open.id)}?after=${open.after}`);
    if (state.open !== open || !res) return;
    if (res.ok && res.data && typeof res.data === "object") {
      const request = res.data.handoff || {};
      open.status = request.status;
      open.claimed_by = request.claimed_by;
      appendMessages(Array.isArray(res.data.messages) ? res.data.messages : []);
      renderControls();
    } else {
      setLiveStatus(`会话刷新失败：${staff().errorText(res)}`, true);
    }
    if (open.status === "waiting" || open.status === "claimed") {
      state.conversationTimer = setTimeout(followConversation, CONVERSATION_EVERY_MS);
    }
  }

  /** Journal rows → transcript entries (who, when, text, cited clause ids). */
  function appendMessages(rows) {
    const { el, str } = staff();
    const list = $("live-transcript");
    rows.forEach((m) => {
      if (!m || typeof m !== "object" || typeof m.id !== "number" || m.id <= state.open.after) return;
      state.open.after = m.id;
      const role = str(m.role);
      const li = el("li", `turn turn-${role}`);
      const who = role === "staff" && str(m.staff) ? `${ROLE_LABEL.staff} ${m.staff}` : ROLE_LABEL[role] || role;
      li.appendChild(el("div", "turn-head", `${who} · ${formatTime(m.at)}`));
      li.appendChild(el("div", "turn-text", str(m.text)));
      const cited = Array.isArray(m.citations) ? m.citations.map(str).filter(Boolean) : [];
      if (cited.length) li.appendChild(el("div", "turn-cited", `引用条款：${cited.join("、")}`));
      list.appendChild(li);
      li.scrollIntoView({ block: "nearest" });
    });
  }

  /** Buttons and reply box by the request's state: who holds it, whether it is still open. */
  function renderControls() {
    const open = state.open;
    const mine = open.status === "claimed" && open.claimed_by === state.me;
    const holder = open.status === "claimed" ? `（${staff().str(open.claimed_by)}）` : "";
    $("live-state").textContent = `${STATUS_LABEL[open.status] || staff().str(open.status)}${holder}`;
    $("live-claim").hidden = open.status !== "waiting";
    $("live-handback").hidden = !mine;
    $("live-close").hidden = !(mine || open.status === "waiting");
    $("live-form").hidden = !mine;
    document.body.classList.toggle("live-replying", mine);
  }

  function setLiveStatus(text, isError) {
    $("live-status").textContent = text || "";
    $("live-status").classList.toggle("error", Boolean(isError));
  }

  /** POST an action on the open request → its JSON, or null (the error is shown). */
  async function act(path, body) {
    const open = state.open;
    const res = await call(`/api/staff/handoffs/${encodeURIComponent(open.id)}/${path}`, { method: "POST", body });
    if (!res) return null;
    if (!res.ok) {
      setLiveStatus(staff().errorText(res), true);
      return null;
    }
    setLiveStatus("");
    return res.data;
  }

  async function claim() {
    $("live-claim").disabled = true;
    const held = await act("claim");
    $("live-claim").disabled = false;
    if (held) $("live-reply").focus();
    refreshNow();
  }

  async function sendReply(event) {
    event.preventDefault();
    const text = $("live-reply").value.trim();
    if (!text) {
      setLiveStatus("请输入回复内容。", true);
      return;
    }
    $("live-send").disabled = true;
    const sent = await act("reply", { text });
    $("live-send").disabled = false;
    if (!sent) return;
    $("live-reply").value = "";
    if (sent.delivered === false) setLiveStatus(staff().str(sent.error) || "消息已保存，但未能送达。", true);
    refreshNow();
  }

  async function finish(path) {
    if (await act(path)) refreshNow();
  }

  /** After an action: the conversation and the queue at once instead of at the next tick. */
  function refreshNow() {
    clearTimeout(state.conversationTimer);
    followConversation();
    refreshQueue();
  }

  /** 「插入回复」 from the search pane: the cited answer at the cursor of the reply box. */
  function insertClause(event) {
    const text = event.detail && staff().str(event.detail.text);
    const box = $("live-reply");
    if (!text || $("live-form").hidden) return;
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? box.value.length;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    box.focus();
    box.selectionStart = box.selectionEnd = start + text.length;
  }

  // ---------------------------------------------------------------- start

  function start() {
    $("sound").checked = (() => {
      try {
        return window.localStorage.getItem(KEY_SOUND) === "1";
      } catch (e) {
        return false;
      }
    })();
    $("sound").addEventListener("change", () => {
      try {
        window.localStorage.setItem(KEY_SOUND, $("sound").checked ? "1" : "0");
      } catch (e) {
        /* the choice lasts for this page */
      }
      if ($("sound").checked) beep(); // a sample, and the user gesture browsers need before audio plays
    });
    $("refresh").addEventListener("click", refreshQueue);
    $("live-claim").addEventListener("click", claim);
    $("live-handback").addEventListener("click", () => finish("handback"));
    $("live-close").addEventListener("click", () => finish("close"));
    $("live-hide").addEventListener("click", closeConversation);
    $("live-form").addEventListener("submit", sendReply);
    $("live-reply").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) sendReply(e); // Ctrl+Enter sends; Enter is a new line
    });
    document.addEventListener("pa:staff-login", onLogin);
    document.addEventListener("pa:staff-logout", onLogout);
    document.addEventListener("pa:insert-clause", insertClause);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
