// The live page: cnnlib's core running in the reader's browser (Pyodide in a Web Worker).
//
// Loaded only when the reader asks for it — the "Make this page live" button that
// tools/live_page.py puts on every chapter page, or the first edit in the playground — and
// written to _build/html/_live/live.js by that extension after one line of configuration
// (window.CNNLIB_LIVE_CONFIG: version, Pyodide's folder).
//
// It only moves text: it sends the reader's numbers and text to the worker (worker.mjs),
// which hands them to cnnlib.live.call, and shows the HTML or text that comes back. Every
// number on screen is computed by cnnlib in Python; no formula is written here.
//
//   static sliders (.static-widget[data-fn]): a number box beside each whole-number slider;
//     any value within the function's live bounds is computed by that function;
//   exercise banks (.cnnlib-exercise): an "Another one" button (cnnlib.exercises.another)
//     and answers judged by cnnlib.exercises.check_answers;
//   the playground builder (#cnnlib-playground-input): cnnlib.live.builder_result on each
//     edit, 150 ms after typing stops; a bad text shows its message and keeps the last result.
//
// State for readers and tests: <html data-cnnlib-live="loading|ready|failed">; each live
// widget/bank gets data-live="1"; a widget's and the builder's data-live-state is
// pending|ok|error. window.cnnlibLive.timings holds, per builder update, the time in Python
// (measured in the worker), the DOM update and the round trip (bench/live.py reads them).
(function () {
  "use strict";
  var cfg = window.CNNLIB_LIVE_CONFIG || {};
  var live = window.cnnlibLive || {};
  if (live.started) return;
  window.cnnlibLive = live;
  live.started = true;
  live.clickedAt = live.clickedAt || performance.now();
  live.timings = [];
  live.snapshot = null;
  var base = new URL(".", document.currentScript.src).href;

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = base + "live.css?v=" + encodeURIComponent(cfg.version || "");
  document.head.appendChild(css);

  // the chapter's line under "Make this page live", and the playground builder's own line
  function say(text, builderText) {
    var els = document.querySelectorAll("[data-cnnlib-live-status]");
    for (var i = 0; i < els.length; i++) {
      var forBuilder = els[i].getAttribute("data-cnnlib-live-status") === "builder";
      els[i].textContent = forBuilder && builderText ? builderText : text;
    }
  }
  function setState(state) {
    live.state = state;
    document.documentElement.setAttribute("data-cnnlib-live", state);
  }
  function seconds(ms) { return (ms / 1000).toFixed(1) + " s"; }

  setState("loading");
  say("Starting Python and cnnlib in this page… (about 14 MB the first time, then cached)");

  var query = new URLSearchParams({ v: cfg.version || "dev", pyodide: cfg.pyodide || "", core: cfg.core || "" });
  var worker = new Worker(base + "worker.mjs?" + query.toString(), { type: "module" });
  var pending = {}, nextId = 1;

  function call(fn, kwargs) {
    return new Promise(function (resolve) {
      var id = nextId++;
      pending[id] = { resolve: resolve, sent: performance.now() };
      worker.postMessage({ id: id, request: JSON.stringify({ fn: fn, kwargs: kwargs || {} }) });
    });
  }
  live.call = call;

  function firstResult() {
    if (live.firstResultMs === undefined) live.firstResultMs = performance.now() - live.clickedAt;
  }

  worker.onmessage = function (event) {
    var m = event.data;
    if (m.type === "ready") {
      live.startMs = m.ms;
      live.restored = m.snapshot;
      live.steps = m.steps;
      setState("ready");
      var started = "started in " + seconds(m.ms) + (m.snapshot ? " from this browser's cache" : "");
      say("Live: cnnlib is running in this page (Python 3.14 on Pyodide, " + started + "). " +
          "The number boxes take any value; exercises have an \u201cAnother one\u201d button.",
          "Live: your network is computed by cnnlib in this page as you type (" + started + ").");
      var buttons = document.querySelectorAll(".cnnlib-live button");
      for (var i = 0; i < buttons.length; i++) buttons[i].hidden = true;
      initWidgets();
      initBanks();
      initBuilder();
    } else if (m.type === "failed") {
      setState("failed");
      say("Live mode could not start (" + m.message + "). The precomputed sliders and exercises still work.");
    } else if (m.type === "snapshot-stored" || m.type === "snapshot-skipped") {
      live.snapshot = m.type.slice(9);
    } else if (pending[m.id]) {
      var p = pending[m.id];
      delete pending[m.id];
      var answer;
      try { answer = JSON.parse(m.answer); } catch (e) { answer = { ok: false, message: String(m.answer) }; }
      answer.pythonMs = m.ms;
      answer.roundTripMs = performance.now() - p.sent;
      p.resolve(answer);
    }
  };
  worker.onerror = function (event) {
    event.preventDefault();
    setState("failed");
    say("Live mode could not start its worker (" + (event.message || "no module workers?") +
        "). The precomputed sliders and exercises still work.");
  };

  // ---------------------------------------------------------------- static sliders

  function initWidgets() {
    var roots = Array.prototype.slice.call(document.querySelectorAll(".static-widget[data-fn]"));
    var names = roots.map(function (r) { return r.getAttribute("data-fn"); })
      .filter(function (n, i, all) { return all.indexOf(n) === i; });
    if (!names.length) return;
    call("cnnlib.live.describe", { names: names }).then(function (a) {
      if (!a.ok) return;
      roots.forEach(function (root) { liveWidget(root, a.value[root.getAttribute("data-fn")]); });
    });
  }

  function liveWidget(root, params) {
    if (!params) return;
    var fn = root.getAttribute("data-fn");
    var meta = JSON.parse(root.querySelector("script[type='application/json']").textContent);
    var sliders = Array.prototype.slice.call(root.querySelectorAll("input.sw-slider"));
    var out = root.querySelector(".sw-out");
    var note = root.querySelector(".sw-note");
    if (note) note.textContent = "Live: computed in this page by " + fn + " for the numbers in the boxes.";
    var msg = document.createElement("div");
    msg.className = "sw-live-msg";
    msg.setAttribute("aria-live", "polite");
    msg.hidden = true;
    out.parentNode.insertBefore(msg, out);
    var read = {}, seq = 0, timer = null;

    function update(now) {
      clearTimeout(timer);
      root.setAttribute("data-live-state", "pending");
      timer = setTimeout(function () {
        var mine = ++seq, kwargs = {};
        Object.keys(read).forEach(function (name) { kwargs[name] = read[name](); });
        call(fn, kwargs).then(function (a) {
          if (mine !== seq) return;
          if (a.ok) {
            out.innerHTML = a.value;
            out.setAttribute("data-live-args", JSON.stringify(kwargs));
            msg.hidden = true;
            root.setAttribute("data-live-state", "ok");
            firstResult();
          } else {
            msg.textContent = a.message + " (the result below is for the last numbers that worked)";
            msg.hidden = false;
            root.setAttribute("data-live-state", "error");
          }
        });
      }, now ? 0 : 120);
    }

    params.forEach(function (p) {
      var index = sliders.map(function (s) { return s.getAttribute("data-param"); }).indexOf(p.name);
      var slider = sliders[index];
      if (!slider) return;
      var output = root.querySelector("output[data-for='" + p.name + "']");
      if (p.kind !== "int") {
        read[p.name] = function () { return output.textContent; };
        slider.addEventListener("input", function () { update(false); });
        return;
      }
      var box = document.createElement("input");
      box.type = "number";
      box.className = "sw-num";
      box.min = p.min;
      box.max = p.max;
      box.step = 1;
      box.value = output.textContent;
      box.setAttribute("data-param", p.name);
      box.setAttribute("aria-label", p.label + ": any whole number from " + p.min + " to " + p.max);
      box.title = "any whole number from " + p.min.toLocaleString("en") + " to " + p.max.toLocaleString("en");
      output.hidden = true;
      output.parentNode.insertBefore(box, output.nextSibling);
      read[p.name] = function () { return box.value; };
      // the slider's own script has already written its label into <output>
      slider.addEventListener("input", function () {
        box.value = output.textContent;
        slider.classList.remove("sw-off");
        update(false);
      });
      box.addEventListener("input", function () {
        var at = meta.v[index].indexOf(box.value.trim());
        if (at >= 0) slider.value = String(at);
        slider.classList.toggle("sw-off", at < 0);
        slider.title = at < 0 ? "the number in the box is outside this slider's precomputed range" : "";
        update(false);
      });
    });
    root.setAttribute("data-live", "1");
    update(true);
  }

  // ---------------------------------------------------------------- exercise banks

  function initBanks() {
    var roots = document.querySelectorAll(".cnnlib-exercise[data-topic]");
    Array.prototype.forEach.call(roots, function (root) {
      var bank = root.cnnlibBank;
      if (!bank) return;
      var seed = null;
      var note = document.createElement("div");
      note.className = "cnnlib-ex-live-note";
      note.setAttribute("aria-live", "polite");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "Another one";
      button.title = "A new exercise, generated by cnnlib in this page";
      button.setAttribute("data-role", "another");
      root.querySelector(".cnnlib-ex-buttons").appendChild(button);
      root.querySelector("[data-role='next']").textContent = "Next in this bank";
      root.querySelector(".cnnlib-ex-buttons").after(note);
      button.addEventListener("click", function () {
        button.disabled = true;
        call("cnnlib.exercises.another", { topic: root.getAttribute("data-topic"), after: seed }).then(function (a) {
          button.disabled = false;
          var item = a.value;
          if (!a.ok || !item || item.error) {
            note.textContent = "No new exercise: " + (a.message || (item && item.error));
            return;
          }
          note.textContent = "";
          seed = item.seed;
          root.setAttribute("data-live-seed", String(seed));
          bank.show(item);
        });
      });
      bank.check = function (item, texts) {
        return call("cnnlib.exercises.check_answers", { topic: item.topic, seed: item.seed, answers: texts })
          .then(function (a) { return a.ok && !a.value.error ? a.value : {}; });
      };
      root.setAttribute("data-live", "1");
    });
  }

  // ---------------------------------------------------------------- the playground builder

  function initBuilder() {
    var box = document.getElementById("cnnlib-playground-input");
    if (!box) return;
    var root = box.closest(".cnnlib-builder");
    var out = root.querySelector("[data-role='output']");
    var total = document.getElementById("cnnlib-playground-params");
    var msg = root.querySelector("[data-role='message']");
    var seq = 0, timer = null;

    function run() {
      var mine = ++seq, t0 = performance.now();
      call("cnnlib.live.builder_result", { text: box.value }).then(function (a) {
        if (mine !== seq) return; // a newer text is on its way
        var r = a.ok ? a.value : { ok: false, message: a.message };
        var t1 = performance.now();
        if (r.ok) {
          out.innerHTML = r.html;
          total.textContent = r.params_text;
          msg.textContent = "";
          msg.hidden = true;
          out.classList.remove("pgb-stale");
          root.setAttribute("data-live-state", "ok");
        } else {
          msg.textContent = r.message;
          var why = document.createElement("small");
          why.textContent = "The total and the table below are those of the last network that worked.";
          msg.appendChild(why);
          msg.hidden = false;
          out.classList.add("pgb-stale");
          root.setAttribute("data-live-state", "error");
        }
        void out.offsetHeight; // lay the new result out now, inside the measured time
        var t2 = performance.now();
        live.timings.push({ python: a.pythonMs, dom: t2 - t1, roundTrip: a.roundTripMs, total: t2 - t0 });
        firstResult();
      });
    }
    box.addEventListener("input", function () {
      root.setAttribute("data-live-state", "pending");
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    });
    root.setAttribute("data-live", "1");
    root.setAttribute("data-live-state", "pending");
    run(); // the text as it is now: the edit that made the page live counts
  }
})();
