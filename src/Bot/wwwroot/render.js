// Message text to DOM nodes. Text is never parsed as HTML: every piece becomes a text node or an element built
// here, so a message cannot inject markup. Understood: `code`, *bold*, http(s) links, and the status marks the
// bot writes as emoji, which are drawn with the page's own icons (a machine without an emoji font shows them too).
"use strict";

const SVG = "http://www.w3.org/2000/svg";

// Each status mark: what it means (read aloud and shown on hover) and how it is drawn. Marks with no drawing
// become a short word, which any font can show.
const MARKS = {
    "✅": { label: "done", icon: "ok" },
    "❌": { label: "failed", icon: "fail" },
    "⏳": { label: "in progress", icon: "run" },
    "🔄": { label: "running", icon: "run" },
    "⬜": { label: "to do", icon: "todo" },
    "➖": { label: "skipped", icon: "skip" },
    "🚫": { label: "stopped", icon: "stop" },
    "⌛": { label: "timed out", icon: "late" },
    "⚠": { label: "warning", icon: "warn" },
    "❓": { label: "question", icon: "ask" },
    "🔐": { label: "approval", icon: "ask" },
    "🔴": { label: "critical", icon: "crit" },
    "🟠": { label: "firing", icon: "firing" },
    "🚨": { label: "alarm", icon: "crit" },
    "🔒": { label: "locked" },
    "🔓": { label: "unlocked" },
    "👀": { label: "acknowledged" },
    "🔕": { label: "muted" },
    "🔔": { label: "unmuted" },
    "🚀": { label: "deploy" },
    "🧵": { label: "group" },
    "📟": { label: "paging" },
    "🧾": { label: "audit" },
    "🎉": { label: "" },
};

// Shapes in a 16×16 box: a filled or outlined circle and a white (or coloured) stroke on it.
const ICONS = {
    ok: { fill: "#15803d", path: "M4.5 8.3l2.4 2.4 4.6-5" },
    fail: { fill: "#b91c1c", path: "M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6" },
    run: { fill: "#2563eb", path: "M8 4.2V8l2.6 1.8" },
    late: { fill: "#b45309", path: "M8 4.2V8l2.6 1.8" },
    todo: { ring: "#6b7280" },
    skip: { ring: "#6b7280", path: "M5 8h6", stroke: "#6b7280" },
    stop: { ring: "#b91c1c", path: "M4.6 11.4l6.8-6.8", stroke: "#b91c1c" },
    ask: { fill: "#2563eb", path: "M6 6.2a2 2 0 1 1 2.6 1.9c-.5.2-.6.6-.6 1.1v.4M8 11.4v.2" },
    crit: { fill: "#b91c1c" },
    firing: { fill: "#c2410c" },
    warn: { triangle: "#b45309", path: "M8 6v3.6M8 11.6v.2" },
};

const TOKEN = new RegExp(
    [
        "`([^`\\n]+)`", // 1: code
        "\\*([^*\\n]+)\\*", // 2: bold
        "(https?:\\/\\/[^\\s<>\"'`]+)", // 3: link
        `(${Object.keys(MARKS).join("|")})\\uFE0F?`, // 4: status mark
    ].join("|"), "gu");

/**
 * A fragment of nodes for a message's text. `times` are the moments the bot named in it ({ at, text }): each
 * `text` in the message becomes a relative time with the exact one on hover.
 */
export function renderText(text, times = []) {
    const fragment = document.createDocumentFragment();
    const plain = piece => fragment.append(...withTimes(piece, times));
    let at = 0;
    for (const match of text.matchAll(TOKEN)) {
        plain(text.slice(at, match.index));
        at = match.index + match[0].length;
        if (match[1] !== undefined) {
            fragment.append(element("code", match[1]));
        } else if (match[2] !== undefined) {
            const strong = document.createElement("strong");
            strong.append(renderText(match[2], times));
            fragment.append(strong);
        } else if (match[3] !== undefined) {
            // Sentence punctuation after a link belongs to the sentence.
            const url = match[3].replace(/[.,;:!?)\]]+$/, "");
            fragment.append(link(url) ?? url);
            plain(match[3].slice(url.length));
        } else {
            fragment.append(mark(match[4]));
        }
    }

    plain(text.slice(at));
    return fragment;
}

// Plain text with each time's stand-in text made a <time> element; the rest stays text.
function withTimes(text, times) {
    const nodes = [];
    let rest = text;
    while (rest) {
        let first = null;
        for (const time of times) {
            const index = time.text ? rest.indexOf(time.text) : -1;
            if (index >= 0 && (first === null || index < first.index)) first = { index, time };
        }

        if (first === null) break;
        nodes.push(rest.slice(0, first.index), relativeTime(first.time.at));
        rest = rest.slice(first.index + first.time.text.length);
    }

    nodes.push(rest);
    return nodes.filter(n => n !== "");
}

/** A moment as "3 minutes ago", with the exact time on hover; kept current by refreshRelativeTimes. */
export function relativeTime(iso) {
    const date = new Date(iso);
    const time = element("time", relative(date), "relative");
    time.dateTime = date.toISOString();
    time.title = date.toLocaleString([], { dateStyle: "full", timeStyle: "long" });
    return time;
}

/** Brings every relative time on the page up to date: called every minute. */
export function refreshRelativeTimes(root = document) {
    for (const time of root.querySelectorAll("time.relative")) time.textContent = relative(new Date(time.dateTime));
}

const UNITS = [["year", 31_536_000], ["month", 2_592_000], ["week", 604_800], ["day", 86_400], ["hour", 3_600], ["minute", 60]];
const RELATIVE = new Intl.RelativeTimeFormat([], { numeric: "auto" });

function relative(date) {
    const seconds = (date.getTime() - Date.now()) / 1000;
    if (Math.abs(seconds) < 45) return seconds > 0 ? "in a moment" : "just now";
    for (const [unit, size] of UNITS) {
        if (Math.abs(seconds) >= size || unit === "minute") return RELATIVE.format(Math.round(seconds / size), unit);
    }
}

function link(url) {
    let parsed;
    try { parsed = new URL(url); } catch { return null; }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    const a = element("a", url);
    a.href = parsed.href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
}

function mark(emoji) {
    const { label, icon } = MARKS[emoji];
    if (!label) return "";
    if (!icon) {
        const tag = element("span", label);
        tag.className = "tag";
        return tag;
    }

    const shape = ICONS[icon];
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("class", `status status-${icon}`);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
    svg.append(svgElement("title", { }, label));
    if (shape.fill) svg.append(svgElement("circle", { cx: 8, cy: 8, r: 7.5, fill: shape.fill }));
    if (shape.ring) svg.append(svgElement("circle", { cx: 8, cy: 8, r: 6.5, fill: "none", stroke: shape.ring, "stroke-width": 1.6 }));
    if (shape.triangle) svg.append(svgElement("path", { d: "M8 1.2L15.2 14.6H.8Z", fill: shape.triangle }));
    if (shape.path) {
        svg.append(svgElement("path", {
            d: shape.path, fill: "none", stroke: shape.stroke ?? "#fff", "stroke-width": 1.8, "stroke-linecap": "round", "stroke-linejoin": "round",
        }));
    }

    return svg;
}

function svgElement(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
}

/** An element with plain text content. */
export function element(name, text, className) {
    const node = document.createElement(name);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
}

/** When a message was posted, short, with the full date on hover. */
export function timeElement(iso) {
    const date = new Date(iso);
    const time = element("time", sameDay(date, new Date())
        ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
        : date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }));
    time.dateTime = date.toISOString();
    time.title = date.toLocaleString([], { dateStyle: "full", timeStyle: "long" });
    return time;
}

function sameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}
