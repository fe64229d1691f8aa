"use strict";
// Signal performance measures of one junction, drawn as the ATSPM charts a traffic engineer reads: split per
// cycle, phase terminations, split failures, the Purdue coordination diagram, approach volumes and pedestrian
// service. Data: GET /api/junctions/:id/measures (docs/central-measures.md). Times are UTC, as the API's days.
// Uses el, svg, PALETTE and niceCeiling of app.js (loaded first); no libraries.

const MEASURES_CSS = `
.measures { position: fixed; inset: 0; background: rgba(23,32,43,.55); z-index: 10; overflow-y: auto; }
.measures-page { max-width: 1240px; margin: 18px auto; background: var(--panel); border-radius: 8px; padding: 14px 18px 22px; }
.measures-head { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between; }
.measures-head h2 { margin: 0; font-size: 18px; }
.measures-range { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; font-size: 13px; }
.measures-range button, .measures-close { border: 1px solid var(--line); background: #f4f6f8; border-radius: 6px;
  padding: 4px 10px; cursor: pointer; font: inherit; }
.measures-range button.on { background: #17202b; color: #fff; border-color: #17202b; }
.measures-close { font-weight: 700; }
.measures-status { color: var(--muted); font-size: 12px; margin: 4px 0 0; min-height: 16px; }
.measure { border-top: 1px solid var(--line); margin-top: 14px; padding-top: 8px; }
.measure h3 { margin: 0; font-size: 14px; }
.measure .what { color: var(--muted); font-size: 12px; margin: 2px 0 6px; }
.measure-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 6px 18px; }
.measure .panel-title b { font-weight: 700; }
.chart .band-green { fill: var(--green); opacity: .28; } .chart .band-amber { fill: var(--amber); opacity: .45; }
.chart .band-red { fill: var(--red); opacity: .16; }
.chart .threshold { stroke: #9d1c16; stroke-dasharray: 4 3; stroke-width: 1; }
.chart .caption { font-size: 10px; fill: var(--ink); }
.measure-note { background: #fff0cc; color: #7a5200; border-radius: 6px; padding: 6px 10px; font-size: 13px; margin-top: 8px; }
`;

const TERMINATIONS = [["gap_out", "gap-out", "#2b6cb0"], ["max_out", "max-out", "#c53030"],
  ["force_off", "force-off", "#6b46c1"], [undefined, "not reported", "#a0aab5"]];

const measuresView = { id: null, groups: [], range: "15m", day: null };

function openMeasures(id) {
  if (!document.getElementById("measures-style")) {
    document.head.append(el("style", { id: "measures-style" }, MEASURES_CSS));
  }
  measuresView.id = Number(id);
  let overlay = document.getElementById("measures");
  if (!overlay) {
    overlay = el("section", { id: "measures", class: "measures", "aria-label": "performance measures" });
    overlay.addEventListener("click", (event) => { if (event.target === overlay) closeMeasures(); });
    document.body.append(overlay);
  }
  const ranges = [["15m", "Last 15 min"], ["1h", "Last hour"], ["today", "Today"]];
  const dayInput = el("input", { type: "date", id: "measures-day", value: new Date().toISOString().slice(0, 10) });
  const buttons = ranges.map(([key, label]) => {
    const button = el("button", { type: "button", "data-range": key }, label);
    button.addEventListener("click", () => loadMeasures(key));
    return button;
  });
  const dayButton = el("button", { type: "button", "data-range": "day" }, "Show day");
  dayButton.addEventListener("click", () => loadMeasures("day", dayInput.value));
  const close = el("button", { type: "button", class: "measures-close", title: "close" }, "×");
  close.addEventListener("click", closeMeasures);
  overlay.replaceChildren(el("div", { class: "measures-page" },
    el("div", { class: "measures-head" },
      el("h2", { id: "measures-title" }, "Performance measures"),
      el("div", { class: "measures-range" }, buttons, dayInput, dayButton, close)),
    el("p", { class: "measures-status", id: "measures-status" }),
    el("div", { id: "measures-body" })));
  overlay.hidden = false;
  loadMeasures(measuresView.range);
}

function closeMeasures() {
  const overlay = document.getElementById("measures");
  if (overlay) overlay.hidden = true;
}

// The query and the span drawn for a range choice: short ranges in short bins so minutes of data still draw.
function measuresQuery(range, day) {
  const now = Math.ceil(Date.now() / 1000) + 1;
  if (range === "15m") return { query: `from=${now - 900}&to=${now}&bin=1`, start: now - 900, end: now };
  if (range === "1h") return { query: `from=${now - 3600}&to=${now}&bin=5`, start: now - 3600, end: now };
  const text = range === "today" ? new Date().toISOString().slice(0, 10) : day;
  const start = Date.parse(text + "T00:00:00Z") / 1000;
  return { query: `day=${text}&bin=15`, start, end: start + 86400 };
}

async function loadMeasures(range, day) {
  measuresView.range = range;
  const id = measuresView.id;
  for (const button of document.querySelectorAll(".measures-range button")) {
    button.classList.toggle("on", button.dataset.range === range);
  }
  const status = document.getElementById("measures-status");
  status.textContent = "loading…";
  const { query, start, end } = measuresQuery(range, day);
  try {
    const [junctionResponse, response] = await Promise.all([
      fetch(`/api/junctions/${id}`), fetch(`/api/junctions/${id}/measures?${query}`)]);
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
    const junction = junctionResponse.ok ? await junctionResponse.json() : { name: "#" + id, groups: [] };
    if (id !== measuresView.id) return;
    measuresView.groups = junction.groups || [];
    document.getElementById("measures-title").textContent = `Performance measures · ${junction.name} #${id}`;
    const span = drawnSpan(body, { start, end });
    status.textContent = `${utcDateTime(start)} to ${utcDateTime(end)} UTC · ${body.bin_minutes} min bins · ` +
      `${plural(body.cycles.length, "phase cycle")}` +
      (span.start > start ? ` · drawn from ${utcClock(span.start)}, when the stored events begin` : "");
    renderMeasures(body, span);
  } catch (error) {
    status.textContent = "Could not load the measures: " + error.message;
  }
}

// The span the charts draw: the range asked, or from shortly before the first data when most of the range holds
// none (a junction that began reporting minutes ago), so what there is can be read.
function drawnSpan(data, span) {
  const times = [...data.cycles.map((cycle) => cycle.green_start_ms / 1000),
    ...data.detector_volumes.map((bin) => bin.bin_start), ...data.pedestrian.map((bin) => bin.bin_start),
    ...data.terminations.map((bin) => bin.bin_start)];
  if (!times.length) return span;
  const earliest = Math.min(...times);
  const margin = data.bin_minutes * 60;
  if (earliest - span.start < (span.end - span.start) / 4) return span;
  return { start: Math.floor(earliest / margin) * margin - margin, end: span.end };
}

// Where a bin's value is drawn: its middle, or the end of the span while the bin is still open.
function binMiddle(bin, binSeconds, span) {
  return Math.min(bin.bin_start + binSeconds / 2, span.end);
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function renderMeasures(data, span) {
  const sections = [
    measureSection("split", "Split per cycle",
      "Each bar is one service of the phase: green (event 1), amber (8) and red clearance (10, to the next phase " +
      "switched on) stacked, in seconds.",
      splitCharts(data, span)),
    measureSection("terminations", "Phase termination",
      "What ended each green: gap-out (4), max-out (5) or force-off (6), one point per cycle at the end of its green.",
      terminationChart(data, span)),
    measureSection("split-failures", "Split failures",
      "Green and red occupancy of the stop-line loops per bin (red over the first 5 s of red); a cycle fails when " +
      "both reach 79 % (atspm split_failures).", splitFailureCharts(data, span)),
    measureSection("coordination", "Purdue coordination diagram",
      "Each dot is a vehicle at the advance loop, placed by when it arrived in its cycle (from the start of green); " +
      "bands show green, amber and red of each cycle.", coordinationCharts(data, span)),
    measureSection("volumes", "Approach volumes",
      "Vehicles per bin by phase, stop-line loops and advance loops apart (the same vehicles pass both).",
      volumeCharts(data, span)),
    measureSection("pedestrian", "Pedestrians",
      "Push-button presses per bin, and the mean wait from the first press after a clearance to the walk.",
      pedestrianCharts(data, span)),
  ];
  const notes = data.notes.map((note) => el("div", { class: "measure-note" }, note));
  document.getElementById("measures-body").replaceChildren(...notes, ...sections);
}

function measureSection(key, title, what, content) {
  return el("section", { class: "measure", "data-measure": key },
    el("h3", {}, title), el("p", { class: "what" }, what), content);
}

function phaseName(phase) {
  const group = measuresView.groups[phase - 1];
  return group ? group.name : "phase " + phase;
}

function phaseColour(phase) {
  return PALETTE[(phase - 1) % PALETTE.length];
}

function empty(text) {
  return el("p", { class: "empty" }, text);
}

function utcClock(seconds, withSeconds) {
  return new Date(seconds * 1000).toISOString().slice(11, withSeconds ? 19 : 16);
}

function utcDateTime(seconds) {
  return new Date(seconds * 1000).toISOString().slice(0, 16).replace("T", " ");
}

// A chart with a UTC time x-axis over `span` and a y-axis from 0 to `yMax` in `unit`; returns the svg and scales.
function timeChart(span, { height = 150, yMax, unit, width = 560, yTicks, format = (v) => v }) {
  // Gridlines at whole numbers where the scale allows: a quarter of a vehicle is no count.
  if (yTicks === undefined) yTicks = [4, 5, 2, 1].find((n) => Number.isInteger(yMax / n)) || 4;
  const left = 50, right = 12, top = 8, bottom = 30;
  const plotWidth = width - left - right, plotHeight = height - top - bottom;
  const x = (seconds) => left + ((seconds - span.start) / (span.end - span.start)) * plotWidth;
  const y = (value) => top + plotHeight - (Math.min(value, yMax) / yMax) * plotHeight;
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img",
    "aria-label": unit });
  const middle = top + plotHeight / 2;
  chart.append(svgText(unit, { class: "unit", x: 10, y: middle, "text-anchor": "middle",
    transform: `rotate(-90 10 ${middle})` }));
  for (let step = 0; step <= yTicks; step++) {
    const value = (yMax / yTicks) * step;
    chart.append(svg("line", { class: "grid", x1: left, x2: width - right, y1: y(value), y2: y(value) }),
      svgText(format(Number.isInteger(value) ? value : Number(value.toFixed(1))),
        { x: left - 4, y: y(value) + 3, "text-anchor": "end" }));
  }
  const length = span.end - span.start;
  const tick = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600].find((step) => length / step <= 8) || 21600;
  for (let mark = Math.ceil(span.start / tick) * tick; mark <= span.end; mark += tick) {
    const anchor = x(mark) > width - right - 16 ? "end" : x(mark) < left + 16 ? "start" : "middle";
    chart.append(svg("line", { class: "axis", x1: x(mark), x2: x(mark), y1: top + plotHeight, y2: top + plotHeight + 3 }),
      svgText(utcClock(mark), { x: x(mark), y: top + plotHeight + 13, "text-anchor": anchor }));
  }
  chart.append(svgText("time (UTC)", { class: "caption", x: width - right, y: height - 3, "text-anchor": "end" }),
    svg("line", { class: "axis", x1: left, x2: width - right, y1: top + plotHeight, y2: top + plotHeight }),
    svg("line", { class: "axis", x1: left, x2: left, y1: top, y2: top + plotHeight }));
  return { chart, x, y, plotWidth, left, right, top, plotHeight, width };
}

function svgText(text, attributes) {
  const node = svg("text", attributes);
  node.textContent = text;
  return node;
}

function withTitle(node, text) {
  const title = svg("title");
  title.textContent = text;
  node.append(title);
  return node;
}

function byPhase(rows) {
  const phases = new Map();
  for (const row of rows) {
    if (!phases.has(row.phase)) phases.set(row.phase, []);
    phases.get(row.phase).push(row);
  }
  return [...phases.entries()].sort((a, b) => a[0] - b[0]);
}

function panel(title, chart, legend) {
  return el("div", { class: "panel" }, el("div", { class: "panel-title" }, title), chart, legend || null);
}

function legend(items) {
  return el("div", { class: "legend" }, items.map(([colour, text]) =>
    el("span", {}, el("i", { style: `background:${colour}` }), text)));
}

function splitCharts(data, span) {
  const phases = byPhase(data.cycles);
  if (!phases.length) return empty("No complete phase cycle in this range.");
  const yMax = niceCeiling(Math.max(10, ...data.cycles.map((cycle) => cycle.split_s)));
  const panels = phases.map(([phase, cycles]) => {
    const frame = timeChart(span, { yMax, unit: "seconds" });
    const barWidth = Math.max(2, Math.min(10, frame.plotWidth / Math.max(cycles.length, 1) * 0.7));
    for (const cycle of cycles) {
      const at = frame.x(cycle.green_start_ms / 1000) - barWidth / 2;
      const parts = [["var(--green)", 0, cycle.green_s], ["var(--amber)", cycle.green_s, cycle.green_s + cycle.amber_s],
        ["var(--red)", cycle.green_s + cycle.amber_s, cycle.split_s]];
      const group = withTitle(svg("g"), `${utcClock(cycle.green_start_ms / 1000, true)} UTC\ngreen ${cycle.green_s} s, ` +
        `amber ${cycle.amber_s} s, red clearance ${cycle.red_clearance_s} s\nsplit ${cycle.split_s} s`);
      for (const [fill, from, to] of parts) {
        group.append(svg("rect", { x: at, width: barWidth, y: frame.y(to), height: Math.max(0, frame.y(from) - frame.y(to)), fill }));
      }
      frame.chart.append(group);
    }
    const mean = cycles.reduce((sum, cycle) => sum + cycle.split_s, 0) / cycles.length;
    return panel(el("span", {}, el("b", {}, phaseName(phase)), ` · ${plural(cycles.length, "cycle")} · mean split ${mean.toFixed(1)} s`),
      frame.chart);
  });
  return el("div", {}, el("div", { class: "measure-grid" }, panels),
    legend([["var(--green)", "green"], ["var(--amber)", "amber"], ["var(--red)", "red clearance"]]));
}

function terminationChart(data, span) {
  const phases = byPhase(data.cycles).map(([phase]) => phase);
  if (!phases.length) return empty("No complete phase cycle in this range.");
  const rowHeight = 22, top = 8, bottom = 30, left = 70, right = 12, width = 1140;
  const height = top + bottom + rowHeight * phases.length;
  const frame = timeChart(span, { height, yMax: 1, unit: "", width, yTicks: 0 });
  // Rows by phase replace the numeric y-axis.
  frame.chart.querySelectorAll("text[text-anchor=end]").forEach((node) => { if (node.textContent === "0") node.remove(); });
  const row = (phase) => top + rowHeight * (phases.indexOf(phase) + 0.5);
  for (const phase of phases) {
    frame.chart.append(svg("line", { class: "grid", x1: frame.left, x2: width - right, y1: row(phase), y2: row(phase) }),
      svgText(phaseName(phase), { x: frame.left - 6, y: row(phase) + 3, "text-anchor": "end", class: "caption" }));
  }
  const totals = new Map(TERMINATIONS.map(([key]) => [key, 0]));
  for (const cycle of data.cycles) {
    const kind = TERMINATIONS.find(([key]) => key === cycle.termination) || TERMINATIONS[3];
    totals.set(kind[0], totals.get(kind[0]) + 1);
    frame.chart.append(withTitle(svg("circle", { cx: frame.x(cycle.amber_start_ms / 1000), cy: row(cycle.phase), r: 3.5,
      fill: kind[2] }), `${phaseName(cycle.phase)} ${utcClock(cycle.amber_start_ms / 1000, true)} UTC: ${kind[1]} after ` +
      `${cycle.green_s} s of green`));
  }
  return el("div", {}, frame.chart,
    legend(TERMINATIONS.filter(([key]) => key !== undefined || totals.get(key) > 0)
      .map(([key, label, colour]) => [colour, `${label} ${totals.get(key)}`])));
}

function splitFailureCharts(data, span) {
  if (!data.detector_map) return empty("No detector map: the junction file is not named in the city file.");
  const phases = byPhase(data.split_failures);
  if (!phases.length) return empty("No complete cycle with stop-line occupancy in this range.");
  const binSeconds = data.bin_minutes * 60;
  const panels = phases.map(([phase, bins]) => {
    const frame = timeChart(span, { yMax: 100, unit: "occupancy %", height: 140 });
    const threshold = frame.y(79);
    frame.chart.append(svg("line", { class: "threshold", x1: frame.left, x2: frame.width - frame.right, y1: threshold, y2: threshold }),
      svgText("79 %", { x: frame.width - frame.right - 2, y: threshold - 3, "text-anchor": "end", class: "caption" }));
    for (const [key, colour] of [["green_occupancy", "var(--green)"], ["red_occupancy", "var(--red)"]]) {
      // Lines join neighbouring bins only: a bin without a complete cycle has no value to draw through.
      let run = [];
      bins.forEach((bin, index) => {
        run.push(`${frame.x(binMiddle(bin, binSeconds, span))},${frame.y(bin[key] * 100)}`);
        const next = bins[index + 1];
        if (!next || next.bin_start !== bin.bin_start + binSeconds) {
          if (run.length > 1) {
            frame.chart.append(svg("polyline", { points: run.join(" "), fill: "none", stroke: colour, "stroke-width": 1.5 }));
          }
          run = [];
        }
      });
      for (const bin of bins) {
        frame.chart.append(withTitle(svg("circle", { cx: frame.x(binMiddle(bin, binSeconds, span)), cy: frame.y(bin[key] * 100),
          r: 3, fill: colour }), `${utcClock(bin.bin_start)} UTC: ${bin.cycles} cycles, green occupancy ` +
          `${(bin.green_occupancy * 100).toFixed(0)} %, red occupancy ${(bin.red_occupancy * 100).toFixed(0)} %, ` +
          `${bin.split_failures} split failures`));
      }
    }
    for (const bin of bins.filter((bin) => bin.split_failures > 0)) {
      frame.chart.append(svgText(`${bin.split_failures} SF`, { x: frame.x(binMiddle(bin, binSeconds, span)), y: frame.top + 9,
        "text-anchor": "middle", class: "caption", "font-weight": "700" }));
    }
    const cycles = bins.reduce((sum, bin) => sum + bin.cycles, 0);
    const failures = bins.reduce((sum, bin) => sum + bin.split_failures, 0);
    return panel(el("span", {}, el("b", {}, phaseName(phase)), ` · ${plural(failures, "split failure")} in ${plural(cycles, "cycle")}`), frame.chart);
  });
  return el("div", {}, el("div", { class: "measure-grid" }, panels),
    legend([["var(--green)", "green occupancy (mean per bin)"], ["var(--red)", "red occupancy, first 5 s (mean per bin)"]]));
}

function coordinationCharts(data, span) {
  if (!data.detector_map) return empty("No detector map: the junction file is not named in the city file.");
  const phases = byPhase(data.coordination_cycles);
  if (!phases.length) return empty("No complete cycle of a phase with an advance loop in this range.");
  const longest = Math.max(...data.coordination_cycles.map((cycle) => (cycle.end_ms - cycle.green_start_ms) / 1000));
  const yMax = niceCeiling(Math.max(10, longest));
  const panels = phases.map(([phase, cycles]) => {
    const frame = timeChart(span, { yMax, unit: "time in cycle (s)", height: 190 });
    for (const cycle of cycles) {
      const x1 = frame.x(cycle.green_start_ms / 1000), x2 = frame.x(cycle.end_ms / 1000);
      const offset = (ms) => (ms - cycle.green_start_ms) / 1000;
      const amber = cycle.amber_start_ms === undefined ? offset(cycle.end_ms) : offset(cycle.amber_start_ms);
      const red = cycle.red_start_ms === undefined ? amber : offset(cycle.red_start_ms);
      for (const [band, from, to] of [["band-green", 0, amber], ["band-amber", amber, red], ["band-red", red, offset(cycle.end_ms)]]) {
        if (to > from) {
          frame.chart.append(svg("rect", { class: band, x: x1, width: Math.max(0.5, x2 - x1), y: frame.y(to),
            height: frame.y(from) - frame.y(to) }));
        }
      }
    }
    const arrivals = data.coordination_arrivals.filter((arrival) => arrival.phase === phase);
    for (const arrival of arrivals) {
      frame.chart.append(svg("circle", { cx: frame.x(arrival.time_ms / 1000), cy: frame.y(arrival.cycle_s), r: 1.8,
        fill: "#17202b" }));
    }
    const bins = data.arrivals_on_green.filter((bin) => bin.phase === phase);
    const total = bins.reduce((sum, bin) => sum + bin.total_arrivals, 0);
    const green = bins.reduce((sum, bin) => sum + bin.green_arrivals, 0);
    const percent = total ? `${Math.round((green / total) * 100)} % arrivals on green (${green} of ${total})` : "no arrivals";
    return panel(el("span", {}, el("b", {}, phaseName(phase)), ` · ${percent}`), frame.chart);
  });
  return el("div", {}, el("div", { class: "measure-grid" }, panels),
    legend([["#17202b", "vehicle arrival (advance loop)"], ["rgba(31,178,84,.45)", "green"],
      ["rgba(245,163,0,.6)", "amber"], ["rgba(224,50,43,.3)", "red"]]));
}

// Bars per bin stacked by phase; `rows` have bin_start, phase and the `key` count.
function stackedBins(rows, key, span, binSeconds, unit) {
  const byStart = new Map();
  for (const row of rows) {
    if (!row[key]) continue;
    if (!byStart.has(row.bin_start)) byStart.set(row.bin_start, []);
    byStart.get(row.bin_start).push(row);
  }
  const totals = [...byStart.values()].map((list) => list.reduce((sum, row) => sum + row[key], 0));
  const frame = timeChart(span, { yMax: niceCeiling(Math.max(4, ...totals)), unit, height: 160 });
  const barWidth = Math.max(1, (binSeconds / (span.end - span.start)) * frame.plotWidth - 1);
  for (const [start, list] of byStart) {
    // The current bin is still open: its bar stops at the end of the span.
    const width = Math.min(barWidth, frame.x(span.end) - frame.x(start));
    if (width <= 0) continue;
    let stacked = 0;
    const group = withTitle(svg("g"), `${utcClock(start)}–${utcClock(start + binSeconds)} UTC\n` +
      list.map((row) => `${phaseName(row.phase)}: ${row[key]}`).join("\n"));
    for (const row of list.sort((a, b) => a.phase - b.phase)) {
      group.append(svg("rect", { x: frame.x(start), width, y: frame.y(stacked + row[key]),
        height: Math.max(0.5, frame.y(stacked) - frame.y(stacked + row[key])), fill: phaseColour(row.phase) }));
      stacked += row[key];
    }
    frame.chart.append(group);
  }
  const sums = byPhase(rows.filter((row) => row[key])).map(([phase, list]) =>
    [phaseColour(phase), `${phaseName(phase)} ${list.reduce((sum, row) => sum + row[key], 0)}`]);
  return { chart: frame.chart, legend: legend(sums), total: totals.reduce((a, b) => a + b, 0) };
}

function volumeCharts(data, span) {
  if (!data.detector_map) return empty("No detector map: the junction file is not named in the city file.");
  if (!data.approach_volumes.length) return empty("No vehicle counted in this range.");
  const binSeconds = data.bin_minutes * 60;
  const unit = `vehicles / ${data.bin_minutes} min`;
  const panels = [["stop_line", "Stop-line loops (approach volume)"], ["advance", "Advance loops (upstream)"]].map(([key, title]) => {
    const drawn = stackedBins(data.approach_volumes, key, span, binSeconds, unit);
    return panel(el("span", {}, el("b", {}, title), ` · ${drawn.total} vehicles`), drawn.chart, drawn.legend);
  });
  return el("div", { class: "measure-grid" }, panels);
}

function pedestrianCharts(data, span) {
  if (!data.pedestrian.length) return empty("No pedestrian call, press or walk in this range.");
  const binSeconds = data.bin_minutes * 60;
  const presses = stackedBins(data.pedestrian, "ped_actuations", span, binSeconds, `presses / ${data.bin_minutes} min`);
  const delays = data.pedestrian.filter((row) => row.ped_delay_s !== undefined);
  const frame = timeChart(span, { yMax: niceCeiling(Math.max(10, ...delays.map((row) => row.ped_delay_s))),
    unit: "mean delay (s)", height: 160 });
  for (const row of delays) {
    frame.chart.append(withTitle(svg("circle", { cx: frame.x(binMiddle(row, binSeconds, span)), cy: frame.y(row.ped_delay_s),
      r: 3.5, fill: phaseColour(row.phase) }), `${phaseName(row.phase)} ${utcClock(row.bin_start)} UTC: ` +
      `${row.ped_delay_s.toFixed(1)} s mean over ${row.ped_delay_samples} walks`));
  }
  const services = data.pedestrian.reduce((sum, row) => sum + row.ped_services, 0);
  const samples = delays.reduce((sum, row) => sum + row.ped_delay_samples, 0);
  return el("div", { class: "measure-grid" },
    panel(el("span", {}, el("b", {}, "Push-button presses"), ` · ${presses.total} presses, ${services} walks`),
      presses.chart, presses.legend),
    panel(el("span", {}, el("b", {}, "Pedestrian delay"), ` · press to walk, ${plural(samples, "wait")}`), frame.chart,
      legend(byPhase(delays).map(([phase]) => [phaseColour(phase), phaseName(phase)]))));
}
