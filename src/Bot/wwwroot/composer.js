// The message box: autocomplete from the bot's command catalog (every verb of every command), Enter or Tab
// taking the highlighted suggestion, and ArrowUp/ArrowDown walking back through what was sent.
"use strict";

import { element } from "./render.js";

const HISTORY_KEY = "chatops.sent";
const HISTORY_SIZE = 50;

export class Composer {
    /**
     * @param {HTMLInputElement} input
     * @param {HTMLUListElement} list
     * @param {() => void} submit sends the box's text
     */
    constructor(input, list, submit) {
        this.input = input;
        this.list = list;
        this.submit = submit;
        this.commands = [];
        this.matches = [];
        this.selected = -1;
        this.sent = readHistory();
        this.recalled = -1; // index into sent while walking back, -1 when not
        input.addEventListener("input", () => { this.recalled = -1; this.suggest(); });
        input.addEventListener("keydown", e => this.keydown(e));
        input.addEventListener("blur", () => this.close());
    }

    /** The catalog from GET /api/chat/commands: {verb, usage, summary}. */
    setCommands(commands) {
        // What is typed before the arguments: "/env provision" of "/env provision <env> [version=…]".
        this.commands = commands.map(c => ({ ...c, head: c.usage.replace(/\s*[<[].*$/, ""), takesArguments: /[<[]/.test(c.usage) }));
    }

    /** Remembers a message sent, for ArrowUp. */
    remember(text) {
        if (this.sent.at(-1) !== text) this.sent.push(text);
        this.sent = this.sent.slice(-HISTORY_SIZE);
        this.recalled = -1;
        try { localStorage.setItem(HISTORY_KEY, JSON.stringify(this.sent)); } catch { /* private mode: memory only */ }
    }

    suggest() {
        const typed = this.input.value.trimStart().replace(/\s+/g, " ").toLowerCase();
        // Only while the command and verb are being typed: once a whole verb and a space are there, arguments follow.
        this.matches = typed.startsWith("/") ? this.commands.filter(c => c.head.startsWith(typed)) : [];
        this.selected = this.matches.length ? 0 : -1;
        this.list.replaceChildren(...this.matches.map((c, i) => {
            const li = element("li");
            li.id = `suggestion-${i}`;
            li.setAttribute("role", "option");
            li.append(element("code", c.usage), element("small", c.summary));
            li.addEventListener("mousedown", e => { e.preventDefault(); this.take(i); });
            return li;
        }));
        this.show(this.matches.length > 0);
    }

    keydown(e) {
        const open = !this.list.hidden && this.matches.length > 0;
        if (open && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
            e.preventDefault();
            this.move(e.key === "ArrowDown" ? 1 : -1);
        } else if (open && e.key === "Tab") {
            e.preventDefault();
            this.take(this.selected);
        } else if (open && e.key === "Enter") {
            // A complete command that takes nothing more ("/pulse", "/env list") is sent; otherwise Enter completes.
            const choice = this.matches[this.selected];
            const typed = this.input.value.trim().replace(/\s+/g, " ").toLowerCase();
            e.preventDefault();
            if (typed === choice.head && !choice.takesArguments) {
                this.close();
                this.submit();
            } else {
                this.take(this.selected);
            }
        } else if (open && e.key === "Escape") {
            e.preventDefault();
            this.close();
        } else if (e.key === "ArrowUp" && (this.input.value === "" || this.recalled >= 0) && this.sent.length) {
            e.preventDefault();
            this.recall(this.recalled < 0 ? this.sent.length - 1 : Math.max(0, this.recalled - 1));
        } else if (e.key === "ArrowDown" && this.recalled >= 0) {
            e.preventDefault();
            if (this.recalled + 1 < this.sent.length) this.recall(this.recalled + 1);
            else { this.recalled = -1; this.input.value = ""; }
        }
    }

    recall(index) {
        this.recalled = index;
        this.input.value = this.sent[index];
        const end = this.input.value.length;
        this.input.setSelectionRange(end, end);
    }

    move(delta) {
        this.selected = (this.selected + delta + this.matches.length) % this.matches.length;
        this.highlight();
    }

    take(index) {
        const choice = this.matches[index];
        this.input.value = choice.takesArguments ? `${choice.head} ` : choice.head;
        this.close();
        this.input.focus();
    }

    close() {
        this.matches = [];
        this.show(false);
    }

    show(visible) {
        this.list.hidden = !visible;
        this.input.setAttribute("aria-expanded", String(visible));
        this.highlight();
    }

    highlight() {
        [...this.list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === this.selected)));
        const active = this.list.children[this.selected];
        if (active && !this.list.hidden) {
            this.input.setAttribute("aria-activedescendant", active.id);
            active.scrollIntoView({ block: "nearest" });
        } else {
            this.input.removeAttribute("aria-activedescendant");
        }
    }
}

function readHistory() {
    try {
        const stored = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? "[]");
        return Array.isArray(stored) ? stored.filter(s => typeof s === "string").slice(-HISTORY_SIZE) : [];
    } catch {
        return [];
    }
}
