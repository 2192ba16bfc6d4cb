function cnnlibCanon(text) {
  var s = String(text == null ? "" : text);
  s = s.replace(/[\u00d7\u2715\u2716xX*]/g, "x");
  s = s.replace(/[ \t\r\n\u00a0\u2009\u202f]/g, "").replace(/[_'\u2019]/g, "");
  if (!s) return {readings: [], error: "empty"};
  var label = null, rest = null;
  var m = /^([chwCHW](?:[x,]?[chwCHW]){2})[:=]([\s\S]*)$/.exec(s);
  if (m) { label = m[1]; rest = m[2]; } else {
    m = /^([\s\S]*)[(\[]([chwCHW](?:[x,]?[chwCHW]){2})[)\]]$/.exec(s);
    if (m) { label = m[2]; rest = m[1]; }
  }
  if (label === null) return cnnlibCanonPlain(s);
  var order = label.replace(/[x,]/g, "").toLowerCase();
  if (order.split("").sort().join("") !== "chw") return {readings: [], error: "format"};
  var r = cnnlibCanonPlain(rest), shape = null;
  for (var i = 0; i < r.readings.length && shape === null; i++) {
    var x = r.readings[i];
    if ("xt".indexOf(x.charAt(0)) >= 0 && x.split(",").length === 3) shape = x;
  }
  if (r.error || shape === null) return {readings: [], error: "format"};
  var nums = shape.slice(2).split(","), by = {};
  for (var j = 0; j < 3; j++) by[order.charAt(j)] = nums[j];
  return {readings: ["t:" + by.c + "," + by.h + "," + by.w], error: null};
}

function cnnlibCanonPlain(s) {
  if (!s) return {readings: [], error: "format"};
  var bad = {readings: [], error: "format"};
  var strip0 = function (p) { return p.replace(/^0+(?=[0-9])/, ""); };
  var all = function (parts, re) {
    for (var i = 0; i < parts.length; i++) if (!re.test(parts[i])) return false;
    return true;
  };
  var tup = s.length >= 2 && "([".indexOf(s.charAt(0)) >= 0 && ")]".indexOf(s.charAt(s.length - 1)) >= 0;
  if (tup) s = s.slice(1, -1);
  if (/[()\[\]]/.test(s)) return bad;
  var parts;
  if (s.indexOf("x") >= 0) {
    parts = s.split("x");
    if (tup || !all(parts, /^([0-9]+|[0-9]{1,3}(,[0-9]{3})+)$/)) return bad;
    return {readings: ["x:" + parts.map(function (p) { return strip0(p.replace(/,/g, "")); }).join(",")],
            error: null};
  }
  if (tup) {
    if (s.charAt(s.length - 1) === ",") s = s.slice(0, -1);
    parts = s.split(",");
    if (!all(parts, /^[0-9]+$/)) return bad;
    return {readings: ["t:" + parts.map(strip0).join(",")], error: null};
  }
  if (/^[0-9]+$/.test(s)) return {readings: ["n:" + strip0(s)], error: null};
  parts = s.replace(/,$/, "").split(",");
  var t = "t:" + parts.map(strip0).join(",");
  if (/^[0-9]{1,3}(,[0-9]{3})+$/.test(s)) return {readings: ["n:" + strip0(s.replace(/,/g, "")), t], error: null};
  if (/^[0-9]+(,[0-9]+)+,?$/.test(s)) return {readings: [t], error: null};
  return bad;
}
