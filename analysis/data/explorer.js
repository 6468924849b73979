// The explorer page's one callback (analysis/explorer.py passes the models below as arguments). Every control,
// selection and button calls it; it works out what changed from `cb_obj` and updates the linked views. Changes it
// makes itself (selections) call it again, which the `busy` flag ignores.
const state = window.explorer_state || (window.explorer_state = {busy: false, current: -1, occ: null, points: ""});
if (state.busy) return;
state.busy = true;
try {
  run(cb_obj && cb_obj.origin !== undefined ? cb_obj.origin : cb_obj);
} finally {
  state.busy = false;
}

function run(origin) {
  if (origin === side) { showSide(); findTerms(); }
  else if (origin === search) findTerms();
  else if (origin === points.selected) pointsChosen();
  else if (origin === terms.selected) termsChosen();
  else if (origin === article_filter || origin === frame_filter || origin === speaker_filter) applyFilters();
  else if (origin === cells.selected) { if (cells.selected.indices.length) showSentence(cells.data.s[cells.selected.indices[0]]); }
  else if (origin === listing.selected) { if (listing.selected.indices.length) showSentence(listing.data.s[listing.selected.indices[0]]); }
  else if (origin === previous || origin === following) step(origin === following ? 1 : -1);
  else { showSide(); applyFilters(); }  // document ready
}

// --- helpers ------------------------------------------------------------------------------------------------
function esc(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
function fixed(x) { return (x >= 0 ? "+" : "\u2212") + Math.abs(x).toFixed(2); }
function swatch(colour) { return '<span class="swatch" style="background:' + colour + '"></span>'; }
function sideIndex() { return Number(side.value || 0); }

// --- term view ----------------------------------------------------------------------------------------------
function showSide() {
  const k = sideIndex();
  points_filter.booleans = Array.from(points.data.side, (v) => v === k);
  terms_filter.booleans = Array.from(terms.data.side, (v) => v === k);
  setPoints([]);
  const label = sides[k].label;  // as explorer.side_axis_label writes it
  yaxis.axis_label = "Per 1,000 terms in " + (label.length <= 40 ? label : label.slice(0, 39).replace(/[ \-_]+$/, "") + "\u2026");
}

function occurrencesOf(term) {
  if (state.occ === null) {
    state.occ = new Map();
    const t = occ.data.term;  // the place of each occurrence's term in `vocabulary`
    for (let i = 0; i < t.length; i++) {
      const name = vocabulary[t[i]];
      if (!state.occ.has(name)) state.occ.set(name, []);
      state.occ.get(name).push(i);
    }
  }
  return state.occ.get(term) || [];
}

function findTerms() {
  const query = String(search.value_input || search.value || "").trim().toLowerCase().replace(/\s+/g, " ");
  const k = sideIndex();
  if (!query) {
    terms_filter.booleans = Array.from(terms.data.side, (v) => v === k);
    setPoints([]);
    kwic.text = '<p class="note">Search a term, click a circle or choose a row of the table to see its keyword-in-context lines.</p>';
    return;
  }
  const exact = [], word = [];
  for (let i = 0; i < terms.data.term.length; i++) {
    if (terms.data.side[i] !== k) continue;
    const t = terms.data.term[i];
    if (t === query) exact.push(i);
    else if (t.startsWith(query) || t.includes(" " + query)) word.push(i);
  }
  const chosen = exact.length ? exact : word;
  showTerms(chosen);
  setPoints([...new Set(chosen.map((i) => terms.data.point[i]))]);
  showKwic(chosen.length ? chosen.map((i) => terms.data.term[i]) : [query], chosen.length === 0);
}

// The term table lists `rows` (all the side's terms if none). Its selection is left to the reader: a table whose
// selection is set from here takes the keyboard focus.
function showTerms(rows) {
  const k = sideIndex();
  if (!rows.length) { terms_filter.booleans = Array.from(terms.data.side, (v) => v === k); return; }
  const keep = new Set(rows);
  terms_filter.booleans = Array.from(terms.data.side, (v, i) => keep.has(i));
}

// Select the term view's circles `indices`. Bokeh may report the change after this callback has returned, so the
// selection made here is remembered, and `pointsChosen` acts only on the reader's own.
function setPoints(indices) {
  state.points = indices.join(",");
  points.selected.indices = indices;
}

function pointsChosen() {
  if (points.selected.indices.join(",") === state.points) return;
  state.points = null;
  const chosen = new Set(points.selected.indices), k = sideIndex(), rows = [];
  if (!chosen.size) { findTerms(); return; }
  for (let i = 0; i < terms.data.point.length; i++) if (chosen.has(terms.data.point[i])) rows.push(i);
  showTerms(rows);
  showKwic(rows.map((i) => terms.data.term[i]), false);
}

function termsChosen() {
  const rows = terms.selected.indices;
  if (!rows.length) return;
  setPoints([...new Set(rows.map((i) => terms.data.point[i]))]);
  showKwic(rows.map((i) => terms.data.term[i]), false);
}

function kwicLine(o) {
  const s = occ.data.s[o], start = occ.data.start[o], end = occ.data.end[o], text = sentences.data.text[s];
  let left = text.slice(Math.max(0, start - 60), start), right = text.slice(end, end + 60);
  if (start > 60) left = "\u2026" + left.replace(/^\S*\s/, "");
  if (end + 60 < text.length) right = right.replace(/\s\S*$/, "") + "\u2026";
  const a = sentences.data.a[s];
  return '<tr><td class="who">' + esc(labels[a]) + ", " + sentences.data.n[s] + '</td><td class="left">' +
    esc(left) + '</td><td class="match">' + esc(text.slice(start, end)) + "</td><td>" + esc(right) + "</td></tr>";
}

function showKwic(names, unplotted) {
  if (!names.length) {
    kwic.text = '<p class="note">No term chosen.</p>';
    return;
  }
  const mine = new Set(sides[sideIndex()].articles);
  const here = [], rest = [];
  for (const name of names)
    for (const o of occurrencesOf(name)) (mine.has(sentences.data.a[occ.data.s[o]]) ? here : rest).push(o);
  const order = (x, y) => occ.data.s[x] - occ.data.s[y] || occ.data.start[x] - occ.data.start[y];
  here.sort(order); rest.sort(order);
  const limit = 200, shown = here.concat(rest).slice(0, limit);
  const title = names.length === 1 ? "\u201c" + esc(names[0]) + "\u201d" : names.length + " terms (" +
    names.slice(0, 8).map(esc).join(", ") + (names.length > 8 ? ", \u2026" : "") + ")";
  let text = "<h2>Keyword in context: " + title + "</h2>";
  if (!here.length && !rest.length) {
    kwic.text = text + '<p class="note">' + (unplotted ? "No term of the term view matches this search (stop " +
      "words, numbers and terms used only once in the corpus are not counted)." : "No occurrence.") + "</p>";
    return;
  }
  text += "<p>" + here.length + " line" + (here.length === 1 ? "" : "s") + " in " + esc(sides[sideIndex()].label) +
    ", " + rest.length + " in the rest of the corpus" + (here.length + rest.length > limit ?
    "; the first " + limit + " are shown" : "") + ".</p>";
  kwic.text = text + '<div class="scroll"><table class="kwic">' + shown.map(kwicLine).join("") + "</table></div>";
}

// --- frames and sentences -----------------------------------------------------------------------------------
function matches(s) {
  const a = article_filter.value, f = frame_filter.value, who = speaker_filter.value;
  const art = sentences.data.a[s];
  if (a.startsWith("a") && art !== Number(a.slice(1))) return false;
  if (a.startsWith("t") && !sides[Number(a.slice(1))].articles.includes(art)) return false;
  const found = sentences.data.frames[s];
  if (f === "" && found !== "") return false;
  if (f !== "*" && f !== "" && !found.split(";").includes(f)) return false;
  const speaker = sentences.data.speaker[s];
  if (who === "" && speaker !== "") return false;
  if (who === "+" && speaker === "") return false;
  if (who.startsWith("=") && speaker !== who.slice(1)) return false;
  return true;
}

function frameNames(found) {
  return found ? found.split(";").map((f) => frames[f] || f).join(", ") : uncoded;
}

function applyFilters() {
  const n = sentences.data.text.length, keep = [];
  for (let s = 0; s < n; s++) if (matches(s)) keep.push(s);
  const kept = new Set(keep);
  const data = Object.assign({}, cells.data);
  data.alpha = Array.from(cells.data.s, (s) => (kept.has(s) ? 1.0 : 0.12));
  cells.data = data;
  listing.data = {
    s: keep,
    article: keep.map((s) => labels[sentences.data.a[s]]),
    n: keep.map((s) => sentences.data.n[s]),
    frames: keep.map((s) => frameNames(sentences.data.frames[s])),
    speaker: keep.map((s) => sentences.data.speaker[s]),
    compound: keep.map((s) => sentences.data.compound[s]),
    text: keep.map((s) => sentences.data.text[s]),
  };
  if (listing.selected.indices.length) listing.selected.indices = [];  // its rows changed
  count.text = "<p><b>" + keep.length + "</b> of " + n + " sentences match the filters" +
    (keep.length ? " (listed below; click a row, or use the arrow keys in the list)." : ".") + "</p>";
}

function evidenceSpans(text, words) {
  const spans = [];
  for (const word of words) {
    if (!word) continue;
    const pattern = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
    const re = new RegExp("(?<![\\p{L}\\p{N}])" + pattern + "(?![\\p{L}\\p{N}])", "giu");
    let m;
    while ((m = re.exec(text)) !== null) spans.push([m.index, m.index + m[0].length]);
  }
  spans.sort((x, y) => x[0] - y[0]);
  let html = "", at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    html += esc(text.slice(at, start)) + "<mark>" + esc(text.slice(start, end)) + "</mark>";
    at = end;
  }
  return html + esc(text.slice(at));
}

function tone(x) {
  return x >= 0.05 ? "positive" : x <= -0.05 ? "negative" : "neutral";
}

function showSentence(s) {
  state.current = s;
  const found = sentences.data.frames[s], evidence = {};
  for (const part of sentences.data.evidence[s].split(" | ")) {
    const at = part.indexOf(": ");
    if (at > 0) evidence[part.slice(0, at)] = part.slice(at + 2).split(", ");
  }
  const all = [].concat(...Object.values(evidence));
  let text = "<h2>" + esc(labels[sentences.data.a[s]]) + ", sentence " + sentences.data.n[s] + " (" +
    esc(sentences.data.kind[s]) + ")</h2>";
  text += '<p class="sentence">' + evidenceSpans(sentences.data.text[s], all) + "</p><dl><dt>Frames</dt>";
  if (!found) text += "<dd>" + swatch(colours[""]) + "none: no dictionary term of any frame in this sentence</dd>";
  for (const f of found ? found.split(";") : [])
    text += "<dd>" + swatch(colours[f] || colours[""]) + "<b>" + esc(frames[f] || f) + "</b>, decided by: " +
      (evidence[f] || []).map((w) => "\u201c" + esc(w) + "\u201d").join(", ") + "</dd>";
  const speaker = sentences.data.speaker[s];
  text += "<dt>Speaker</dt><dd>" + (speaker ? esc(speaker) + " (the sentence is inside a quotation attributed to them)"
    : esc(narration)) + "</dd>";
  const c = sentences.data.compound[s];
  text += "<dt>Tone</dt><dd>VADER compound " + fixed(c) + " (" + tone(c) + "; \u22121 most negative, +1 most " +
    "positive, computed on the raw sentence)</dd></dl>";
  detail.text = text;
  const mine = [];
  for (let i = 0; i < cells.data.s.length; i++) if (cells.data.s[i] === s) mine.push(i);
  cells.selected.indices = mine;
}

function step(by) {
  const list = listing.data.s;
  if (!list.length) return;
  const at = list.indexOf(state.current);
  const next = at < 0 ? (by > 0 ? 0 : list.length - 1) : Math.min(Math.max(at + by, 0), list.length - 1);
  showSentence(list[next]);
}
