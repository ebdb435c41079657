/*!
 * SOC 2 readiness chat widget. One tag embeds it:
 *   <script src="https://your-host/widget.js" data-key="s2g_pk_..." data-api="" defer></script>
 * data-api: the API base URL; empty or absent means the origin widget.js was served from.
 * No framework, no external requests; everything renders inside a shadow root so host styles
 * cannot leak in and ours cannot leak out.
 */
(function () {
  "use strict";
  if (window.SOC2GapWidget) return; // embedded twice: keep the first

  var script =
    document.currentScript || document.querySelector('script[src*="widget.js"][data-key]');
  if (!script) return;
  var KEY = script.getAttribute("data-key") || "";
  var API = (script.getAttribute("data-api") || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var STORE_KEY = "soc2gap:widget:v1:" + API + ":" + KEY;

  // ---------------------------------------------------------------- markdown (escape first, then format)
  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return ESCAPES[c]; });
  }
  function safeHref(url) {
    return /^(https?:\/\/|mailto:)/i.test(url) ? url : null;
  }
  function inline(text) {
    var held = [];
    function hold(html) { held.push(html); return "\u0000" + (held.length - 1) + "\u0000"; }
    text = text.replace(/`([^`\n]+)`/g, function (_, code) { return hold("<code>" + code + "</code>"); });
    text = text.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, function (m, label, url) {
      var href = safeHref(url);
      if (!href) return label;
      return hold('<a href="' + href + '" target="_blank" rel="noopener noreferrer">') + label + hold("</a>");
    });
    text = text
      .replace(/\*\*(?=\S)([^*\n]*?\S)\*\*/g, "<strong>$1</strong>")
      .replace(/__(?=\S)([^_\n]*?\S)__/g, "<strong>$1</strong>")
      .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, "$1<em>$2</em>")
      .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, "$1<em>$2</em>");
    return text.replace(/\u0000(\d+)\u0000/g, function (_, i) { return held[+i]; });
  }
  // Agent text is hard-wrapped for terminals: a line ending a sentence breaks, any other line flows on.
  function joinLines(lines) {
    var out = "";
    lines.forEach(function (line, i) {
      var trimmed = line.trim();
      if (i === 0) { out = trimmed; return; }
      var prev = lines[i - 1];
      out += (/[.!?:)]$/.test(prev.trim()) || / {2}$/.test(prev) ? "<br>" : " ") + trimmed;
    });
    return inline(out);
  }
  function renderMarkdown(source) {
    var lines = escapeHtml(String(source).replace(/\r\n?/g, "\n").replace(/\u0000/g, "")).split("\n");
    var html = [], para = [], list = null, fence = null;
    function flushPara() { if (para.length) html.push("<p>" + joinLines(para) + "</p>"); para = []; }
    function flushList() {
      if (!list) return;
      html.push("<" + list.tag + ">" + list.items.map(function (item) {
        return "<li>" + joinLines(item) + "</li>";
      }).join("") + "</" + list.tag + ">");
      list = null;
    }
    lines.forEach(function (line) {
      if (fence) {
        if (/^\s*```/.test(line)) { html.push("<pre><code>" + fence.join("\n") + "</code></pre>"); fence = null; }
        else fence.push(line);
        return;
      }
      if (/^\s*```/.test(line)) { flushPara(); flushList(); fence = []; return; }
      var heading = /^(#{1,6})\s+(.+)$/.exec(line);
      var bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
      var numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
      if (!line.trim()) { flushPara(); flushList(); }
      else if (heading) {
        flushPara(); flushList();
        var level = Math.min(6, heading[1].length + 2);
        html.push("<h" + level + ">" + inline(heading[2].trim()) + "</h" + level + ">");
      } else if (bullet || numbered) {
        flushPara();
        var tag = bullet ? "ul" : "ol";
        if (list && list.tag !== tag) flushList();
        if (!list) list = { tag: tag, items: [] };
        list.items.push([(bullet || numbered)[1]]);
      } else if (list && /^\s+\S/.test(line)) list.items[list.items.length - 1].push(line);
      else { flushList(); para.push(line); }
    });
    if (fence) html.push("<pre><code>" + fence.join("\n") + "</code></pre>");
    flushPara(); flushList();
    return html.join("");
  }

  // ---------------------------------------------------------------- quick replies for what is pending
  var NOT_SURE = { label: "I'm not sure", text: "I'm not sure" };
  var YES_NO = [{ label: "Yes" }, { label: "No" }, NOT_SURE];
  var INTAKE_CHOICES = {
    audit_type: [{ label: "Type I" }, { label: "Type II" }, NOT_SURE],
    cloud: [{ label: "AWS" }, { label: "GCP" }, { label: "Azure" }, { label: "Other" }, NOT_SURE],
    identity_provider: [{ label: "Okta" }, { label: "Google Workspace" }, { label: "Microsoft Entra ID" },
      { label: "Other" }, NOT_SURE],
    email_suite: [{ label: "Google Workspace" }, { label: "Microsoft 365" }, { label: "Other" }, NOT_SURE],
    code_host: [{ label: "GitHub" }, { label: "GitLab" }, { label: "Bitbucket" }, { label: "Other" }, NOT_SURE],
  };
  function upcomingQuarters() {
    var now = new Date(), q = Math.floor(now.getMonth() / 3) + 2, year = now.getFullYear(), out = [];
    for (var i = 0; i < 3; i++, q++) {
      if (q > 4) { q -= 4; year += 1; }
      out.push({ label: "Q" + q + " " + year });
    }
    return out;
  }
  function choicesFor(pending, status) {
    if (!pending || status === "complete") return [];
    if (pending.kind === "intake") {
      if (/_commitments$/.test(pending.field || "")) return YES_NO;
      if (pending.field === "target_audit_date") return upcomingQuarters().concat([NOT_SURE]);
      return INTAKE_CHOICES[pending.field] || [];
    }
    if (pending.kind === "control") {
      return [{ label: "Not sure", text: "I'm not sure" }, { label: "Skip", text: "skip" },
        { label: "Go back", text: "go back" }];
    }
    return [];
  }

  // ---------------------------------------------------------------- persistence (survives a reload)
  function loadSaved() {
    try { return JSON.parse(localStorage.getItem(STORE_KEY) || "null") || {}; } catch (e) { return {}; }
  }
  function save(patch) {
    var next = Object.assign(loadSaved(), patch);
    try { localStorage.setItem(STORE_KEY, JSON.stringify(next)); } catch (e) { /* private mode: session-only */ }
  }
  function forget() {
    try { localStorage.removeItem(STORE_KEY); } catch (e) { /* nothing stored */ }
  }

  // ---------------------------------------------------------------- API client
  function ApiError(code, message, status) { this.code = code; this.message = message; this.status = status; }
  var FALLBACK_MESSAGES = {
    0: "We couldn't reach the assessment service. Check your connection and try again.",
    429: "We're getting a lot of messages right now. Please wait a moment and try again.",
    500: "Something went wrong on our side; your last answer was not applied. Please try again.",
    503: "The assessment service is starting up or busy. Please try again in a moment.",
  };
  function request(method, path, body, extraHeaders) {
    var headers = Object.assign({ Authorization: "Bearer " + KEY }, extraHeaders || {});
    if (state.token) headers["X-Session-Token"] = state.token;
    if (body) headers["Content-Type"] = "application/json";
    return fetch(API + path, {
      method: method, headers: headers, body: body ? JSON.stringify(body) : undefined,
      mode: "cors", credentials: "omit", cache: "no-store",
    }).catch(function () {
      throw new ApiError("network", FALLBACK_MESSAGES[0], 0);
    }).then(function (res) {
      if (res.ok) return res;
      return res.json().catch(function () { return {}; }).then(function (payload) {
        var err = (payload && payload.error) || {};
        var message = err.message || FALLBACK_MESSAGES[res.status] || FALLBACK_MESSAGES[500];
        var retry = res.headers.get("Retry-After");
        if (res.status === 429 && retry) message += " (try again in " + retry + " s)";
        throw new ApiError(err.code || "http_" + res.status, message, res.status);
      });
    });
  }
  function newIdempotencyKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  // ---------------------------------------------------------------- DOM
  var ICON_CHAT = '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 3C6.5 3 2 6.9 2 11.7c0 2.4 1.1 4.6 3 6.2L4.3 21.4c-.1.5.4.9.8.7l4-1.9c.9.2 1.9.4 2.9.4 5.5 0 10-3.9 10-8.7S17.5 3 12 3zm-4 10a1.3 1.3 0 1 1 0-2.6A1.3 1.3 0 0 1 8 13zm4 0a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6zm4 0a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6z"/></svg>';
  var ICON_CLOSE = '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false"><path fill="currentColor" d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z"/></svg>';
  var ICON_SEND = '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"/></svg>';
  var ICON_DOWNLOAD = '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false"><path fill="currentColor" d="M11 4h2v8.2l3.3-3.3 1.4 1.4L12 16 6.3 10.3l1.4-1.4 3.3 3.3zM5 18h14v2H5z"/></svg>';

  var host = document.createElement("div");
  host.id = "soc2gap-widget";
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    "<style>" + STYLES() + "</style>" +
    '<button class="launcher" type="button" aria-haspopup="dialog" aria-expanded="false" aria-controls="s2g-panel" aria-label="Open the SOC 2 readiness chat">' + ICON_CHAT + "</button>" +
    '<section class="panel" id="s2g-panel" role="dialog" aria-modal="false" aria-labelledby="s2g-title" aria-describedby="s2g-subtitle" hidden>' +
    '  <header class="head">' +
    '    <div class="titles"><h2 id="s2g-title">SOC 2 readiness check</h2>' +
    '      <p id="s2g-subtitle">Answer in your own words. Progress is saved in this browser.</p></div>' +
    '    <button class="ghost restart" type="button">Start over</button>' +
    '    <button class="icon close" type="button" aria-label="Close chat">' + ICON_CLOSE + "</button>" +
    "  </header>" +
    '  <div class="progress" hidden>' +
    '    <div class="segments" role="group" aria-label="Progress by domain"></div>' +
    '    <details class="domains"><summary><span class="progress-text"></span></summary><ul class="domain-list"></ul></details>' +
    "  </div>" +
    '  <div class="log" role="log" aria-live="polite" aria-relevant="additions" aria-label="Conversation" tabindex="0"></div>' +
    '  <div class="confirm" role="alertdialog" aria-labelledby="s2g-confirm-text" hidden>' +
    '    <p id="s2g-confirm-text">Start over? Your current answers will be deleted.</p>' +
    '    <button class="primary confirm-yes" type="button">Yes, start over</button>' +
    '    <button class="ghost confirm-no" type="button">Cancel</button>' +
    "  </div>" +
    '  <div class="error" role="alert"></div>' +
    '  <div class="quick" role="group" aria-label="Suggested replies"></div>' +
    '  <form class="composer" novalidate>' +
    '    <label class="sr-only" for="s2g-input">Your answer</label>' +
    '    <textarea id="s2g-input" rows="2" placeholder="Type your answer…" enterkeyhint="send" aria-describedby="s2g-hint"></textarea>' +
    '    <button class="send" type="submit" aria-label="Send">' + ICON_SEND + "</button>" +
    '    <p id="s2g-hint" class="sr-only">Enter sends; Shift+Enter adds a new line; Escape closes the chat.</p>' +
    "  </form>" +
    '  <footer class="foot"><span class="foot-label">Report</span>' +
    '    <button class="link download" type="button" data-format="html">' + ICON_DOWNLOAD + " HTML</button>" +
    '    <button class="link download" type="button" data-format="md">' + ICON_DOWNLOAD + " Markdown</button>" +
    '    <span class="foot-status" role="status"></span></footer>' +
    "</section>";

  function $(selector) { return root.querySelector(selector); }
  var ui = {
    launcher: $(".launcher"), panel: $(".panel"), close: $(".close"), restart: $(".restart"),
    progress: $(".progress"), segments: $(".segments"), progressText: $(".progress-text"),
    domainList: $(".domain-list"), log: $(".log"), quick: $(".quick"), error: $(".error"),
    confirm: $(".confirm"), confirmYes: $(".confirm-yes"), confirmNo: $(".confirm-no"),
    form: $(".composer"), input: $("#s2g-input"), send: $(".send"), foot: $(".foot"),
    footStatus: $(".foot-status"),
  };

  var saved = loadSaved();
  var state = {
    id: saved.id || null, token: saved.token || null, pending: null, status: "in_progress",
    busy: false, loaded: false, loading: null, lastAttempt: null,
  };

  // ---------------------------------------------------------------- rendering
  function addMessage(role, text, extraClass) {
    var item = document.createElement("div");
    item.className = "msg " + role + (extraClass ? " " + extraClass : "");
    var who = document.createElement("span");
    who.className = "sr-only";
    who.textContent = role === "user" ? "You said: " : "Assistant: ";
    var body = document.createElement("div");
    body.className = "bubble";
    if (role === "user") body.textContent = text;
    else body.innerHTML = renderMarkdown(text);
    item.appendChild(who);
    item.appendChild(body);
    ui.log.appendChild(item);
    ui.log.scrollTop = ui.log.scrollHeight;
    return item;
  }
  var typing = null;
  function showTyping(on) {
    if (on && !typing) {
      typing = document.createElement("div");
      typing.className = "msg assistant typing";
      typing.setAttribute("role", "status");
      typing.innerHTML = '<div class="bubble"><span class="sr-only">The assistant is writing…</span><i></i><i></i><i></i></div>';
      ui.log.appendChild(typing);
      ui.log.scrollTop = ui.log.scrollHeight;
    } else if (!on && typing) {
      typing.remove();
      typing = null;
    }
  }
  function renderQuickReplies() {
    ui.quick.textContent = "";
    choicesFor(state.pending, state.status).forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "chip";
      button.textContent = choice.label;
      button.addEventListener("click", function () { sendText(choice.text || choice.label, false); });
      ui.quick.appendChild(button);
    });
    ui.quick.hidden = !ui.quick.childElementCount;
  }
  function renderProgress(progress) {
    var domains = (progress && progress.domains) || [];
    ui.progress.hidden = !domains.length;
    if (!domains.length) return;
    var current = domains.find(function (d) { return d.settled < d.total; });
    ui.segments.textContent = "";
    ui.domainList.textContent = "";
    domains.forEach(function (d) {
      var pct = d.total ? Math.round((100 * d.settled) / d.total) : 100;
      var name = d.domain + " " + d.label + ": " + d.settled + " of " + d.total + " controls settled";
      var seg = document.createElement("div");
      seg.className = "seg" + (d.settled >= d.total ? " done" : "") + (d === current ? " current" : "");
      seg.style.flexGrow = String(Math.max(1, d.total));
      seg.setAttribute("role", "progressbar");
      seg.setAttribute("aria-label", name);
      seg.setAttribute("aria-valuemin", "0");
      seg.setAttribute("aria-valuemax", String(d.total));
      seg.setAttribute("aria-valuenow", String(d.settled));
      seg.title = name;
      seg.innerHTML = '<span style="width:' + pct + '%"></span>';
      ui.segments.appendChild(seg);
      var row = document.createElement("li");
      row.innerHTML = '<span class="d-name"><b></b> <span></span></span><span class="d-count"></span>' +
        '<span class="bar" aria-hidden="true"><span style="width:' + pct + '%"></span></span>';
      row.querySelector("b").textContent = d.domain;
      row.querySelector(".d-name span").textContent = d.label;
      row.querySelector(".d-count").textContent = d.settled + "/" + d.total;
      if (d.settled >= d.total) row.className = "done";
      ui.domainList.appendChild(row);
    });
    var where = state.status === "complete" || !current ? "all domains covered" : current.domain + " " + current.label;
    ui.progressText.textContent = (progress.settled || 0) + " of " + (progress.total || 0) + " controls settled · " + where;
  }
  function renderStatus() {
    var done = state.status === "complete";
    ui.panel.classList.toggle("complete", done);
    ui.input.disabled = done;
    ui.send.disabled = done;
    ui.input.placeholder = done ? "This assessment is complete — download your report below." : "Type your answer…";
    ui.foot.hidden = !state.id;
  }
  function applyTurn(data, replayTranscript) {
    if (replayTranscript) {
      ui.log.setAttribute("aria-busy", "true");
      ui.log.textContent = "";
      (data.transcript || []).forEach(function (m) { addMessage(m.role === "user" ? "user" : "assistant", m.text); });
      ui.log.removeAttribute("aria-busy");
    } else {
      (data.messages || []).forEach(function (text) { addMessage("assistant", text); });
    }
    state.pending = data.pending || null;
    state.status = data.status || "in_progress";
    renderProgress(data.progress);
    renderQuickReplies();
    renderStatus();
  }

  // ---------------------------------------------------------------- errors
  function showError(err, retry) {
    ui.error.textContent = "";
    var text = document.createElement("p");
    text.textContent = "Sorry — " + (err && err.message ? err.message : FALLBACK_MESSAGES[500]);
    ui.error.appendChild(text);
    if (retry) {
      var again = document.createElement("button");
      again.type = "button";
      again.className = "ghost";
      again.textContent = retry.label;
      again.addEventListener("click", function () { clearError(); retry.run(); });
      ui.error.appendChild(again);
    }
    ui.error.hidden = false;
  }
  function clearError() { ui.error.textContent = ""; ui.error.hidden = true; }
  function sessionLost() {
    return { label: "Start a new assessment", run: function () { resetSession(); ensureAssessment(); } };
  }

  // ---------------------------------------------------------------- flows
  function resetSession() {
    forget();
    state.id = state.token = state.pending = null;
    state.status = "in_progress";
    state.loaded = false;
    state.lastAttempt = null;
    showTyping(false);
    ui.log.textContent = "";
    renderProgress(null);
    renderQuickReplies();
    renderStatus();
  }
  function ensureAssessment() {
    if (state.loaded) return Promise.resolve();
    if (state.loading) return state.loading;
    clearError();
    showTyping(true);
    var work = state.id ? restore() : start();
    state.loading = work.then(function () { state.loaded = true; }, function (err) {
      showError(err, state.id && err.status === 404 ? sessionLost() : { label: "Try again", run: ensureAssessment });
    }).then(function () { showTyping(false); state.loading = null; });
    return state.loading;
  }
  function start() {
    return request("POST", "/v1/assessments").then(function (res) { return res.json(); }).then(function (data) {
      state.id = data.assessment_id;
      state.token = data.session_token;
      save({ id: state.id, token: state.token });
      ui.log.textContent = "";
      applyTurn(data, false);
    });
  }
  function restore() {
    return request("GET", "/v1/assessments/" + encodeURIComponent(state.id))
      .then(function (res) { return res.json(); })
      .then(function (view) { applyTurn(view, true); return view; });
  }
  // The server already holds a reply with this Idempotency-Key: show what it recorded, and keep the
  // text only if it never made it into the transcript.
  function resync(text, fromInput) {
    return restore().then(function (view) {
      var users = (view.transcript || []).filter(function (m) { return m.role === "user"; });
      var applied = users.length && users[users.length - 1].text === text;
      if (fromInput && applied && ui.input.value.trim() === text) ui.input.value = "";
      if (!applied) showError(new ApiError("not_applied", "Your last answer was not applied; please send it again."));
    }, function (err) { showError(err); });
  }
  function sendText(text, fromInput) {
    text = (text || "").trim();
    if (!text || state.busy || state.status === "complete") return;
    if (!state.loaded) { ensureAssessment().then(function () { if (state.loaded) sendText(text, fromInput); }); return; }
    clearError();
    state.busy = true;
    ui.panel.classList.add("busy");
    ui.quick.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    // The same text re-sent after a failure keeps its key, so a reply the server did apply is not applied twice.
    var attempt = state.lastAttempt && state.lastAttempt.text === text ? state.lastAttempt : { text: text, key: newIdempotencyKey() };
    state.lastAttempt = attempt;
    var bubble = addMessage("user", text, "sending");
    showTyping(true);
    request("POST", "/v1/assessments/" + encodeURIComponent(state.id) + "/messages", { text: text }, { "Idempotency-Key": attempt.key })
      .then(function (res) { return res.json(); })
      .then(function (data) {
        state.lastAttempt = null;
        bubble.classList.remove("sending");
        if (fromInput && ui.input.value.trim() === text) ui.input.value = "";
        showTyping(false);
        applyTurn(data, false);
      })
      .catch(function (err) {
        showTyping(false);
        bubble.remove();
        if (err.code === "duplicate") { state.lastAttempt = null; return resync(text, fromInput); }
        if (fromInput && !ui.input.value.trim()) ui.input.value = text;
        showError(err, err.status === 404 ? sessionLost() : null);
        renderQuickReplies();
      })
      .then(function () {
        state.busy = false;
        ui.panel.classList.remove("busy");
        ui.quick.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
        if (root.activeElement === null || root.activeElement === ui.send) ui.input.focus();
      });
  }
  function download(format, button) {
    if (!state.id) return;
    clearError();
    button.disabled = true;
    ui.footStatus.textContent = "Preparing your report…";
    request("GET", "/v1/assessments/" + encodeURIComponent(state.id) + "/report?format=" + format)
      .then(function (res) {
        var disposition = res.headers.get("Content-Disposition") || "";
        var named = /filename="?([^";]+)"?/.exec(disposition);
        // Cross-origin embeds cannot read Content-Disposition unless the server exposes it.
        var filename = named ? named[1] : "soc2-gap-report-" + state.id.slice(0, 8) + "." + format;
        return res.blob().then(function (blob) {
          var url = URL.createObjectURL(blob);
          var a = document.createElement("a");
          a.href = url;
          a.download = filename;
          a.hidden = true;
          root.appendChild(a);
          a.click();
          a.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
          ui.footStatus.textContent = "Downloaded " + filename;
        });
      })
      .catch(function (err) { ui.footStatus.textContent = ""; showError(err); })
      .then(function () { button.disabled = false; });
  }

  // ---------------------------------------------------------------- open / close / keyboard
  function open() {
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    ui.launcher.setAttribute("aria-label", "Close the SOC 2 readiness chat");
    ui.launcher.innerHTML = ICON_CLOSE;
    save({ open: true });
    ensureAssessment();
    ui.input.disabled ? ui.close.focus() : ui.input.focus();
  }
  function close() {
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.setAttribute("aria-label", "Open the SOC 2 readiness chat");
    ui.launcher.innerHTML = ICON_CHAT;
    save({ open: false });
    ui.launcher.focus();
  }
  ui.launcher.addEventListener("click", function () { ui.panel.hidden ? open() : close(); });
  ui.close.addEventListener("click", close);
  ui.panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      e.preventDefault();
      if (!ui.confirm.hidden) { ui.confirm.hidden = true; ui.restart.focus(); } else close();
    }
  });
  ui.input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendText(ui.input.value, true); }
  });
  ui.form.addEventListener("submit", function (e) { e.preventDefault(); sendText(ui.input.value, true); });
  ui.restart.addEventListener("click", function () { ui.confirm.hidden = false; ui.confirmNo.focus(); });
  ui.confirmNo.addEventListener("click", function () { ui.confirm.hidden = true; ui.restart.focus(); });
  ui.confirmYes.addEventListener("click", function () {
    ui.confirm.hidden = true;
    ui.panel.classList.add("busy");
    showTyping(true);
    var old = state.id ? request("DELETE", "/v1/assessments/" + encodeURIComponent(state.id)).catch(function () {}) : Promise.resolve();
    old.then(function () {
      resetSession();
      save({ open: true });
      return ensureAssessment();
    }).then(function () {
      ui.panel.classList.remove("busy");
      ui.input.focus();
    });
  });
  root.querySelectorAll(".download").forEach(function (button) {
    button.addEventListener("click", function () { download(button.getAttribute("data-format"), button); });
  });

  clearError();
  renderStatus();
  renderQuickReplies();
  function mount() {
    document.body.appendChild(host);
    if (saved.open) open();
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
  // Host pages open the chat from their own buttons without inline script (strict CSP friendly).
  document.addEventListener("click", function (e) {
    var opener = e.target && e.target.closest ? e.target.closest("[data-soc2gap-open]") : null;
    if (opener) { e.preventDefault(); open(); }
  });
  window.SOC2GapWidget = { open: open, close: close, renderMarkdown: renderMarkdown };

  // ---------------------------------------------------------------- styles (palette checked for WCAG AA in tests)
  function STYLES() {
    return [
      ":host{all:initial;--ink:#0f172a;--muted:#475569;--brand:#1d4ed8;--brand-strong:#1e3a8a;--head:#0b1f44;",
      "--head-muted:#c7d2fe;--bot:#f1f5f9;--line:#cbd5e1;--field:#64748b;--track:#dbe3ee;--ok:#15803d;",
      "--err-bg:#fef2f2;--err:#991b1b;--ring:#1d4ed8;--ring-dark:#fbbf24;",
      "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:var(--ink)}",
      "*{box-sizing:border-box}[hidden]{display:none!important}",
      ".sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);border:0;white-space:nowrap}",
      "button{font:inherit;cursor:pointer}button:disabled{cursor:not-allowed;opacity:.75}",
      ":focus-visible{outline:3px solid var(--ring);outline-offset:2px}",
      ".launcher{position:fixed;right:24px;bottom:24px;z-index:2147483000;width:60px;height:60px;border-radius:50%;",
      "border:0;background:var(--brand);color:#fff;display:grid;place-items:center;",
      "box-shadow:0 8px 24px rgba(15,23,42,.28),0 0 0 3px #fff}",
      ".launcher:hover{background:var(--brand-strong)}",
      ".launcher:focus-visible{outline:3px solid var(--head);outline-offset:3px}",
      ".panel{position:fixed;right:24px;bottom:100px;z-index:2147483000;width:410px;height:min(680px,calc(100vh - 124px));",
      "display:flex;flex-direction:column;background:#fff;color:var(--ink);border-radius:16px;overflow:hidden;",
      "box-shadow:0 24px 60px rgba(15,23,42,.30),0 0 0 1px rgba(15,23,42,.08)}",
      "@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;height:100vh;border-radius:0}",
      ".launcher[aria-expanded=true]{display:none}}",
      ".head{display:flex;align-items:center;gap:8px;padding:14px 12px 14px 18px;background:var(--head);color:#fff}",
      ".head :focus-visible{outline-color:var(--ring-dark)}",
      ".titles{flex:1;min-width:0}.head h2{margin:0;font-size:16px;font-weight:650;letter-spacing:.01em}",
      ".head p{margin:2px 0 0;font-size:12.5px;color:var(--head-muted)}",
      ".head .ghost{color:#fff;border-color:rgba(255,255,255,.55);background:transparent;font-size:13px;padding:5px 10px}",
      ".head .ghost:hover{background:rgba(255,255,255,.12)}",
      ".icon{border:0;background:transparent;color:#fff;width:36px;height:36px;border-radius:8px;display:grid;place-items:center}",
      ".icon:hover{background:rgba(255,255,255,.12)}",
      ".progress{padding:10px 16px 8px;border-bottom:1px solid var(--line);background:#fff}",
      ".segments{display:flex;gap:3px;height:8px}",
      ".seg{position:relative;min-width:6px;border-radius:4px;background:var(--track);overflow:hidden}",
      ".seg>span{position:absolute;inset:0 auto 0 0;background:var(--brand);border-radius:4px}",
      ".seg.done>span{background:var(--ok)}.seg.current{box-shadow:0 0 0 1.5px var(--brand-strong)}",
      ".domains summary{margin-top:6px;font-size:12.5px;color:var(--muted);cursor:pointer;border-radius:4px;",
      "white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
      ".domain-list{list-style:none;margin:8px 0 2px;padding:0;display:grid;gap:6px;max-height:190px;overflow:auto}",
      ".domain-list li{display:grid;grid-template-columns:1fr auto;gap:2px 8px;font-size:12.5px;color:var(--ink)}",
      ".domain-list .d-count{color:var(--muted)}",
      ".domain-list .bar{grid-column:1/-1;height:5px;border-radius:3px;background:var(--track);overflow:hidden}",
      ".domain-list .bar span{display:block;height:100%;background:var(--brand)}.domain-list li.done .bar span{background:var(--ok)}",
      ".log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:10px;background:#fff}",
      ".msg{display:flex;max-width:88%}.msg.user{align-self:flex-end}.msg.assistant{align-self:flex-start}",
      ".bubble{padding:10px 14px;border-radius:14px;overflow-wrap:anywhere}",
      ".assistant .bubble{background:var(--bot);color:var(--ink);border-bottom-left-radius:4px}",
      ".user .bubble{background:var(--brand);color:#fff;border-bottom-right-radius:4px;white-space:pre-wrap}",
      ".msg.sending{opacity:.8}",
      ".bubble p{margin:0 0 8px}.bubble p:last-child{margin-bottom:0}",
      ".bubble ul,.bubble ol{margin:4px 0 8px;padding-left:22px}.bubble li{margin:2px 0}",
      ".bubble h3,.bubble h4,.bubble h5,.bubble h6{margin:4px 0 6px;font-size:15px}",
      ".bubble code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#e2e8f0;color:var(--ink);padding:1px 5px;border-radius:4px}",
      ".bubble pre{background:#e2e8f0;padding:8px;border-radius:6px;overflow:auto}.bubble pre code{padding:0}",
      ".bubble a{color:var(--brand);text-decoration:underline}.user .bubble a{color:#fff}",
      ".typing .bubble{display:flex;gap:4px;align-items:center;height:40px}",
      ".typing i{width:7px;height:7px;border-radius:50%;background:var(--muted);animation:s2g-blink 1.2s infinite}",
      ".typing i:nth-child(3){animation-delay:.2s}.typing i:nth-child(4){animation-delay:.4s}",
      "@keyframes s2g-blink{0%,80%,100%{opacity:.25}40%{opacity:1}}",
      "@media (prefers-reduced-motion:reduce){.typing i{animation:none;opacity:.6}}",
      ".quick{display:flex;flex-wrap:wrap;gap:6px;padding:4px 16px 10px}",
      ".chip{border:1.5px solid var(--brand);background:#fff;color:var(--brand);border-radius:999px;padding:5px 12px;font-size:13.5px;font-weight:550}",
      ".chip:hover:not(:disabled){background:#eff6ff}",
      ".error{margin:0 16px 10px;padding:10px 12px;border-radius:10px;background:var(--err-bg);color:var(--err);",
      "border:1px solid #fecaca;font-size:14px;display:flex;flex-wrap:wrap;align-items:center;gap:8px}",
      ".error p{margin:0;flex:1 1 200px}.error .ghost{color:var(--err);border-color:var(--err);background:#fff}",
      ".confirm{margin:0 16px 10px;padding:10px 12px;border-radius:10px;background:var(--bot);display:flex;flex-wrap:wrap;gap:8px;align-items:center}",
      ".confirm p{margin:0;flex:1 1 100%;font-size:14px}",
      ".ghost{border:1.5px solid var(--field);background:#fff;color:var(--ink);border-radius:8px;padding:6px 12px;font-size:14px}",
      ".primary{border:0;background:var(--brand);color:#fff;border-radius:8px;padding:7px 14px;font-size:14px;font-weight:600}",
      ".primary:hover{background:var(--brand-strong)}",
      ".composer{display:flex;align-items:flex-end;gap:8px;padding:10px 12px 10px 16px;border-top:1px solid var(--line)}",
      ".composer textarea{flex:1;resize:none;min-height:44px;max-height:140px;padding:10px 12px;border:1.5px solid var(--field);",
      "border-radius:10px;font:inherit;color:var(--ink);background:#fff}",
      ".composer textarea::placeholder{color:#64748b}",
      ".composer textarea:focus-visible{outline:2px solid var(--ring);outline-offset:2px;border-color:var(--brand)}",
      ".composer textarea:disabled{background:var(--bot);color:var(--muted)}",
      ".send{width:44px;height:44px;border:0;border-radius:10px;background:var(--brand);color:#fff;display:grid;place-items:center}",
      ".send:hover:not(:disabled){background:var(--brand-strong)}",
      ".busy .send{opacity:.75}",
      ".foot{display:flex;align-items:center;gap:6px;padding:0 16px 12px;font-size:13px;color:var(--muted)}",
      ".foot-label{font-weight:600}",
      ".link{display:inline-flex;align-items:center;gap:4px;border:1.5px solid transparent;background:transparent;color:var(--brand);",
      "font-size:13px;font-weight:600;padding:3px 8px;border-radius:6px}",
      ".link:hover{background:#eff6ff}",
      ".complete .link{border-color:var(--brand)}",
      ".foot-status{margin-left:auto;font-size:12px;color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
    ].join("");
  }
})();
