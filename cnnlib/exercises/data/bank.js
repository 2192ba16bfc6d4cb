function cnnlibInitBank(root) {
  root.setAttribute("data-ready", "1");
  var data = JSON.parse(root.querySelector('script[data-role="bank-data"]').textContent);
  var q = function (role) { return root.querySelector('[data-role="' + role + '"]'); };
  var rows = q("answers"), sol = q("solution"), solBtn = q("solution-button");
  var i = 0, item = data.items[0];
  // The live page (tools/live/live.js) shows generated exercises through this object and
  // sets check(item, texts) -> Promise of {name: {state, message}}: cnnlib's own checker.
  var api = root.cnnlibBank = { show: function (it) { render(it); }, check: null };
  function kindOk(r, a) {
    var head = r.split(":")[0], body = r.slice(2);
    if (a.kind === "number") return head === "n";
    return (head === "x" || head === "t") && body.split(",").length === a.dims;
  }
  function verdict(a, text) {
    var c = cnnlibCanon(text);
    if (c.error) return ["format", data.msg[c.error].replace("{text}", String(text).trim())];
    var k, ok = false;
    for (k = 0; k < c.readings.length; k++) if (a.accept.indexOf(c.readings[k]) >= 0) return ["correct", a.right];
    for (k = 0; k < c.readings.length; k++) {
      if (Object.prototype.hasOwnProperty.call(a.mistakes, c.readings[k])) {
        return ["wrong", "Not quite. " + a.mistakes[c.readings[k]] + " Try again, or show the solution."];
      }
      if (kindOk(c.readings[k], a)) ok = true;
    }
    if (!ok) return ["format", a.kindMsg];
    return ["wrong", "Not quite. Hint: " + a.hint + " Try again, or show the solution."];
  }
  function show(fb, state, message) {
    fb.setAttribute("data-state", state);
    fb.textContent = (state === "correct" ? "\u2713 " : "\u2717 ") + message;
  }
  function checkAll() {
    var shown = item, texts = {}, j;
    for (j = 0; j < shown.answers.length; j++) {
      texts[shown.answers[j].name] = rows.children[j].querySelector('[data-role="answer-input"]').value;
    }
    if (shown.seed !== undefined && api.check) {
      api.check(shown, texts).then(function (res) {
        if (item !== shown) return;
        shown.answers.forEach(function (a, k) {
          var r = res[a.name];
          if (r) show(rows.children[k].querySelector('[data-role="feedback"]'), r.state, r.message);
        });
      });
      return;
    }
    for (j = 0; j < shown.answers.length; j++) {
      var v = verdict(shown.answers[j], texts[shown.answers[j].name]);
      show(rows.children[j].querySelector('[data-role="feedback"]'), v[0], v[1]);
    }
  }
  function render(it) {
    item = it || data.items[i];
    var pos = q("position");
    pos.textContent = item.title || "Exercise ";
    if (!item.title) {
      var num = document.createElement("span");
      num.setAttribute("data-role", "number");
      num.textContent = String(i + 1);
      pos.appendChild(num);
      pos.appendChild(document.createTextNode(" of " + data.items.length));
    }
    var qel = q("question"), cut = item.question.indexOf("\n");
    qel.textContent = cut < 0 ? item.question : item.question.slice(0, cut);
    if (cut >= 0) {
      var note = document.createElement("span");
      note.className = "cnnlib-ex-note";
      note.textContent = item.question.slice(cut + 1);
      qel.appendChild(note);
    }
    while (rows.firstChild) rows.removeChild(rows.firstChild);
    item.answers.forEach(function (a, j) {
      var row = document.createElement("div");
      row.className = "cnnlib-ex-row";
      row.setAttribute("data-role", "answer-row");
      row.setAttribute("data-answer", a.name);
      var id = root.id + "-a" + j;
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = a.name;
      var input = document.createElement("input");
      input.type = "text";
      input.id = id;
      input.autocomplete = "off";
      input.spellcheck = false;
      input.placeholder = a.placeholder;
      input.setAttribute("data-role", "answer-input");
      input.setAttribute("data-answer", a.name);
      input.addEventListener("keydown", function (e) { if (e.key === "Enter") checkAll(); });
      var fb = document.createElement("div");
      fb.className = "cnnlib-ex-feedback";
      fb.setAttribute("data-role", "feedback");
      fb.setAttribute("data-answer", a.name);
      fb.setAttribute("aria-live", "polite");
      row.appendChild(label); row.appendChild(input); row.appendChild(fb);
      rows.appendChild(row);
    });
    sol.textContent = item.solution;
    sol.hidden = true;
    solBtn.textContent = "Show solution";
    solBtn.setAttribute("aria-expanded", "false");
  }
  q("check").addEventListener("click", checkAll);
  solBtn.addEventListener("click", function () {
    sol.hidden = !sol.hidden;
    solBtn.textContent = sol.hidden ? "Show solution" : "Hide solution";
    solBtn.setAttribute("aria-expanded", sol.hidden ? "false" : "true");
  });
  q("next").addEventListener("click", function () { i = (i + 1) % data.items.length; render(); });
  render();
}
(function () {
  var roots = document.querySelectorAll(".cnnlib-exercise[data-cnnlib-bank]:not([data-ready])");
  for (var r = 0; r < roots.length; r++) cnnlibInitBank(roots[r]);
})();
