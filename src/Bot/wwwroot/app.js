// The web chat: channels with unread counts, messages edited in place (by id and version), buttons, threads,
// and the message box (composer.js). Talks only to /api/chat; one event stream carries every channel, so a
// message elsewhere is counted as it arrives.
"use strict";

import { Composer } from "./composer.js";
import { element, refreshRelativeTimes, renderText, timeElement } from "./render.js";

const params = new URLSearchParams(location.search);
const token = params.get("token");
const NAME = /^[A-Za-z0-9._-]{1,32}$/;
const state = {
    channel: params.get("channel") || "ops",
    messages: new Map(),
    seen: new Set(), // ids of every message already shown or counted, so an edit is never counted as new
    unread: new Map(),
    stream: null,
    online: false,
};
const $ = id => document.getElementById(id);
const composer = new Composer($("text"), $("suggestions"), () => $("composer").requestSubmit());

function api(path, options = {}) {
    const headers = { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
    return fetch(path, { ...options, headers });
}

/** A URL of this page keeping its token, so links and reloads stay authorised. */
function pageUrl(channel) {
    const query = new URLSearchParams({ channel });
    if (token) query.set("token", token);
    return `?${query}`;
}

/** The API path with the name typed in this page, so the messages meant for this person alone come too. */
function asViewer(path) {
    const name = currentUser();
    return NAME.test(name) ? `${path}${path.includes("?") ? "&" : "?"}user=${encodeURIComponent(name)}` : path;
}

function withToken(path) {
    return token ? `${path}${path.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}` : path;
}

// --- Messages -------------------------------------------------------------------------------------------

function messageElement(message) {
    const li = element("li", undefined, "message" + (message.user === "bot" ? " bot" : "") + (message.visibleTo ? " private" : ""));
    li.dataset.id = message.id;
    li.dataset.version = message.version;
    li.append(meta(message), textElement(message.text, message.times));
    if (message.hasImage) {
        const img = element("img", undefined, "picture");
        img.alt = "";
        img.src = withToken(`/api/chat/messages/${encodeURIComponent(message.id)}/image`);
        li.append(img);
    }

    if (message.context.length) {
        const context = element("div", undefined, "context");
        message.context.forEach((line, i) => context.append(...(i ? [" · "] : []), renderText(line, message.times)));
        li.append(context);
    }

    if (message.buttons.length) {
        const bar = element("div", undefined, "buttons");
        for (const button of message.buttons) {
            const b = element("button", button.label, button.style);
            b.type = "button";
            b.dataset.action = button.actionId;
            b.addEventListener("click", () => press(message.id, button.actionId));
            bar.append(b);
        }

        li.append(bar);
    }

    const replies = message.replies || [];
    if (replies.length) {
        const thread = element("details", undefined, "thread");
        thread.open = true;
        thread.append(element("summary", `${replies.length} ${replies.length === 1 ? "reply" : "replies"}`));
        for (const reply of replies) {
            const line = element("div", undefined, "reply");
            line.append(element("strong", reply.user), ": ", textElement(reply.text, reply.times));
            thread.append(line);
        }

        li.append(thread);
    }

    return li;
}

// Who, and when it was posted; an edit is marked beside it (with its own time on hover), never replacing it.
function meta(message) {
    const div = element("div", undefined, "meta");
    div.append(element("strong", message.user), " · ", timeElement(message.createdAt));
    // Help and refusals answer one person, as Slack and Teams show them.
    if (message.visibleTo) div.append(element("span", "only you can see this", "only-you"));
    if (message.version > 1) {
        const edited = element("span", "edited", "edited");
        edited.title = `edited ${new Date(message.updatedAt).toLocaleString()}`;
        div.append(edited);
    }

    return div;
}

function textElement(text, times) {
    const span = element("span", undefined, "text");
    span.append(renderText(text, times || []));
    return span;
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
    const list = $("messages");
    list.querySelector(".welcome")?.remove();
    const element = messageElement(state.messages.get(message.id));
    const existing = list.querySelector(`[data-id="${CSS.escape(message.id)}"]`);
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    if (existing) existing.replaceWith(element); else list.append(element);
    if (atBottom || !existing) list.scrollTop = list.scrollHeight;
}

function welcome() {
    const li = element("li", undefined, "welcome");
    if (state.channel === "ops") {
        li.append(renderText("Welcome to ChatOps. Ask the bot here: type `help` to see what you can ask, `/env up test` to start an environment, or just say *bring up dev*. Type `/` for every command."));
    } else {
        li.append(renderText(`Nothing in #${state.channel} yet. The bot posts here when there is something to say.`));
    }

    return li;
}

async function load() {
    const channel = state.channel;
    $("channel-title").textContent = `#${channel}`;
    const response = await api(asViewer(`/api/chat/channels/${encodeURIComponent(channel)}/messages`));
    if (channel !== state.channel) return; // another channel was chosen meanwhile
    if (!response.ok) return showError(await problem(response));
    const messages = await response.json();
    state.messages.clear();
    $("messages").replaceChildren();
    for (const message of messages) {
        seeAll(message);
        upsert(message);
    }

    if (!messages.length) $("messages").append(welcome());
}

function seeAll(message) {
    state.seen.add(message.id);
    (message.replies || []).forEach(r => state.seen.add(r.id));
}

// --- Channels and unread counts --------------------------------------------------------------------------

function renderChannels(channels) {
    $("channels").replaceChildren(...channels.map(name => {
        const a = element("a", `#${name}`);
        a.href = pageUrl(name);
        a.dataset.channel = name;
        if (/alert/.test(name)) a.classList.add("alerting");
        a.append(element("span", "", "unread"));
        a.addEventListener("click", e => { e.preventDefault(); choose(name); });
        return a;
    }));
    showUnread();
}

/** Opens or closes the channel list (on a phone it covers the chat). */
function setMenu(open) {
    document.body.classList.toggle("menu-open", open);
    $("menu").setAttribute("aria-expanded", String(open));
}

function choose(channel) {
    state.channel = channel;
    state.unread.delete(channel);
    history.replaceState(null, "", pageUrl(channel));
    setMenu(false);
    showUnread();
    load();
}

/** A message from the stream: shown when it is in this channel, counted when it is new elsewhere. */
function arrived(message) {
    // Version 1 is the post itself; later versions are edits, of messages this page may never have listed.
    const isNew = message.version === 1 && !state.seen.has(message.id);
    state.seen.add(message.id);
    const here = message.channel === state.channel;
    if (here) upsert(message);
    // Counted: new top-level messages by others, in another channel or while this tab is in the background.
    if (isNew && !message.threadOf && message.user !== currentUser() && (!here || document.hidden)) {
        state.unread.set(message.channel, (state.unread.get(message.channel) ?? 0) + 1);
        showUnread();
    }
}

function showUnread() {
    let total = 0;
    for (const a of document.querySelectorAll("#channels a")) {
        const count = state.unread.get(a.dataset.channel) ?? 0;
        total += count;
        a.classList.toggle("active", a.dataset.channel === state.channel);
        a.classList.toggle("has-unread", count > 0);
        a.querySelector(".unread").textContent = count ? String(count) : "";
        a.setAttribute("aria-label", count ? `#${a.dataset.channel}, ${count} unread` : `#${a.dataset.channel}`);
    }

    document.title = total ? `(${total}) ChatOps` : "ChatOps";
    const badge = $("menu-unread");
    badge.textContent = total ? String(total) : "";
    badge.classList.toggle("alerting", [...state.unread.keys()].some(c => /alert/.test(c)));
}

document.addEventListener("visibilitychange", () => {
    if (!document.hidden && state.unread.delete(state.channel)) showUnread();
});

// --- Connection ------------------------------------------------------------------------------------------

function connect() {
    state.stream?.close();
    const stream = new EventSource(withToken(asViewer("/api/chat/stream")));
    stream.addEventListener("open", () => { setConnection(true); load(); });
    stream.addEventListener("error", () => setConnection(false));
    stream.addEventListener("message", e => arrived(JSON.parse(e.data)));
    state.stream = stream;
}

function setConnection(online) {
    state.online = online;
    const el = $("connection");
    el.textContent = online ? "live" : "reconnecting…";
    el.className = online ? "online" : "offline";
    const send = $("send");
    send.textContent = online ? "Send" : "Offline";
    send.title = online ? "" : "The bot cannot be reached; what you type is kept until it is back.";
    send.classList.toggle("offline", !online);
}

async function problem(response) {
    try { return (await response.json()).detail || response.statusText; } catch { return response.statusText; }
}

function showError(text) {
    const el = $("error");
    el.textContent = text;
    el.hidden = !text;
}

// --- Who is typing ---------------------------------------------------------------------------------------

function currentUser() {
    return $("user").value.trim();
}

/** Why the name cannot be used, or "" when it can. */
function nameProblem(name) {
    if (!name) return "Type your name first.";
    if (!NAME.test(name)) return "Use 1 to 32 letters, digits, dots, dashes or underscores: no spaces.";
    return "";
}

function checkName({ focus } = {}) {
    const name = currentUser();
    const why = nameProblem(name);
    $("user-error").textContent = why;
    $("user-error").hidden = !why;
    $("user").setAttribute("aria-invalid", String(!!why));
    if (!why) localStorage.setItem("chatops.user", name);
    else if (focus) {
        setMenu(true);
        $("user").focus();
    }

    return !why;
}

// --- Sending ---------------------------------------------------------------------------------------------

async function send(text) {
    if (!checkName({ focus: true })) return false;
    let response;
    try {
        response = await api("/api/chat/messages", { method: "POST", body: JSON.stringify({ channel: state.channel, user: currentUser(), text }) });
    } catch {
        showError("The bot cannot be reached, so nothing was sent. Your message is still in the box: send it again when the bot is back.");
        return false;
    }

    if (response.ok) {
        showError("");
        return true;
    }

    const detail = await problem(response);
    if (detail.includes("`user`") || detail.includes("own name")) {
        $("user-error").textContent = detail;
        $("user-error").hidden = false;
    }

    showError(detail);
    return false;
}

async function press(messageId, actionId) {
    if (!checkName({ focus: true })) return;
    try {
        const response = await api("/api/chat/actions", { method: "POST", body: JSON.stringify({ channel: state.channel, user: currentUser(), messageId, actionId }) });
        showError(response.ok ? "" : await problem(response));
    } catch {
        showError("The bot cannot be reached, so the press was not sent. Try again when it is back.");
    }
}

async function loadCommands() {
    try {
        const response = await api(`/api/chat/commands?user=${encodeURIComponent(currentUser() || "anonymous")}`);
        if (response.ok) composer.setCommands(await response.json());
    } catch { /* offline: autocomplete waits for the next change of name */ }
}

async function init() {
    $("user").value = params.get("user") || localStorage.getItem("chatops.user") || "";
    // Another name sees other messages meant for one person: listen and list again as that name.
    $("user").addEventListener("change", () => { if (checkName()) { loadCommands(); connect(); } });
    $("user").addEventListener("input", () => { if ($("user").getAttribute("aria-invalid") === "true") checkName(); });
    // Enter in the name box moves on to the message box once the name is good.
    $("user").addEventListener("keydown", e => {
        if (e.key !== "Enter" || !checkName()) return;
        loadCommands();
        setMenu(false);
        $("text").focus();
    });
    $("menu").addEventListener("click", () => setMenu(!document.body.classList.contains("menu-open")));
    $("scrim").addEventListener("click", () => setMenu(false));
    $("composer").addEventListener("submit", async e => {
        e.preventDefault();
        const text = $("text").value.trim();
        if (text && await send(text)) {
            composer.remember(text);
            $("text").value = "";
        }
    });

    let channels = ["ops"];
    try {
        const response = await api("/api/chat/channels");
        if (response.ok) channels = await response.json();
    } catch { /* shown by the connection state */ }
    renderChannels(channels);

    // The first visit starts at the name box, with the reason it is needed; a returning visitor at the message box.
    if (currentUser()) $("text").focus(); else { setMenu(true); $("user").focus(); }
    await loadCommands();
    // "3 minutes ago" must not stay "just now": relative times move on while the page is open.
    setInterval(() => refreshRelativeTimes(), 60_000);
    connect();
}

init();
