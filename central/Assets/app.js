"use strict";
// junction-central dashboard: live junction state over server-sent events, history over the JSON API.
// Plain browser JavaScript with no libraries: the city network has no internet, so nothing comes from a CDN.

const state = { junctions: new Map(), selected: null, central: null, previousCentral: null, rate: null, alarms: [] };
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
  if (!junction.online) return junction.age_milliseconds === undefined ? "never seen" : "offline";
  if (junction.mode === "flash" && junction.flash_reason) return "flash · " + junction.flash_reason;
  return junction.mode || "unknown";
}

function clock(milliseconds) {
  return new Date(milliseconds).toTimeString().slice(0, 8);
}

// Why a junction flashes, in the words an engineer uses (the API gives FlashReason.wireName).
const FLASH_REASONS = {
  startup: "startup flash", manual: "manual flash (technician)", automatic: "automatic flash",
  "fault-monitor": "fault flash: the safety monitor tripped",
};

// Which lamps of a head are lit, and whether they flash, for each aspect (SignalState.wireName).
const LAMPS = {
  red: { red: "on" }, "red-amber": { red: "on", amber: "on" }, green: { green: "on" }, amber: { amber: "on" },
  "flashing-amber": { amber: "blink" }, "flashing-red": { red: "blink" }, dark: {},
  "dont-walk": { red: "on" }, walk: { green: "on" }, "flashing-dont-walk": { red: "blink" },
};

// The city's alarms (`/api/alarms`, newest and worst first), by what they are.
const ALARM_WORDS = {
  offline: "offline", "monitor-fault": "monitor fault", flash: "flash", "detector-fault": "detector fault",
  "output-unconfirmed": "lamp output unconfirmed", "junction-store-full": "junction store full",
  "junction-store-failing": "junction store failing", "events-lost": "events lost",
  "central-silent": "no acks from central", "central-store": "central store failing",
  "clock-unsynchronised": "clock unsynchronised", "neighbour-lost": "neighbour lost",
};
const SEVERITY_RANK = { critical: 3, major: 2, minor: 1 };

function alarmsOf(junction) {
  return state.alarms.filter((alarm) => alarm.junction_id === junction.id);
}

function standingOf(junction) {
  return alarmsOf(junction).filter((alarm) => alarm.cleared_milliseconds === undefined);
}

function worstRank(junction) {
  return Math.max(0, ...standingOf(junction).map((alarm) => SEVERITY_RANK[alarm.severity] || 0));
}

function alarmText(alarm) {
  return (ALARM_WORDS[alarm.kind] || alarm.kind) + (alarm.detail ? ": " + alarm.detail : "");
}

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

function alarmChip(alarm) {
  return el("span", { class: "chip " + (alarm.severity === "critical" ? "bad" : alarm.severity === "major" ? "warn" : "minor"),
    title: "raised " + clock(alarm.raised_milliseconds) }, alarmText(alarm));
}

// The card's second line: the stage while the junction runs stages, otherwise what it does instead and why.
function stageLine(junction) {
  const line = el("div", { class: "stage" });
  if (!junction.online) {
    line.classList.add("stale-line");
    line.append(junction.last_report_milliseconds === undefined ? "No report yet"
      : el("span", {}, "No data since ", el("b", {}, clock(junction.last_report_milliseconds)), " · last known lamps greyed"));
    return line;
  }
  const flashAlarm = standingOf(junction).find((alarm) => alarm.kind === "flash");
  const since = flashAlarm ? " since " + clock(flashAlarm.raised_milliseconds) : "";
  if (junction.mode === "flash" || junction.mode === "fault" || junction.controller_mode === "entering-flash") {
    line.classList.add("flashing-line");
    const reason = junction.mode === "fault" ? "fault-monitor" : junction.flash_reason;
    const what = junction.controller_mode === "entering-flash" ? "Entering flash" : "Flashing" + since;
    line.append(el("b", {}, what), " · ", FLASH_REASONS[reason] || reason || "reason not reported");
    if (junction.fault_kind) line.append(" (", junction.fault_kind, ")");
    return line;
  }
  if (junction.controller_mode === "all-red") {
    line.append(el("b", {}, "All red"), " · leaving start-up flash");
  } else if (junction.stage !== undefined) {
    line.append("Stage ", el("b", {}, junction.stage), " ",
      el("span", { class: "time" }, junction.time_in_stage_seconds.toFixed(1) + " s"));
    if (junction.in_transition) line.append(el("span", { class: "tag" }, "changing"));
    if (junction.hold_active) line.append(el("span", { class: "tag" }, "hold"));
  } else {
    line.append(el("span", { class: "time" }, junction.controller_mode || "no report yet"));
  }
  return line;
}

// Congestion words and the colours the card and the map share (`CongestionLevel.Level`).
const CONGESTION = {
  free: { word: "free flow", colour: "#38a169" }, busy: { word: "busy", colour: "#d69e2e" },
  congested: { word: "congested", colour: "#c53030" }, unknown: { word: "no congestion figure", colour: "#a0aec0" },
};

// The card's congestion line: the level, and the loop and occupancy it comes from, so an engineer can check it.
function congestionLine(junction) {
  const congestion = junction.congestion;
  const words = CONGESTION[congestion.level] || CONGESTION.unknown;
  const line = el("div", { class: "congestion c-" + congestion.level, "data-congestion": congestion.level },
    el("span", { class: "dot", style: "background:" + words.colour }), el("b", {}, words.word));
  if (congestion.occupancy_percent !== undefined) {
    const loop = congestion.placement === "advance" ? "advance loop" : "stop-line loop";
    line.append(` · worst ${loop} ${congestion.detector} ${congestion.occupancy_percent.toFixed(1)} % occupied` +
      ` over ${Math.round(congestion.window_seconds / 60)} min`);
    if (congestion.as_of_milliseconds !== undefined) line.append(" to " + clock(congestion.as_of_milliseconds));
  }
  if (congestion.reason) line.append(el("span", { class: "why" }, " · " + congestion.reason));
  return line;
}

function renderCard(junction) {
  const card = el("article", {
    class: `card ${modeClass(junction)}${junction.online ? "" : " stale"}${state.selected === junction.id ? " selected" : ""}`,
    "data-id": junction.id, "data-mode": junction.mode || "", "data-stage": junction.stage || "",
    "data-online": junction.online ? "yes" : "no", "data-worst": worstRank(junction),
    "data-aspects": junction.groups.map((group) => group.aspect).join(","),
  });
  card.addEventListener("click", () => select(junction.id));
  card.append(el("div", { class: "card-head" },
    el("h2", {}, junction.name, el("span", { class: "id" }, "#" + junction.id)),
    el("span", { class: "badge " + modeClass(junction) }, modeLabel(junction))));
  card.append(stageLine(junction));
  card.append(congestionLine(junction));
  card.append(el("div", { class: "heads", title: junction.online ? null : "last known, not live" },
    junction.groups.map(signalHead)));
  if (junction.detectors.length) {
    card.append(el("div", { class: "detectors" }, el("span", { class: "caption" }, "detectors"),
      junction.detectors.map((detector) => el("span", {
        class: "det" + (detector.presence ? " on" : "") + (detector.health !== "ok" || detector.communication_fault ? " fault" : ""),
        title: `${detector.name}: ${detector.presence ? "occupied" : "clear"}${detector.health !== "ok" ? " · " + detector.health : ""}`,
      }))));
  }
  const chips = standingOf(junction).map(alarmChip);
  // A junction that came back within the last minute says so, beside the cleared offline alarm in the list.
  const back = alarmsOf(junction).find((alarm) => alarm.kind === "offline" && alarm.cleared_milliseconds !== undefined &&
    Date.now() - alarm.cleared_milliseconds < 60000);
  if (back && junction.online) chips.unshift(el("span", { class: "chip good" }, "back online " + clock(back.cleared_milliseconds)));
  card.append(el("div", { class: "alarms" }, chips));
  const missing = Math.max(0, junction.events_stored_at_junction - junction.events_held);
  card.append(el("div", { class: "card-foot" },
    el("span", {}, `events ${junction.events_held}${missing ? ` (${missing} to fetch)` : ""} · bins ${junction.counts_held}`),
    el("span", {}, junction.age_milliseconds === undefined ? "—" : `seen ${(junction.age_milliseconds / 1000).toFixed(1)} s ago`)));
  return card;
}

// Faulty junctions first (worst standing alarm), then by id.
function renderJunctions() {
  const container = document.getElementById("junctions");
  const sorted = [...state.junctions.values()].sort((a, b) => worstRank(b) - worstRank(a) || a.id - b.id);
  container.replaceChildren(...sorted.map(renderCard));
}

// The schematic city map: roads from the city file as lines through their junctions' positions, each junction a
// dot coloured by congestion and ringed by mode. Drawn from latitude and longitude alone (equirectangular, scaled
// to fit), because the server runs offline: no map tiles.
function renderMap() {
  const container = document.getElementById("map");
  const placed = [...state.junctions.values()].filter((junction) => junction.position);
  container.hidden = placed.length === 0;
  if (!placed.length) return;
  const width = 960, height = 240, pad = 34;
  const lats = placed.map((junction) => junction.position.latitude);
  const lons = placed.map((junction) => junction.position.longitude);
  const squeeze = Math.cos(((Math.min(...lats) + Math.max(...lats)) / 2) * Math.PI / 180);
  const spanX = Math.max((Math.max(...lons) - Math.min(...lons)) * squeeze, 1e-6);
  const spanY = Math.max(Math.max(...lats) - Math.min(...lats), 1e-6);
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  const offsetX = (width - spanX * scale) / 2, offsetY = (height - spanY * scale) / 2;
  const at = (position) => [offsetX + (position.longitude - Math.min(...lons)) * squeeze * scale,
    offsetY + (Math.max(...lats) - position.latitude) * scale];
  const byId = new Map(placed.map((junction) => [junction.id, junction]));
  const drawing = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "map", role: "img",
    "aria-label": "schematic map of the city's junctions" });
  for (const road of (state.central && state.central.roads) || []) {
    const points = road.junctions.filter((id) => byId.has(id)).map((id) => at(byId.get(id).position));
    if (points.length < 2) continue;
    drawing.append(svg("polyline", { points: points.map((p) => p.join(",")).join(" "), class: "road" }));
    // The name runs along the road's longest segment, turned with it, so it crosses no junction label.
    let [a, b] = [points[0], points[1]];
    for (let i = 1; i + 1 < points.length; i++) {
      const [c, d] = [points[i], points[i + 1]];
      if (Math.hypot(d[0] - c[0], d[1] - c[1]) > Math.hypot(b[0] - a[0], b[1] - a[1])) [a, b] = [c, d];
    }
    const line = svg("title", {});
    line.textContent = road.name;
    drawing.lastChild.append(line);
    // A name longer than its segment (about 6.5 px a letter) would run over the junctions: the tooltip keeps it.
    if (road.name.length * 6.5 > Math.hypot(b[0] - a[0], b[1] - a[1]) - 40) continue;
    let angle = Math.atan2(b[1] - a[1], b[0] - a[0]) * 180 / Math.PI;
    if (angle > 90) angle -= 180; else if (angle < -90) angle += 180;
    const label = svg("text", { class: "road-name", dy: -8,
      transform: `translate(${(a[0] + b[0]) / 2},${(a[1] + b[1]) / 2}) rotate(${angle})` });
    label.textContent = road.name;
    drawing.append(label);
  }
  for (const junction of placed) {
    const [x, y] = at(junction.position);
    const level = junction.online ? junction.congestion.level : "unknown";
    const node = svg("g", { class: `node ${modeClass(junction)}${state.selected === junction.id ? " selected" : ""}`,
      "data-id": junction.id, "data-congestion": level, transform: `translate(${x},${y})` });
    node.append(svg("circle", { r: 15, class: "ring" }),
      svg("circle", { r: 10, fill: (CONGESTION[level] || CONGESTION.unknown).colour, class: "level" }));
    const name = svg("text", { x: 19, y: 4, class: "node-name" });
    name.textContent = `#${junction.id} ${junction.name.length > 30 ? junction.name.slice(0, 29) + "…" : junction.name}`;
    const title = svg("title", {});
    title.textContent = `${junction.name}: ${modeLabel(junction)} · ${(CONGESTION[level] || CONGESTION.unknown).word}`;
    node.append(name, title);
    node.addEventListener("click", () => select(junction.id));
    drawing.append(node);
  }
  const unplaced = [...state.junctions.values()].filter((junction) => !junction.position);
  container.replaceChildren(
    el("h3", {}, "City map ", el("span", { class: "sub" }, "colour: congestion · ring: mode · click a junction")),
    drawing,
    el("div", { class: "legend" },
      ["free", "busy", "congested", "unknown"].map((level) => el("span", {},
        el("span", { class: "dot", style: "background:" + CONGESTION[level].colour }), CONGESTION[level].word)),
      el("span", {}, el("span", { class: "ring-key flash" }), "flash"),
      el("span", {}, el("span", { class: "ring-key fault" }), "fault"),
      el("span", {}, el("span", { class: "ring-key offline" }), "offline")),
    ...(unplaced.length ? [el("p", { class: "hint" }, "Not on the map (no latitude and longitude in the city file): ",
      unplaced.map((junction) => `#${junction.id}`).join(", "))] : []));
}

function renderAlarms() {
  const container = document.getElementById("alarms");
  const standing = state.alarms.filter((alarm) => alarm.cleared_milliseconds === undefined);
  const open = standing.filter((alarm) => !alarm.acknowledgement).length;
  const rows = state.alarms.slice(0, 60).map((alarm) => el("tr", {
    class: (alarm.cleared_milliseconds === undefined ? "standing " + alarm.severity : "cleared") +
      (alarm.acknowledgement ? " acked" : ""),
    "data-kind": alarm.kind, "data-junction": alarm.junction_id === undefined ? "" : alarm.junction_id,
    "data-number": alarm.number,
  },
    el("td", {}, el("span", { class: "sev " + alarm.severity }, alarm.severity)),
    el("td", { class: "t" }, clock(alarm.raised_milliseconds)),
    el("td", { class: "t" }, alarm.cleared_milliseconds === undefined ? "standing"
      : clock(alarm.cleared_milliseconds) + (alarm.kind === "offline" ? " · back online" : " · cleared")),
    el("td", {}, alarm.junction_id === undefined ? alarm.junction_name : `${alarm.junction_name} #${alarm.junction_id}`),
    el("td", {}, alarmText(alarm)),
    el("td", { class: "ack" }, acknowledgementCell(alarm))));
  const summary = standing.length ? `${standing.length} standing, ${open} not acknowledged` : "none standing";
  container.replaceChildren(
    el("h3", {}, "Alarms ", el("span", { class: "sub" }, summary, " · worst and newest first")),
    rows.length ? el("div", { class: "alarm-list" }, el("table", {},
      el("thead", {}, el("tr", {}, ["severity", "raised", "cleared", "junction", "what", "acknowledged"]
        .map((h) => el("th", {}, h)))),
      el("tbody", {}, rows)))
      : el("p", { class: "empty" }, "No alarms since central started."));
}

// Who acknowledged an alarm and when, or, while it stands, a button that asks for a name and acknowledges it.
function acknowledgementCell(alarm) {
  const ack = alarm.acknowledgement;
  if (ack) {
    return el("span", { title: ack.note || "" }, `${ack.by} · ${clock(ack.at_milliseconds)}`,
      ack.note ? el("span", { class: "note" }, " — " + ack.note) : null);
  }
  if (alarm.cleared_milliseconds !== undefined) return "";
  const button = el("button", { type: "button", class: "ack-button" }, "Acknowledge");
  button.addEventListener("click", () => acknowledge(alarm));
  return button;
}

async function acknowledge(alarm) {
  const by = prompt(`Acknowledge "${alarmText(alarm)}" at ${alarm.junction_name}.\nYour name:`, localStorage.ackName || "");
  if (by === null) return;
  const note = prompt("Note (optional):", "");
  if (note === null) return;
  const response = await fetch(`/api/alarms/${alarm.number}/ack`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ by, note }),
  });
  const answer = await response.json();
  if (!response.ok) {
    alert(answer.error ? answer.error.message : `acknowledgement refused (${response.status})`);
    return;
  }
  localStorage.ackName = answer.acknowledgement.by;
  // The stream sends the new list too; showing the answer now saves waiting for it.
  state.alarms = state.alarms.map((known) => known.number === answer.number ? answer : known);
  renderAlarms();
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
    metric(`${central.junctions_online}/${central.junctions_configured}`, "junctions online"),
    metric(state.rate === null ? "…" : state.rate.toFixed(1) + "/s", "reports"),
    metric(counters.status_reports.toLocaleString(), "reports accepted"),
    metric(counters.events_stored.toLocaleString(), "events stored"),
    metric(counters.counts_stored.toLocaleString(), "count bins stored"),
    metric(counters.duplicate_records.toLocaleString(), "duplicates ignored"),
    metric(central.drops_total.toLocaleString(), "datagrams dropped"),
    el("div", { class: "drops", id: "drops" },
      drops.length ? drops.map(([reason, count]) => el("span", { class: "chip bad", "data-reason": reason }, `${reason} ${count}`))
        : el("span", { class: "none" }, "no drops")));
  const banner = document.getElementById("store-problem");
  banner.hidden = !central.store_problem;
  banner.textContent = central.store_problem ? "Store problem: " + central.store_problem : "";
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
      el("button", { type: "button", id: "open-measures", onclick: `openMeasures(${junction.id})` }, "Performance measures"),
      el("div", { class: "sub", id: "detail-sub" }),
      rangeSelector(),
      el("h3", {}, "Signal timeline ", el("span", { class: "sub", id: "timeline-title" }, "last 5 min")),
      el("div", { id: "timeline" }),
      el("h3", { id: "chart-title" }, "Volumes, last 24 h"),
      el("div", { id: "chart" }, el("p", { class: "empty" }, "loading…")),
      el("h3", {}, "Event log ", el("span", { class: "sub", id: "events-title" }, "(detector on/off left out)")),
      el("div", { class: "events", id: "events" }));
    clearInterval(detailTimer);
    // A past day does not change; the live view and a range that ends now are read again.
    const range = chosenRange();
    if (!range || range.to * 1000 > Date.now()) {
      detailTimer = setInterval(() => loadHistory(false), range ? 30000 : 5000);
    }
    loadHistory(true);
  }
  document.getElementById("detail-sub").textContent =
    `${modeLabel(junction)} · config ${junction.config_hash || "?"} · boot ${junction.boot_id} · ` +
    `${junction.reports_accepted} reports · events held ${junction.events_held} of ${junction.events_stored_at_junction}`;
}

// The time range of the junction view's charts: "live" (the last minutes as they happen), the last hour, today,
// or a chosen day, each in the browser's time zone.
const RANGES = [["live", "live"], ["hour", "last hour"], ["today", "today"], ["day", "day…"]];
state.range = { kind: "live", day: null };

function localDay(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// Unix seconds { from, to, label } of the chosen range; null for the live view.
function chosenRange() {
  const now = Math.floor(Date.now() / 1000);
  switch (state.range.kind) {
    case "hour": return { from: now - 3600, to: now + 1, label: "last hour" };
    case "today": {
      const midnight = new Date();
      midnight.setHours(0, 0, 0, 0);
      return { from: midnight.getTime() / 1000, to: now + 1, label: "today" };
    }
    case "day": {
      const [year, month, day] = state.range.day.split("-").map(Number);
      const start = new Date(year, month - 1, day).getTime() / 1000;
      // A day is at most 24 h for the API; a 25-hour day at a clock change loses its last hour.
      const end = Math.min(new Date(year, month - 1, day + 1).getTime() / 1000, start + 86400);
      return { from: start, to: end, label: state.range.day };
    }
    default: return null;
  }
}

function rangeSelector() {
  const dayInput = el("input", { type: "date", id: "range-day", value: state.range.day || localDay(new Date()),
    max: localDay(new Date()), hidden: state.range.kind !== "day" });
  const buttons = RANGES.map(([kind, words]) => {
    const button = el("button", { type: "button", class: "range" + (state.range.kind === kind ? " on" : ""),
      "data-range": kind }, words);
    button.addEventListener("click", () => {
      state.range = { kind, day: kind === "day" ? dayInput.value : null };
      renderDetail(true);
    });
    return button;
  });
  dayInput.addEventListener("change", () => {
    if (!dayInput.value) return;
    state.range = { kind: "day", day: dayInput.value };
    renderDetail(true);
  });
  return el("div", { class: "range-bar" }, el("span", { class: "sub" }, "Range "), buttons, dayInput,
    el("span", { class: "downloads" }, "CSV: ", el("a", { id: "csv-counts", download: "" }, "counts"), " · ",
      el("a", { id: "csv-events", download: "" }, "events (Indiana)")));
}

// The most events the API returns for a range (DashboardServer.rangeEventLimitRange), its default limit there.
const RANGE_EVENT_LIMIT = 50000;

// The query naming the chosen range, or what the live view reads.
function rangeQuery(range, live) {
  return range ? `from=${Math.floor(range.from)}&to=${Math.ceil(range.to)}` : live;
}

let lastCountsLoad = 0;
// The bins' period in seconds, from the last counts: a new bin can close that often (at most once a minute is asked).
let countsPeriod = 60;
async function loadHistory(withCounts) {
  const id = state.selected;
  if (id === null) return;
  const range = chosenRange();
  document.getElementById("csv-counts").href = `/api/junctions/${id}/counts.csv?${rangeQuery(range, "hours=24")}`;
  document.getElementById("csv-events").href = `/api/junctions/${id}/events.csv` + (range ? "?" + rangeQuery(range) : "");
  try {
    const events = await (await fetch(`/api/junctions/${id}/events?${rangeQuery(range, "limit=400")}&actuations=0`)).json();
    if (id !== state.selected) return;
    renderTimeline(events, range);
    renderEvents(events, range);
    if (withCounts || range || Date.now() - lastCountsLoad > Math.min(60, countsPeriod) * 1000) {
      lastCountsLoad = Date.now();
      const counts = await (await fetch(`/api/junctions/${id}/counts?${rangeQuery(range, "hours=24")}`)).json();
      if (counts.bins.length) countsPeriod = counts.bins[0].period;
      if (id === state.selected) renderChart(counts, range);
    }
  } catch (error) {
    console.warn("history", error);
  }
}

// Clock-time labels for a time axis from `start` to `end` (Unix seconds): at most about eight, on round times.
function clockTicks(start, end) {
  const tick = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600].find((step) => (end - start) / step <= 8) || 21600;
  const marks = [];
  // Round to the tick in local time, so "06:00" falls on six o'clock wherever the browser is.
  const offset = new Date(start * 1000).getTimezoneOffset() * 60;
  for (let mark = Math.ceil((start - offset) / tick) * tick + offset; mark <= end; mark += tick) marks.push(mark);
  return marks;
}

// Where each detector sits decides what its counts mean: a stop-line loop counts the vehicles of its lane
// (the approach volume), an advance loop the same vehicles again further back, a push button pedestrians.
// Each kind gets a panel of its own, so no vehicle is counted twice in one stack.
const PANELS = [
  { placement: "stop_line", title: "Approach volume (stop-line loops)", unit: "vehicles", height: 170 },
  { placement: "advance", title: "Advance loops (the same vehicles again, upstream)", unit: "vehicles", height: 110 },
  { placement: "push_button", title: "Pedestrian push-button actuations", unit: "presses", height: 100 },
  { placement: "unknown", title: "Detectors (placement unknown: no junction file)", unit: "counts", height: 150 },
];

function renderChart(counts, range) {
  const container = document.getElementById("chart");
  if (!counts.bins.length) {
    document.getElementById("chart-title").textContent = range ? `Volumes, ${range.label}` : "Volumes, last 24 h";
    container.replaceChildren(el("p", { class: "empty" }, range ? `No count bins held for ${range.label}.`
      : "No count bins yet: they arrive when a bin period ends."));
    return;
  }
  const detectors = new Map(counts.detectors.map((detector) => [detector.number, detector]));
  const name = (number) => (detectors.get(number) || {}).name || "D" + number;
  const placement = (number) => (detectors.get(number) || {}).placement || "unknown";
  const period = counts.bins[0].period;
  const starts = counts.bins.map((bin) => bin.start);
  const binWords = period % 60 === 0 ? `${period / 60} min` : `${period} s`;
  let start, end;
  if (range) {
    // A chosen range is drawn whole, empty stretches included, so two days compare at a glance; up to now for a
    // range that runs on, as the timeline above it.
    start = range.from;
    end = Math.min(range.to, Math.max(Date.now() / 1000, ...starts) + period);
    document.getElementById("chart-title").textContent = `Volumes, ${range.label} · per ${binWords} bin`;
  } else {
    end = Math.max(Date.now() / 1000, ...starts) + period;
    // Less than three hours held (a new junction, the demo): zoom to what there is rather than draw a sliver.
    const earliest = Math.min(...starts);
    const zoomed = end - earliest < 3 * 3600;
    start = zoomed ? earliest - period : end - 24 * 3600;
    document.getElementById("chart-title").textContent = (zoomed
      ? `Volumes since ${new Date(earliest * 1000).toTimeString().slice(0, 5)} (all that is held)`
      : "Volumes, last 24 h") + ` · per ${binWords} bin`;
  }
  const panels = [];
  for (const panel of PANELS) {
    const bins = counts.bins.filter((bin) => placement(bin.detector) === panel.placement && bin.start >= start);
    if (!bins.length) continue;
    panels.push(el("div", { class: "panel", "data-placement": panel.placement },
      el("div", { class: "panel-title" }, panel.title),
      barPanel(bins, { start, end, period, height: panel.height, unit: `${panel.unit} / ${binWords}`, name })));
  }
  container.replaceChildren(...panels,
    el("div", { class: "sub" }, "stacked by detector within a panel; hover a bar for its counts"));
}

// One stacked bar chart of `bins` (one detector's count per bin each) on a shared time axis, with a y-axis
// that names its unit.
function barPanel(bins, { start, end, period, height, unit, name }) {
  const byStart = new Map();
  for (const bin of bins) {
    if (!byStart.has(bin.start)) byStart.set(bin.start, new Map());
    const values = byStart.get(bin.start);
    values.set(bin.detector, (values.get(bin.detector) || 0) + bin.volume);
  }
  const order = [...new Set(bins.map((bin) => bin.detector))].sort((a, b) => a - b);
  const totals = [...byStart.values()].map((values) => [...values.values()].reduce((a, b) => a + b, 0));
  const scale = niceCeiling(Math.max(1, ...totals));
  const width = 560, left = 52, bottom = 18, right = 14, topPad = 6;
  const plotWidth = width - left - right, plotHeight = height - bottom - topPad;
  const x = (seconds) => left + ((seconds - start) / (end - start)) * plotWidth;
  const y = (value) => topPad + plotHeight - (value / scale) * plotHeight;
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img",
    "aria-label": unit });
  const axisLabel = svg("text", { class: "unit", x: 10, y: topPad + plotHeight / 2, "text-anchor": "middle",
    transform: `rotate(-90 10 ${topPad + plotHeight / 2})` });
  axisLabel.textContent = unit;
  chart.append(axisLabel);
  // Gridlines at whole counts: a quarter of a vehicle is no count.
  const steps = (height > 120 ? [4, 5, 2, 1] : [2, 5, 1]).find((n) => Number.isInteger(scale / n)) || 1;
  for (let step = 0; step <= steps; step++) {
    const value = (scale / steps) * step;
    chart.append(svg("line", { class: "grid", x1: left, x2: width - right, y1: y(value), y2: y(value) }));
    const label = svg("text", { x: left - 4, y: y(value) + 3, "text-anchor": "end" });
    label.textContent = Number.isInteger(value) ? value : value.toFixed(1);
    chart.append(label);
  }
  for (const mark of clockTicks(start, end)) {
    // The last label is anchored at its end so it stays inside the chart.
    const anchor = x(mark) > width - right - 16 ? "end" : "middle";
    const label = svg("text", { x: x(mark), y: height - 4, "text-anchor": anchor });
    label.textContent = new Date(mark * 1000).toTimeString().slice(0, 5);
    chart.append(label, svg("line", { class: "axis", x1: x(mark), x2: x(mark), y1: height - bottom, y2: height - bottom + 3 }));
  }
  chart.append(svg("line", { class: "axis", x1: left, x2: width - right, y1: height - bottom, y2: height - bottom }),
    svg("line", { class: "axis", x1: left, x2: left, y1: topPad, y2: height - bottom }));
  const barWidth = Math.max(1, (period / (end - start)) * plotWidth - 1);
  for (const [binStart, values] of byStart) {
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
  return el("div", {}, chart, el("div", { class: "legend" }, order.map((d) =>
    el("span", {}, el("i", { style: `background:${PALETTE[(d - 1) % PALETTE.length]}` }), `${name(d)} ${sums.get(d)}`))));
}

function niceCeiling(value) {
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const factor of [1, 2, 2.5, 5, 10]) if (factor * power >= value) return factor * power;
  return 10 * power;
}

// Indiana event codes that start each aspect of a group's timeline; 173 (flash entered) puts every group in
// its flash aspect, 206 (flash ended) back to red.
const TIMELINE = { 1: "green", 21: "green", 8: "amber", 22: "amber", 9: "red", 10: "red", 11: "red", 12: "red", 23: "red" };
const FILLS = {
  green: "var(--green)", amber: "var(--amber)", red: "var(--red)", "flashing-amber": "url(#flash-amber)",
  "flashing-red": "url(#flash-red)", dark: "var(--off)", "no-data": "url(#no-data)",
};
const LEGEND = [["green", "green / walk"], ["amber", "amber / ped clearance"], ["red", "red / don't walk"],
  ["flashing-amber", "flashing amber"], ["flashing-red", "flashing red"], ["dark", "dark"], ["no-data", "no data"]];

function timelinePatterns() {
  const stripes = (id, colour) => svg("pattern", { id, width: 8, height: 8, patternUnits: "userSpaceOnUse" },
    svg("rect", { width: 8, height: 8, fill: "var(--off)" }), svg("rect", { width: 4, height: 8, fill: colour }));
  return svg("defs", {}, stripes("flash-amber", "var(--amber)"), stripes("flash-red", "var(--red)"),
    svg("pattern", { id: "no-data", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
      svg("rect", { width: 6, height: 6, fill: "#eef1f5" }), svg("rect", { width: 2, height: 6, fill: "#c5ccd5" })));
}

function renderTimeline(eventsNewestFirst, range) {
  const container = document.getElementById("timeline");
  const junction = state.junctions.get(state.selected);
  const events = [...eventsNewestFirst].reverse().filter((event) => event.code in TIMELINE || event.code === 173 || event.code === 206);
  if (!junction || !events.length) {
    container.replaceChildren(el("p", { class: "empty" },
      range ? `No phase events held for ${range.label}.` : "No phase events held yet."));
    return;
  }
  // What the junction last reported is the end of what is known: an offline junction's lamps are not drawn
  // past it, and the rest of the window up to now is marked as no data.
  const lastReport = junction.last_report_milliseconds ?? eventsNewestFirst[0].time_milliseconds;
  let start, end, known, minutes = 0;
  if (range) {
    start = range.from * 1000;
    end = Math.min(range.to * 1000, Date.now());
    known = junction.online ? end : Math.min(end, Math.max(eventsNewestFirst[0].time_milliseconds, lastReport));
    // A whole day ends at the next midnight, which reads better as 24:00 than as a second 00:00.
    const until = end - start >= 86400000 ? "24:00" : clock(end).slice(0, 5);
    const cut = eventsNewestFirst.length >= RANGE_EVENT_LIMIT
      ? ` · from ${clock(events[0].time_milliseconds).slice(0, 5)}: the newest ${RANGE_EVENT_LIMIT.toLocaleString()} events` : "";
    document.getElementById("timeline-title").textContent = `${range.label}, ${clock(start).slice(0, 5)}–${until}${cut}`;
  } else {
    known = Math.max(eventsNewestFirst[0].time_milliseconds, lastReport);
    end = junction.online ? known : Math.max(known, Math.min(Date.now(), known + 60000));
    // Five minutes, or less while less is held (a junction just started), so the bars are not a sliver.
    minutes = Math.max(1, Math.min(5, Math.ceil((end - events[0].time_milliseconds) / 60000)));
    start = end - minutes * 60000;
    document.getElementById("timeline-title").textContent = junction.online ? `last ${minutes} min`
      : `up to the last report at ${clock(lastReport)}, then no data`;
  }
  // While central heard nothing (an offline alarm) the lamps are unknown, and stay so after the junction is back
  // until each group's next event: a restarted junction's old state is not drawn across its restart.
  const stale = state.central ? state.central.stale_after_milliseconds : 0;
  const gaps = alarmsOf(junction).filter((alarm) => alarm.kind === "offline")
    .map((alarm) => ({ gap: true, time_milliseconds: alarm.raised_milliseconds - stale }));
  const timelineEvents = [...events, ...gaps].sort((a, b) => a.time_milliseconds - b.time_milliseconds);
  const groups = junction.groups;
  const groupCount = Math.max(groups.length, ...events.filter((e) => e.code in TIMELINE).map((e) => e.parameter));
  const width = 560, row = 13, left = 44, right = 8, height = groupCount * row + 16;
  const x = (ms) => left + ((Math.min(Math.max(ms, start), end) - start) / (end - start)) * (width - left - right);
  const chart = svg("svg", { class: "timeline", viewBox: `0 0 ${width} ${height}`, width: "100%" }, timelinePatterns());
  const bar = (top, from, to, aspect) => {
    if (to <= start || to <= from) return;
    chart.append(svg("rect", { x: x(from), y: top + 2, width: Math.max(0.5, x(to) - x(from)), height: row - 4,
      fill: FILLS[aspect] || FILLS.red, "data-aspect": aspect }));
  };
  for (let number = 1; number <= groupCount; number++) {
    const group = groups[number - 1] || { name: "G" + number, flash: "flashing-amber" };
    const top = (number - 1) * row;
    const label = svg("text", { x: 0, y: top + 10 });
    label.textContent = group.name;
    chart.append(label);
    // Before its first event in the log a group is taken as red: outside green and clearance a group is stopped.
    let aspect = "red", since = events[0].time_milliseconds;
    for (const event of timelineEvents) {
      let next = null;
      if (event.gap) next = "no-data";
      else if (event.code === 173) next = group.flash;
      else if (event.code === 206) next = "red";
      else if (event.parameter === number) next = TIMELINE[event.code];
      if (next === null) continue;
      bar(top, since, event.time_milliseconds, aspect);
      aspect = next;
      since = event.time_milliseconds;
    }
    bar(top, since, known, aspect);
    if (!junction.online) bar(top, known, end, "no-data");
  }
  if (range) {
    for (const mark of clockTicks(start / 1000, end / 1000)) {
      const at = x(mark * 1000);
      const anchor = at < left + 16 ? "start" : at > width - right - 16 ? "end" : "middle";
      const label = svg("text", { x: at, y: height - 2, "text-anchor": anchor });
      label.textContent = new Date(mark * 1000).toTimeString().slice(0, 5);
      chart.append(label);
    }
  } else {
    for (let minute = 0; minute <= minutes; minute++) {
      const anchor = minute === 0 ? "start" : minute === minutes ? "end" : "middle";
      const label = svg("text", { x: x(start + minute * 60000), y: height - 2, "text-anchor": anchor });
      label.textContent = minute === minutes ? (junction.online ? "now" : clock(end)) : `-${minutes - minute} min`;
      chart.append(label);
    }
  }
  if (!junction.online) {
    chart.append(svg("line", { class: "last-report", x1: x(known), x2: x(known), y1: 0, y2: height - 12 }));
  }
  const shown = new Set([...chart.querySelectorAll("rect[data-aspect]")].map((rect) => rect.dataset.aspect));
  container.replaceChildren(chart, el("div", { class: "legend" }, LEGEND.filter(([aspect]) => shown.has(aspect)).map(([aspect, words]) =>
    el("span", {}, el("i", { class: "swatch-" + aspect }), words))));
}

function eventClass(code) {
  if (code === 1 || code === 21) return "ev-green";
  if (code === 8 || code === 22) return "ev-amber";
  if ([9, 10, 11, 12, 23].includes(code)) return "ev-red";
  if (code >= 81 && code <= 83) return "ev-det";
  if ((code >= 84 && code <= 88) || [173, 174, 206].includes(code)) return "ev-alarm";
  if (code === 200 || code === 210 || code === 131) return "ev-operator";
  return "";
}

function renderEvents(events, range) {
  const container = document.getElementById("events");
  document.getElementById("events-title").textContent = range
    ? `${range.label}: newest ${Math.min(150, events.length)} of ${events.length} (detector on/off left out)`
    : "(detector on/off left out)";
  if (!events.length) {
    container.replaceChildren(el("p", { class: "empty" }, range ? `No events held for ${range.label}.` : "No events held yet."));
    return;
  }
  container.replaceChildren(el("table", {}, events.slice(0, 150).map((event) => {
    const time = new Date(event.time_milliseconds);
    const aboutGroupOrDetector = event.code <= 88 || (event.code >= 201 && event.code <= 205);
    return el("tr", { "data-code": event.code },
      el("td", { class: "t" }, time.toTimeString().slice(0, 8) + "." + Math.floor(time.getMilliseconds() / 100)),
      el("td", { class: "n" }, "#" + event.record),
      el("td", { class: eventClass(event.code), title: `${event.name} (code ${event.code}, parameter ${event.parameter})` }, event.text),
      el("td", {}, aboutGroupOrDetector ? event.subject || "" : ""));
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
    renderMap();
    renderDetail(false);
  });
  source.addEventListener("alarms", (message) => {
    state.alarms = JSON.parse(message.data);
    renderAlarms();
    renderJunctions();
  });
  source.addEventListener("central", (message) => {
    const central = JSON.parse(message.data);
    const previous = state.central;
    if (previous && central.now_milliseconds > previous.now_milliseconds) {
      state.rate = (central.counters.status_reports - previous.counters.status_reports) /
        ((central.now_milliseconds - previous.now_milliseconds) / 1000);
    }
    state.central = central;
    renderCentral();
    renderMap();
  });
}

connect();
