"use strict";
// junction-central dashboard: live junction state over server-sent events, history over the JSON API.
// Plain browser JavaScript with no libraries: the city network has no internet, so nothing comes from a CDN.

const state = { junctions: new Map(), selected: null, central: null, previousCentral: null, rate: null };
const SVG = "http://www.w3.org/2000/svg";
const PALETTE = ["#2b6cb0", "#dd6b20", "#2f855a", "#b83280", "#6b46c1", "#c53030", "#2c7a7b", "#975a16",
  "#4a5568", "#d69e2e", "#38a169", "#805ad5", "#e53e3e", "#3182ce", "#ed8936", "#319795"];

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attributes, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
  for (const child of children.flat()) if (child) node.append(child);
  return node;
}

function modeClass(junction) {
  if (!junction.online) return "mode-offline";
  return "mode-" + (junction.mode || "offline");
}

function modeLabel(junction) {
  if (!junction.online) return junction.ageMilliseconds === null ? "never seen" : "offline";
  if (junction.mode === "flash" && junction.flashReason) return "flash · " + junction.flashReason;
  return junction.mode || "unknown";
}

// Which lamps of a head are lit, and whether they flash, for each SignalState.
const LAMPS = {
  red: { red: "on" }, redAmber: { red: "on", amber: "on" }, green: { green: "on" }, amber: { amber: "on" },
  flashingAmber: { amber: "blink" }, flashingRed: { red: "blink" }, dark: {},
  dontWalk: { red: "on" }, walk: { green: "on" }, flashingDontWalk: { red: "blink" },
};

function lamp(cx, cy, radius, colour, lit, arrow) {
  const group = svg("g");
  const circle = svg("circle", { cx, cy, r: radius, class: lit ? "lamp-" + colour + (lit === "blink" ? " blink" : "") : "lamp-off" });
  group.append(circle);
  if (arrow) {
    // A right-turn arrow (the protected turn across traffic in left-hand Cirebon).
    group.append(svg("path", { d: `M${cx - 4} ${cy + 3} v-4 h5 v-3 l4 5 l-4 5 v-3 h-3 v0 z`, fill: "#111", opacity: lit ? 0.75 : 0.5 }));
  }
  return group;
}

function signalHead(group) {
  const lit = LAMPS[group.aspect] || {};
  const wrap = el("div", { class: "head", title: `${group.name}: ${group.aspect}${group.call ? " · call" : ""}` });
  let drawing;
  if (group.kind === "pedestrian") {
    drawing = svg("svg", { width: 22, height: 40, viewBox: "0 0 22 40" },
      svg("rect", { x: 1, y: 1, width: 20, height: 38, rx: 4, fill: "var(--housing)" }),
      lamp(11, 11, 7, "red", lit.red), lamp(11, 29, 7, "green", lit.green));
  } else {
    const arrow = group.kind === "turnArrow";
    drawing = svg("svg", { width: 22, height: 56, viewBox: "0 0 22 56" },
      svg("rect", { x: 1, y: 1, width: 20, height: 54, rx: 5, fill: "var(--housing)" }),
      lamp(11, 11, 7, "red", lit.red, arrow), lamp(11, 28, 7, "amber", lit.amber, arrow),
      lamp(11, 45, 7, "green", lit.green, arrow));
  }
  wrap.append(drawing, el("span", { class: "label" + (group.call ? " call" : "") }, group.name + (group.call ? "•" : "")));
  return wrap;
}

function alarmChip(name) {
  const severe = ["safety_fault", "store_failing", "events_lost"].includes(name);
  return el("span", { class: "chip " + (severe ? "bad" : "warn") }, name.replace(/_/g, " "));
}

function renderCard(junction) {
  const card = el("article", {
    class: `card ${modeClass(junction)}${junction.online ? "" : " stale"}${state.selected === junction.id ? " selected" : ""}`,
    "data-id": junction.id, "data-mode": junction.mode || "", "data-stage": junction.stage || "",
    "data-aspects": junction.groups.map((group) => group.aspect).join(","),
  });
  card.addEventListener("click", () => select(junction.id));
  card.append(el("div", { class: "card-head" },
    el("h2", {}, junction.name, el("span", { class: "id" }, "#" + junction.id)),
    el("span", { class: "badge " + modeClass(junction) }, modeLabel(junction))));
  const stage = el("div", { class: "stage" });
  if (junction.stage !== null) {
    stage.append("Stage ", el("b", {}, junction.stage), " ",
      el("span", { class: "time" }, junction.timeInStageSeconds.toFixed(1) + " s"));
    if (junction.inTransition) stage.append(el("span", { class: "tag" }, "changing"));
    if (junction.holdActive) stage.append(el("span", { class: "tag" }, "hold"));
  } else {
    stage.append(el("span", { class: "time" }, junction.controllerMode ? junction.controllerMode : "no report yet"));
  }
  card.append(stage);
  card.append(el("div", { class: "heads" }, junction.groups.map(signalHead)));
  if (junction.detectors.length) {
    card.append(el("div", { class: "detectors" }, el("span", { class: "caption" }, "detectors"),
      junction.detectors.map((detector) => el("span", {
        class: "det" + (detector.presence ? " on" : "") + (detector.health !== "ok" || detector.communicationFault ? " fault" : ""),
        title: `${detector.name}: ${detector.presence ? "occupied" : "clear"}${detector.health !== "ok" ? " · " + detector.health : ""}`,
      }))));
  }
  card.append(el("div", { class: "alarms" }, junction.alarms.map(alarmChip)));
  const missing = Math.max(0, junction.eventsStoredAtJunction - junction.eventsHeld);
  card.append(el("div", { class: "card-foot" },
    el("span", {}, `events ${junction.eventsHeld}${missing ? ` (${missing} to fetch)` : ""} · bins ${junction.countsHeld}`),
    el("span", {}, junction.ageMilliseconds === null ? "—" : `seen ${(junction.ageMilliseconds / 1000).toFixed(1)} s ago`)));
  return card;
}

function renderJunctions() {
  const container = document.getElementById("junctions");
  const sorted = [...state.junctions.values()].sort((a, b) => a.id - b.id);
  container.replaceChildren(...sorted.map(renderCard));
}

function metric(value, label) {
  return el("div", { class: "metric" }, el("b", {}, value), el("span", {}, label));
}

function renderCentral() {
  const central = state.central;
  if (!central) return;
  const counters = central.counters;
  const drops = Object.entries(central.drops).filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1]);
  const container = document.getElementById("central");
  container.replaceChildren(
    metric(`${central.junctionsOnline}/${central.junctionsConfigured}`, "junctions online"),
    metric(state.rate === null ? "…" : state.rate.toFixed(1) + "/s", "reports"),
    metric(counters.statusReports.toLocaleString(), "reports accepted"),
    metric(counters.eventsStored.toLocaleString(), "events stored"),
    metric(counters.countsStored.toLocaleString(), "count bins stored"),
    metric(counters.duplicateRecords.toLocaleString(), "duplicates ignored"),
    metric(central.dropsTotal.toLocaleString(), "datagrams dropped"),
    el("div", { class: "drops", id: "drops" },
      drops.length ? drops.map(([reason, count]) => el("span", { class: "chip bad", "data-reason": reason }, `${reason} ${count}`))
        : el("span", { class: "none" }, "no drops")));
  const banner = document.getElementById("store-problem");
  banner.hidden = !central.storeProblem;
  banner.textContent = central.storeProblem ? "Store problem: " + central.storeProblem : "";
}

function select(id) {
  state.selected = id;
  history.replaceState(null, "", "#" + id);
  renderJunctions();
  renderDetail(true);
}

let detailTimer = null;
async function renderDetail(reload) {
  const junction = state.junctions.get(state.selected);
  const detail = document.getElementById("detail");
  if (!junction) return;
  if (reload || !detail.dataset.id || Number(detail.dataset.id) !== junction.id) {
    detail.dataset.id = junction.id;
    detail.replaceChildren(
      el("h2", {}, junction.name, " ", el("span", { class: "sub" }, "#" + junction.id)),
      el("div", { class: "sub", id: "detail-sub" }),
      el("h3", { id: "chart-title" }, "Detector volumes, last 24 h"),
      el("div", { id: "chart" }, el("p", { class: "empty" }, "loading…")),
      el("h3", {}, "Signal timeline, last 5 min"), el("div", { id: "timeline" }),
      el("h3", {}, "Event log ", el("span", { class: "sub" }, "(detector on/off left out)")),
      el("div", { class: "events", id: "events" }));
    clearInterval(detailTimer);
    detailTimer = setInterval(() => loadHistory(false), 5000);
    loadHistory(true);
  }
  document.getElementById("detail-sub").textContent =
    `${modeLabel(junction)} · config ${junction.configHash || "?"} · boot ${junction.bootID} · ` +
    `${junction.reportsAccepted} reports · events held ${junction.eventsHeld} of ${junction.eventsStoredAtJunction}`;
}

let lastCountsLoad = 0;
async function loadHistory(withCounts) {
  const id = state.selected;
  if (id === null) return;
  try {
    const events = await (await fetch(`/api/junctions/${id}/events?limit=400&actuations=0`)).json();
    if (id !== state.selected) return;
    renderTimeline(events);
    renderEvents(events);
    if (withCounts || Date.now() - lastCountsLoad > 60000) {
      lastCountsLoad = Date.now();
      const counts = await (await fetch(`/api/junctions/${id}/counts?hours=24`)).json();
      if (id === state.selected) renderChart(counts);
    }
  } catch (error) {
    console.warn("history", error);
  }
}

function renderChart(counts) {
  const container = document.getElementById("chart");
  if (!counts.bins.length) {
    container.replaceChildren(el("p", { class: "empty" }, "No count bins yet: they arrive when a bin period ends."));
    return;
  }
  const byStart = new Map();
  const detectors = new Set();
  for (const bin of counts.bins) {
    if (!byStart.has(bin.start)) byStart.set(bin.start, new Map());
    byStart.get(bin.start).set(bin.detector, (byStart.get(bin.start).get(bin.detector) || 0) + bin.volume);
    detectors.add(bin.detector);
  }
  const order = [...detectors].sort((a, b) => a - b);
  const name = (number) => counts.detectorNames[number - 1] || "D" + number;
  const period = counts.bins[0].period;
  const end = Math.max(Date.now() / 1000, ...byStart.keys()) + period;
  // Less than three hours held (a new junction, the demo): zoom to what there is rather than draw a sliver.
  const earliest = Math.min(...byStart.keys());
  const zoomed = end - earliest < 3 * 3600;
  const start = zoomed ? earliest - period : end - 24 * 3600;
  document.getElementById("chart-title").textContent = zoomed
    ? `Detector volumes since ${new Date(earliest * 1000).toTimeString().slice(0, 5)} (all that is held)`
    : "Detector volumes, last 24 h";
  const totals = [...byStart.values()].map((values) => [...values.values()].reduce((a, b) => a + b, 0));
  const top = Math.max(1, ...totals);
  const scale = niceCeiling(top);
  const width = 560, height = 200, left = 38, bottom = 20, right = 6, topPad = 8;
  const plotWidth = width - left - right, plotHeight = height - bottom - topPad;
  const x = (seconds) => left + ((seconds - start) / (end - start)) * plotWidth;
  const y = (value) => topPad + plotHeight - (value / scale) * plotHeight;
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img",
    "aria-label": "detector volumes over the last 24 hours" });
  for (let step = 0; step <= 4; step++) {
    const value = (scale / 4) * step;
    chart.append(svg("line", { class: "grid", x1: left, x2: width - right, y1: y(value), y2: y(value) }));
    const label = svg("text", { x: left - 4, y: y(value) + 3, "text-anchor": "end" });
    label.textContent = Math.round(value);
    chart.append(label);
  }
  const tick = [60, 300, 600, 900, 1800, 3600, 7200, 10800].find((step) => (end - start) / step <= 8) || 10800;
  for (let mark = Math.ceil(start / tick) * tick; mark <= end; mark += tick) {
    const label = svg("text", { x: x(mark), y: height - 5, "text-anchor": "middle" });
    label.textContent = new Date(mark * 1000).toTimeString().slice(0, 5);
    chart.append(label, svg("line", { class: "axis", x1: x(mark), x2: x(mark), y1: height - bottom, y2: height - bottom + 3 }));
  }
  chart.append(svg("line", { class: "axis", x1: left, x2: width - right, y1: height - bottom, y2: height - bottom }));
  const barWidth = Math.max(1, (period / (end - start)) * plotWidth - 1);
  for (const [binStart, values] of byStart) {
    if (binStart < start) continue;
    let stacked = 0;
    const group = svg("g");
    const title = svg("title");
    title.textContent = new Date(binStart * 1000).toLocaleTimeString() + "\n" +
      order.filter((d) => values.has(d)).map((d) => `${name(d)}: ${values.get(d)}`).join("\n");
    group.append(title);
    for (const detector of order) {
      const volume = values.get(detector) || 0;
      if (!volume) continue;
      group.append(svg("rect", { x: x(binStart), y: y(stacked + volume), width: barWidth,
        height: Math.max(0.5, y(stacked) - y(stacked + volume)), fill: PALETTE[(detector - 1) % PALETTE.length] }));
      stacked += volume;
    }
    chart.append(group);
  }
  const sums = new Map(order.map((d) => [d, 0]));
  for (const values of byStart.values()) for (const [d, v] of values) sums.set(d, sums.get(d) + v);
  container.replaceChildren(chart, el("div", { class: "legend" }, order.map((d) =>
    el("span", {}, el("i", { style: `background:${PALETTE[(d - 1) % PALETTE.length]}` }), `${name(d)} ${sums.get(d)}`))),
    el("div", { class: "sub" }, `vehicles per ${period / 60} min bin, stacked by detector; hover a bar for its counts`));
}

function niceCeiling(value) {
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const factor of [1, 2, 2.5, 5, 10]) if (factor * power >= value) return factor * power;
  return 10 * power;
}

// Indiana event codes that start each colour of a group's timeline.
const TIMELINE = { 1: "green", 21: "green", 8: "amber", 22: "amber", 9: "red", 10: "red", 11: "red", 12: "red", 23: "red" };
const COLOURS = { green: "var(--green)", amber: "var(--amber)", red: "var(--red)" };

function renderTimeline(eventsNewestFirst) {
  const container = document.getElementById("timeline");
  const junction = state.junctions.get(state.selected);
  const events = [...eventsNewestFirst].reverse().filter((event) => event.code in TIMELINE);
  if (!junction || !events.length) {
    container.replaceChildren(el("p", { class: "empty" }, "No phase events held yet."));
    return;
  }
  const newest = eventsNewestFirst[0].timeMilliseconds;
  const end = Math.max(newest, Date.now() - (junction.ageMilliseconds || 0));
  const start = end - 5 * 60 * 1000;
  const names = junction.groups.map((group) => group.name);
  const groupCount = Math.max(names.length, ...events.map((event) => event.parameter));
  const width = 560, row = 13, left = 44, height = groupCount * row + 16;
  const x = (ms) => left + ((ms - start) / (end - start)) * (width - left - 4);
  const chart = svg("svg", { class: "timeline", viewBox: `0 0 ${width} ${height}`, width: "100%" });
  for (let group = 1; group <= groupCount; group++) {
    const top = (group - 1) * row;
    const label = svg("text", { x: 0, y: top + 10 });
    label.textContent = names[group - 1] || "G" + group;
    chart.append(label);
    // Before its first event in the log a group is taken as red: outside green and clearance a group is stopped.
    let colour = "red", since = Math.max(start, events[0].timeMilliseconds);
    for (const event of events.filter((e) => e.parameter === group)) {
      if (event.timeMilliseconds > start && colour) {
        chart.append(svg("rect", { x: x(since), y: top + 2, width: Math.max(0.5, x(event.timeMilliseconds) - x(since)),
          height: row - 4, fill: COLOURS[colour] }));
      }
      colour = TIMELINE[event.code];
      since = Math.max(start, event.timeMilliseconds);
    }
    if (colour) chart.append(svg("rect", { x: x(since), y: top + 2, width: Math.max(0.5, x(end) - x(since)), height: row - 4, fill: COLOURS[colour] }));
  }
  for (let minute = 0; minute <= 5; minute++) {
    const label = svg("text", { x: x(start + minute * 60000), y: height - 2, "text-anchor": minute === 0 ? "start" : "middle" });
    label.textContent = minute === 5 ? "now" : `-${5 - minute} min`;
    chart.append(label);
  }
  container.replaceChildren(chart);
}

function eventClass(code) {
  if (code === 1 || code === 21) return "ev-green";
  if (code === 8 || code === 22) return "ev-amber";
  if ([9, 10, 11, 12, 23].includes(code)) return "ev-red";
  if (code >= 81 && code <= 88) return code >= 84 ? "ev-alarm" : "ev-det";
  if (code === 173 || code === 174) return "ev-alarm";
  return "";
}

function humanise(name) {
  return name.replace(/([A-Z])/g, " $1").toLowerCase();
}

function renderEvents(events) {
  const container = document.getElementById("events");
  if (!events.length) {
    container.replaceChildren(el("p", { class: "empty" }, "No events held yet."));
    return;
  }
  container.replaceChildren(el("table", {}, events.slice(0, 150).map((event) => {
    const time = new Date(event.timeMilliseconds);
    return el("tr", {},
      el("td", { class: "t" }, time.toTimeString().slice(0, 8) + "." + Math.floor(time.getMilliseconds() / 100)),
      el("td", { class: "n" }, "#" + event.record),
      el("td", { class: eventClass(event.code) }, humanise(event.name)),
      el("td", {}, event.subject || (event.parameter ? String(event.parameter) : "")));
  })));
}

function connect() {
  const connection = document.getElementById("connection");
  const source = new EventSource("/api/stream");
  source.onopen = () => { connection.textContent = "live"; connection.className = "connection live"; };
  source.onerror = () => { connection.textContent = "reconnecting…"; connection.className = "connection offline"; };
  source.addEventListener("junctions", (message) => {
    for (const junction of JSON.parse(message.data)) state.junctions.set(junction.id, junction);
    if (state.selected === null && state.junctions.size) {
      const fromHash = Number(location.hash.slice(1));
      state.selected = state.junctions.has(fromHash) ? fromHash : Math.min(...state.junctions.keys());
    }
    renderJunctions();
    renderDetail(false);
  });
  source.addEventListener("central", (message) => {
    const central = JSON.parse(message.data);
    const previous = state.central;
    if (previous && central.nowMilliseconds > previous.nowMilliseconds) {
      state.rate = (central.counters.statusReports - previous.counters.statusReports) /
        ((central.nowMilliseconds - previous.nowMilliseconds) / 1000);
    }
    state.central = central;
    renderCentral();
  });
}

connect();
