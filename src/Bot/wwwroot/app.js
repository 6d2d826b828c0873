// The web chat: channels, messages edited in place (by id and version), buttons, threads, and
// autocomplete from the bot's own command catalog. Talks only to /api/chat.
"use strict";

const params = new URLSearchParams(location.search);
const token = params.get("token");
const state = { channel: params.get("channel") || "ops", messages: new Map(), commands: [], selected: -1, stream: null };
const $ = id => document.getElementById(id);

function api(path, options = {}) {
    const headers = { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
    return fetch(path, { ...options, headers });
}

function escapeHtml(text) {
    return text.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// A small Markdown subset, applied after escaping: `code` and *bold*.
function render(text) {
    return escapeHtml(text)
        .replace(/`([^`]+)`/g, "<code>$1</code>")
        .replace(/\*([^*\n]+)\*/g, "<strong>$1</strong>");
}

function user() {
    const name = $("user").value.trim();
    localStorage.setItem("chatops.user", name);
    return name;
}

function messageElement(message) {
    const li = document.createElement("li");
    li.className = "message" + (message.user === "bot" ? " bot" : "");
    li.dataset.id = message.id;
    li.dataset.version = message.version;
    const edited = message.version > 1 ? `<span class="edited">edited (v${message.version})</span>` : "";
    const time = new Date(message.updatedAt).toLocaleTimeString();
    let html = `<div class="meta"><strong>${escapeHtml(message.user)}</strong> · ${time}${edited}</div><div class="text">${render(message.text)}</div>`;
    if (message.hasImage) {
        html += `<img class="picture" alt="" src="/api/chat/messages/${message.id}/image${token ? `?token=${encodeURIComponent(token)}` : ""}">`;
    }
    if (message.context.length) {
        html += `<div class="context">${message.context.map(render).join(" · ")}</div>`;
    }
    li.innerHTML = html;
    if (message.buttons.length) {
        const bar = document.createElement("div");
        bar.className = "buttons";
        for (const button of message.buttons) {
            const b = document.createElement("button");
            b.type = "button";
            b.textContent = button.label;
            b.className = button.style;
            b.dataset.action = button.actionId;
            b.addEventListener("click", () => press(message.id, button.actionId));
            bar.appendChild(b);
        }
        li.appendChild(bar);
    }
    const replies = message.replies || [];
    if (replies.length) {
        const thread = document.createElement("details");
        thread.className = "thread";
        thread.open = true;
        thread.innerHTML = `<summary>${replies.length} ${replies.length === 1 ? "reply" : "replies"}</summary>` +
            replies.map(r => `<div class="reply"><strong>${escapeHtml(r.user)}</strong>: <span class="text">${render(r.text)}</span></div>`).join("");
        li.appendChild(thread);
    }
    return li;
}

function upsert(message) {
    if (message.threadOf) {
        const parent = state.messages.get(message.threadOf);
        if (!parent) return;
        const replies = (parent.replies || []).filter(r => r.id !== message.id);
        replies.push(message);
        // Ids are m{sequence}-{tag}: the sequence orders them.
        replies.sort((a, b) => parseInt(a.id.slice(1), 10) - parseInt(b.id.slice(1), 10));
        upsert({ ...parent, replies });
        return;
    }
    const known = state.messages.get(message.id);
    if (known && known.version > message.version) return; // an older edit arrived late
    // Live edits carry no replies; keep the thread the page already has.
    const replies = message.replies?.length ? message.replies : known?.replies ?? [];
    state.messages.set(message.id, { ...message, replies });
    const element = messageElement(state.messages.get(message.id));
    const list = $("messages");
    const existing = list.querySelector(`[data-id="${message.id}"]`);
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    if (existing) existing.replaceWith(element); else list.appendChild(element);
    if (atBottom || !existing) list.scrollTop = list.scrollHeight;
}

async function load() {
    $("channel-title").textContent = `#${state.channel}`;
    document.querySelectorAll("#channels a").forEach(a => a.classList.toggle("active", a.dataset.channel === state.channel));
    const response = await api(`/api/chat/channels/${state.channel}/messages`);
    if (!response.ok) return showError(await problem(response));
    state.messages.clear();
    $("messages").replaceChildren();
    for (const message of await response.json()) upsert(message);
}

function connect() {
    state.stream?.close();
    const url = `/api/chat/stream?channel=${state.channel}${token ? `&token=${encodeURIComponent(token)}` : ""}`;
    const stream = new EventSource(url);
    stream.addEventListener("open", () => { setConnection(true); load(); });
    stream.addEventListener("error", () => setConnection(false));
    stream.addEventListener("message", e => upsert(JSON.parse(e.data)));
    state.stream = stream;
}

function setConnection(online) {
    const el = $("connection");
    el.textContent = online ? "live" : "reconnecting…";
    el.className = online ? "online" : "offline";
}

async function problem(response) {
    try { return (await response.json()).detail || response.statusText; } catch { return response.statusText; }
}

function showError(text) {
    const el = $("error");
    el.textContent = text;
    el.hidden = !text;
}

async function send(text) {
    if (!user()) return showError("Type your name first (letters, digits, dots, dashes).");
    const response = await api("/api/chat/messages", { method: "POST", body: JSON.stringify({ channel: state.channel, user: user(), text }) });
    showError(response.ok ? "" : await problem(response));
    return response.ok;
}

async function press(messageId, actionId) {
    if (!user()) return showError("Type your name first.");
    const response = await api("/api/chat/actions", { method: "POST", body: JSON.stringify({ channel: state.channel, user: user(), messageId, actionId }) });
    showError(response.ok ? "" : await problem(response));
}

async function loadCommands() {
    const response = await api(`/api/chat/commands?user=${encodeURIComponent(user() || "anonymous")}`);
    if (response.ok) state.commands = await response.json();
}

function suggest() {
    const text = $("text").value;
    const list = $("suggestions");
    const typed = text.replace(/^\/?(env\s+)?/, "").toLowerCase();
    const matches = text.length === 0 || text.includes(" ") && !text.startsWith("/env ") ? [] :
        state.commands.filter(c => c.verb.startsWith(typed.split(" ")[0]) && typed.split(" ").length <= 1);
    state.selected = matches.length ? 0 : -1;
    list.replaceChildren(...matches.map((c, i) => {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", String(i === state.selected));
        li.dataset.usage = c.usage;
        li.innerHTML = `<code>${escapeHtml(c.usage)}</code><small>${escapeHtml(c.summary)}</small>`;
        li.addEventListener("mousedown", e => { e.preventDefault(); complete(c.usage); });
        return li;
    }));
    list.hidden = matches.length === 0;
}

function complete(usage) {
    $("text").value = `/env ${usage.split(" ")[1]} `;
    $("suggestions").hidden = true;
    $("text").focus();
}

function moveSelection(delta) {
    const items = [...$("suggestions").children];
    if (!items.length) return false;
    state.selected = (state.selected + delta + items.length) % items.length;
    items.forEach((li, i) => li.setAttribute("aria-selected", String(i === state.selected)));
    return true;
}

async function init() {
    $("user").value = params.get("user") || localStorage.getItem("chatops.user") || "";
    $("user").addEventListener("change", loadCommands);
    const response = await api("/api/chat/channels");
    const channels = response.ok ? await response.json() : ["ops"];
    $("channels").replaceChildren(...channels.map(name => {
        const a = document.createElement("a");
        a.href = `?channel=${name}`;
        a.textContent = `#${name}`;
        a.dataset.channel = name;
        a.addEventListener("click", e => { e.preventDefault(); state.channel = name; history.replaceState(null, "", `?channel=${name}`); connect(); });
        return a;
    }));
    $("composer").addEventListener("submit", async e => {
        e.preventDefault();
        const text = $("text").value.trim();
        if (text && await send(text)) $("text").value = "";
        $("suggestions").hidden = true;
    });
    $("text").addEventListener("input", suggest);
    $("text").addEventListener("keydown", e => {
        if (e.key === "ArrowDown" && moveSelection(1)) e.preventDefault();
        else if (e.key === "ArrowUp" && moveSelection(-1)) e.preventDefault();
        else if (e.key === "Tab" && !$("suggestions").hidden) {
            e.preventDefault();
            complete($("suggestions").children[state.selected].dataset.usage);
        } else if (e.key === "Escape") $("suggestions").hidden = true;
    });
    await loadCommands();
    connect();
}

init();
