/* The cellforge UI's page script: small progressive enhancements over server-rendered pages
   (local times, compare selection, uPlot charts, DAG highlighting, alias promotion, the try-it form).
   Plain browser JavaScript, no build. */
/* global document, window, ResizeObserver, uPlot */
"use strict";

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value;
    else if (key === "style") node.setAttribute("style", value);
    else node.setAttribute(key, value);
  }
  for (const child of children)
    node.append(child instanceof window.Node ? child : document.createTextNode(String(child)));
  return node;
}

function jsonData(id) {
  const script = document.getElementById(id);
  return script === null ? undefined : JSON.parse(script.textContent);
}

function formatNumber(value) {
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

/* Times: the server writes UTC; show the reader's local time, keep UTC in the tooltip. */
function localTimes() {
  for (const time of $$("time[datetime]")) {
    const date = new Date(time.getAttribute("datetime"));
    if (Number.isNaN(date.getTime())) continue;
    time.title = time.textContent;
    const pad = (n) => String(n).padStart(2, "0");
    time.textContent = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  }
}

/* Runs table: the compare button says how many runs are selected and needs two. */
function compareSelection() {
  const button = $("#compare-button");
  if (button === null) return;
  const boxes = $$('input[type="checkbox"][name="run"]');
  const update = () => {
    const selected = boxes.filter((b) => b.checked).length;
    button.disabled = selected < 2;
    button.textContent = selected < 2 ? "Compare selected runs" : `Compare ${selected} runs`;
  };
  for (const box of boxes) box.addEventListener("change", update);
  update();
}

/* Runs table: the columns the user chose, remembered in this browser per pipeline (shown/hidden; others keep their default). */
function columnChooser() {
  const chooser = $("details.column-chooser");
  if (chooser === null) return;
  const key = chooser.dataset.storageKey;
  const boxes = $$('input[type="checkbox"]', chooser);
  const defaults = new Map(boxes.map((b) => [b.value, b.checked]));
  const read = () => {
    try {
      const saved = JSON.parse(localStorage.getItem(key) ?? "{}");
      return { shown: new Set(saved.shown ?? []), hidden: new Set(saved.hidden ?? []) };
    } catch {
      return { shown: new Set(), hidden: new Set() };
    }
  };
  const show = (column, visible) => {
    for (const cell of $$("table.runs [data-col]")) if (cell.dataset.col === column) cell.hidden = !visible;
  };
  const apply = () => {
    const { shown, hidden } = read();
    for (const box of boxes) {
      box.checked = shown.has(box.value) ? true : hidden.has(box.value) ? false : defaults.get(box.value);
      show(box.value, box.checked);
    }
  };
  for (const box of boxes) {
    box.addEventListener("change", () => {
      const { shown, hidden } = read();
      (box.checked ? shown : hidden).add(box.value);
      (box.checked ? hidden : shown).delete(box.value);
      localStorage.setItem(key, JSON.stringify({ shown: [...shown], hidden: [...hidden] }));
      show(box.value, box.checked);
    });
  }
  $("[data-reset]", chooser)?.addEventListener("click", () => {
    localStorage.removeItem(key);
    apply();
  });
  apply();
  chooser.hidden = false;
}

/* A message that must outlive a reload (e.g. the confirmation of a promotion), shown at the top of the next page. */
const FLASH_KEY = "cellforge.flash";

function flash() {
  const message = sessionStorage.getItem(FLASH_KEY);
  if (message === null) return;
  sessionStorage.removeItem(FLASH_KEY);
  $("main").prepend(el("p", { class: "flash", role: "status" }, message));
}

/* Compare page: hide the rows that are the same in every run. */
function onlyDifferences() {
  const toggle = $("#only-differences");
  if (toggle === null) return;
  toggle.addEventListener("change", () => document.body.classList.toggle("only-differences", toggle.checked));
}

/* Charts: one uPlot per spec, steps on x, one line per series, resized with its container. */
const PALETTE = ["#1d5fd1", "#d1495b", "#2a9d8f", "#e9a03b", "#6d4bc3", "#6b7a8f", "#c2185b", "#00838f"];

function charts() {
  const specs = jsonData("chart-data");
  if (specs === undefined || typeof uPlot === "undefined") return;
  for (const spec of specs) {
    const container = document.getElementById(spec.id);
    if (container === null) continue;
    const steps = [...new Set(spec.series.flatMap((s) => s.steps))].sort((a, b) => a - b);
    const columns = spec.series.map((s) => {
      const at = new Map(s.steps.map((step, i) => [step, s.values[i]]));
      return steps.map((step) => (at.has(step) ? at.get(step) : null));
    });
    const width = () => Math.max(280, container.clientWidth);
    const options = {
      width: width(),
      height: 240,
      scales: { x: { time: false } },
      axes: [
        // Steps are whole numbers (epochs): no ticks between them.
        {
          label: spec.xLabel,
          stroke: "#5a6576",
          grid: { stroke: "#eef1f5" },
          ticks: { stroke: "#dde3ea" },
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000],
        },
        {
          stroke: "#5a6576",
          grid: { stroke: "#eef1f5" },
          ticks: { stroke: "#dde3ea" },
          size: 56,
          values: (u, values) => values.map(formatNumber),
        },
      ],
      series: [
        { label: spec.xLabel },
        ...spec.series.map((s, i) => ({
          label: s.label,
          stroke: PALETTE[i % PALETTE.length],
          width: 2,
          spanGaps: true,
          points: { show: steps.length <= 30 },
          value: (u, v) => (v === null ? "—" : formatNumber(v)),
        })),
      ],
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
    };
    const plot = new uPlot(options, [steps, ...columns], container);
    container.dataset.rendered = "true";
    // Resize on the next frame and only when the width changed: resizing inside the observer's callback
    // would trigger it again ("ResizeObserver loop completed with undelivered notifications").
    let drawnWidth = width();
    new ResizeObserver(() =>
      window.requestAnimationFrame(() => {
        if (width() === drawnWidth) return;
        drawnWidth = width();
        plot.setSize({ width: drawnWidth, height: 240 });
      }),
    ).observe(container);
  }
}

/* DAG: focusing or hovering a box lights it, its edges and its neighbours. */
function dagHighlight() {
  for (const svg of $$("svg.dag")) {
    const edges = $$(".edge", svg);
    const boxes = new Map($$(".box", svg).map((b) => [b.dataset.id, b]));
    const light = (id) => {
      svg.classList.add("highlighting");
      boxes.get(id)?.classList.add("lit");
      for (const edge of edges) {
        if (edge.dataset.from === id || edge.dataset.to === id) {
          edge.classList.add("lit");
          boxes.get(edge.dataset.from === id ? edge.dataset.to : edge.dataset.from)?.classList.add("lit");
        }
      }
    };
    const clear = () => {
      svg.classList.remove("highlighting");
      for (const node of $$(".lit", svg)) node.classList.remove("lit");
    };
    for (const [id, box] of boxes) {
      box.addEventListener("mouseenter", () => light(id));
      box.addEventListener("focus", () => light(id));
      box.addEventListener("mouseleave", clear);
      box.addEventListener("blur", clear);
    }
  }
}

/* Models: POST the alias move with the admin token (kept for this tab only). */
function promoteForms() {
  for (const form of $$("form.promote")) {
    const token = $('input[name="token"]', form);
    const saved = sessionStorage.getItem("cellforge.adminToken");
    if (saved !== null && token.value === "") token.value = saved;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = $(".result", form);
      const button = $('button[type="submit"]', form);
      const version = Number($('select[name="version"]', form).value);
      const alias = $('input[name="alias"]', form).value.trim();
      result.className = "result";
      result.textContent = "Promoting…";
      button.disabled = true;
      try {
        const response = await fetch(
          `/ui/api/models/${encodeURIComponent(form.dataset.model)}/aliases/${encodeURIComponent(alias)}`,
          {
            method: "POST",
            headers: {
              "content-type": "application/json",
              authorization: `Bearer ${token.value}`,
              "x-csrf-token": form.dataset.csrf,
            },
            body: JSON.stringify({ version }),
          },
        );
        const body = await response.json();
        if (!response.ok) {
          result.className = "result failed";
          result.textContent = body.message || `The server answered ${response.status}.`;
          return;
        }
        sessionStorage.setItem("cellforge.adminToken", token.value);
        result.className = "result ok";
        result.textContent = `${body.message} Reloading…`;
        // The page reloads to show the new aliases; the confirmation stays on it.
        sessionStorage.setItem(FLASH_KEY, body.message);
        window.setTimeout(() => window.location.reload(), 900);
      } catch (error) {
        result.className = "result failed";
        result.textContent = `The request failed: ${error.message}`;
      } finally {
        button.disabled = false;
      }
    });
  }
}

/* Try it: fields → JSON record by each field's data-kind; the answer drawn from the response schema. */
function fieldValue(field) {
  const kind = field.dataset.kind;
  const nullable = field.dataset.nullable === "true";
  const required = field.dataset.required === "true";
  if (kind === "boolean") return field.checked;
  const text = field.value.trim();
  if (text === "") {
    if (nullable) return null;
    if (!required) return undefined;
    if (kind === "list" || kind === "number-list") return [];
    throw new Error(`${field.name} is required.`);
  }
  switch (kind) {
    case "number":
    case "integer": {
      const number = Number(text);
      if (!Number.isFinite(number)) throw new Error(`${field.name} must be a number.`);
      return number;
    }
    case "list":
      return text
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t !== "");
    case "number-list":
      return text.split(",").map((t) => Number(t.trim()));
    case "json":
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`${field.name} must be JSON.`);
      }
    default:
      return text;
  }
}

function readRecord(form) {
  const record = {};
  for (const field of $$("[data-kind]", form)) {
    const value = fieldValue(field);
    if (value !== undefined) record[field.name] = value;
  }
  return record;
}

function fillRecord(form, record) {
  for (const field of $$("[data-kind]", form)) {
    const value = record[field.name];
    if (field.dataset.kind === "boolean") field.checked = value === true;
    else if (value === undefined || value === null) field.value = "";
    else if (Array.isArray(value)) field.value = value.join(", ");
    else if (typeof value === "object") field.value = JSON.stringify(value);
    else field.value = String(value);
  }
}

function percent(value) {
  return `${(value * 100).toFixed(value >= 0.995 || value < 0.001 ? 0 : 1)}%`;
}

function bars(entries, asShare) {
  const max = Math.max(...entries.map(([, v]) => v), 1e-12);
  const list = el("ul", { class: "bars" });
  for (const [name, value] of entries) {
    const width = asShare ? Math.max(0, Math.min(1, value)) : value / max;
    list.append(
      el(
        "li",
        {},
        el("span", { class: "name" }, name),
        el(
          "span",
          { class: "track", "aria-hidden": "true" },
          el("span", { class: "fill-bar", style: `width:${(width * 100).toFixed(1)}%` }),
        ),
        el("span", { class: "value" }, asShare ? percent(value) : formatNumber(value)),
      ),
    );
  }
  return list;
}

function answerPart(name, value, schema) {
  const part = el("div", { class: "answer-part" }, el("h3", {}, name));
  if (schema !== undefined && typeof schema.description === "string")
    part.append(el("p", { class: "describe" }, schema.description));
  if (typeof value === "string") {
    part.append(el("p", { class: "headline", "data-field": name }, value));
  } else if (typeof value === "boolean") {
    part.append(el("p", { class: value ? "yes" : "no", "data-field": name }, value ? "Yes" : "No"));
  } else if (typeof value === "number") {
    if (value >= 0 && value <= 1 && /probab|share|score/i.test(name)) {
      const meter = el(
        "div",
        { class: "meter", "data-field": name },
        el(
          "span",
          { class: "track", "aria-hidden": "true" },
          el("span", { class: "fill-bar", style: `width:${(value * 100).toFixed(1)}%` }),
        ),
        el("span", { class: "value" }, percent(value)),
      );
      part.append(meter);
    } else part.append(el("p", { "data-field": name }, formatNumber(value)));
  } else if (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === "number")
  ) {
    const entries = Object.entries(value).sort(([, a], [, b]) => b - a);
    const asShare = entries.every(([, v]) => v >= 0 && v <= 1);
    const top = entries.slice(0, 6);
    part.append(bars(top, asShare));
    if (entries.length > top.length) {
      const more = el("details", {}, el("summary", {}, `All ${entries.length}`), bars(entries, asShare));
      part.append(more);
    }
  } else {
    part.append(el("pre", { class: "code" }, JSON.stringify(value, null, 2)));
  }
  return part;
}

function showPrediction(answer, schema) {
  const target = $("#prediction");
  target.replaceChildren();
  const properties = (schema && schema.properties) || {};
  const record = Array.isArray(answer) ? answer[0] : answer && answer.predictions ? answer.predictions[0] : answer;
  if (record !== null && typeof record === "object" && !Array.isArray(record)) {
    const names = [
      ...Object.keys(properties).filter((k) => k in record),
      ...Object.keys(record).filter((k) => !(k in properties)),
    ];
    for (const name of names) target.append(answerPart(name, record[name], properties[name]));
  } else {
    target.append(answerPart("answer", record, schema));
  }
  target.dataset.answered = "true";
}

function shellQuote(text) {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

function tryForm() {
  const form = $("#predict-form");
  if (form === null) return;
  const schema = jsonData("output-schema");
  const error = $("#predict-error");
  const curl = $("#curl");
  const updateCurl = () => {
    try {
      curl.textContent = `curl -s ${window.location.origin}/predict \\\n  -H 'content-type: application/json' \\\n  -d ${shellQuote(JSON.stringify(readRecord(form)))}`;
    } catch (e) {
      curl.textContent = e.message;
    }
  };
  form.addEventListener("input", updateCurl);
  updateCurl();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    let record;
    try {
      record = readRecord(form);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
      return;
    }
    const button = $("#predict-button");
    button.disabled = true;
    button.textContent = "Predicting…";
    try {
      const response = await fetch("/predict", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(record),
      });
      const body = await response.json();
      $("#raw-json").textContent = JSON.stringify(body, null, 2);
      if (!response.ok) {
        error.textContent = body.message || `The server answered ${response.status}.`;
        error.hidden = false;
        return;
      }
      showPrediction(body, schema);
    } catch (e) {
      error.textContent = `The request failed: ${e.message}`;
      error.hidden = false;
    } finally {
      button.disabled = false;
      button.textContent = "Predict";
    }
  });

  const fill = $("#fill-form");
  if (fill === null) return;
  fill.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = $("#fill-name").value.trim();
    error.hidden = true;
    try {
      const response = await fetch(`/ui/api/samples?${new URLSearchParams({ name })}`);
      const body = await response.json();
      if (!response.ok) throw new Error(body.message || `The server answered ${response.status}.`);
      fillRecord(form, body.record);
      const current = $("#fill-current");
      if (current !== null) current.textContent = body.label;
      updateCurl();
      $("#prediction").replaceChildren(el("p", { class: "muted" }, `Filled with ${body.label}; press Predict.`));
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  flash();
  localTimes();
  compareSelection();
  columnChooser();
  onlyDifferences();
  charts();
  dagHighlight();
  promoteForms();
  tryForm();
});
