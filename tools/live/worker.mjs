// The live page's Web Worker: Pyodide (Python 3.14 in WebAssembly) running cnnlib's core.
// Copied verbatim into _build/html/_live/ by tools/live_page.py; started by live.js as
//   new Worker("worker.mjs?v=<version>&pyodide=<folder>&core=<archive>", {type: "module"})
//
// It computes nothing itself. It loads Pyodide, unpacks the core archive (cnnlib/ without
// cnnlib/book/, packed by tools/live_pack.py) into Pyodide's file system, imports cnnlib,
// and then hands each request's text to cnnlib.live.call and posts the answer's text back.
//
// Messages: page -> worker {id, request: "<JSON text>"};
//           worker -> page {type: "ready", ms, snapshot, steps} | {type: "failed", message}
//                        | {id, answer: "<JSON text>", ms: <time in Python>}
//                        | {type: "snapshot-stored" | "snapshot-skipped"}.
//
// Second visits: after the first answer of a fresh start, the worker stores a memory snapshot
// of the started interpreter (cnnlib imported) in the Cache Storage API under a key holding
// <version>; the next start restores it (about 0.5 s instead of about 3 s). A snapshot that
// fails to load is deleted and Python starts afresh. Pyodide's snapshot options
// (_makeSnapshot, _loadSnapshot) are experimental: they are pinned with Pyodide's version.

const params = new URL(import.meta.url).searchParams;
const version = params.get("v") || "dev";
const pyodideURL = new URL(params.get("pyodide") || "../_static/pyodide/", import.meta.url).href;
const coreURL = new URL(params.get("core") || "cnnlib-core.tar.gz", import.meta.url);
coreURL.searchParams.set("v", version);
const CACHE = "cnnlib-live";
const SNAPSHOT = new URL(`snapshot-${version}`, import.meta.url).href;
const CORE_DIR = "/home/pyodide/core";
const quiet = () => {};

let call = null; // cnnlib.live.call, a Python function taking and returning text
let fresh = false; // started without a snapshot: store one after the first answer

async function openCache() {
  try {
    return self.caches ? await self.caches.open(CACHE) : null;
  } catch (e) {
    return null; // no Cache Storage (an insecure http origin, or storage disabled)
  }
}

// Unpack the core archive (a gzip-compressed ustar file, tools/live_pack.py) into Pyodide's
// file system: the browser's gzip, then each 512-byte header's name and size. Doing this here
// rather than with pyodide.unpackArchive spares Python importing tarfile, gzip and shutil
// (about 0.1 s of the start).
async function installCore(py, archive) {
  const gunzip = new Blob([archive]).stream().pipeThrough(new DecompressionStream("gzip"));
  const tar = new Uint8Array(await new Response(gunzip).arrayBuffer());
  const text = new TextDecoder();
  const field = (at, length) => {
    let end = at;
    while (end < at + length && tar[end]) end++;
    return text.decode(tar.subarray(at, end));
  };
  for (let at = 0; at + 512 <= tar.length && tar[at]; ) {
    const prefix = field(at + 345, 155);
    const name = (prefix ? prefix + "/" : "") + field(at, 100);
    const size = parseInt(field(at + 124, 12).trim() || "0", 8);
    if (tar[at + 156] === 48 || tar[at + 156] === 0) { // "0" or NUL: a regular file
      const path = `${CORE_DIR}/${name}`;
      py.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
      py.FS.writeFile(path, tar.subarray(at + 512, at + 512 + size));
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

async function start(loadPyodide) {
  const t0 = performance.now();
  const core = fetch(coreURL).then((r) => {
    if (!r.ok) throw new Error(`${coreURL.pathname}: HTTP ${r.status}`);
    return r.arrayBuffer();
  });
  const cache = await openCache();
  const hit = cache ? await cache.match(SNAPSHOT) : undefined;
  const options = { indexURL: pyodideURL, stdout: quiet, stderr: quiet };
  if (hit) {
    try {
      const snap = new Uint8Array(await hit.arrayBuffer());
      const py = await loadPyodide({ ...options, _loadSnapshot: snap });
      await installCore(py, await core); // modules imported later read their files from here
      call = py.pyimport("cnnlib.live").call;
      JSON.parse(call('{"fn": "cnnlib.live.describe", "kwargs": {"names": []}}'));
      return { ms: performance.now() - t0, snapshot: true };
    } catch (e) {
      await cache.delete(SNAPSHOT); // stale or broken: start afresh below
    }
  }
  const steps = {};
  const py = await loadPyodide({ ...options, _makeSnapshot: Boolean(cache) });
  steps.loadPyodide = performance.now() - t0;
  await installCore(py, await core);
  steps.core = performance.now() - t0;
  py.runPython(`
import sys
sys.path.insert(0, "${CORE_DIR}")
import cnnlib.live
`);
  steps.imported = performance.now() - t0;
  call = py.pyimport("cnnlib.live").call;
  fresh = Boolean(cache);
  self.storeSnapshot = async () => {
    // every core module imported first, so that the snapshot holds all of cnnlib
    py.runPython(`
import pkgutil, importlib, cnnlib
for m in pkgutil.walk_packages(cnnlib.__path__, "cnnlib."):
    if not m.name.endswith("__main__"):
        importlib.import_module(m.name)
`);
    const snap = py.makeMemorySnapshot();
    const keys = await cache.keys();
    await Promise.all(keys.filter((k) => k.url !== SNAPSHOT).map((k) => cache.delete(k)));
    await cache.put(SNAPSHOT, new Response(snap));
  };
  return { ms: performance.now() - t0, snapshot: false, steps };
}

const ready = import(new URL("pyodide.mjs", pyodideURL).href)
  .then((m) => start(m.loadPyodide))
  .then((info) => {
    postMessage({ type: "ready", ...info });
    return true;
  })
  .catch((e) => {
    postMessage({ type: "failed", message: String((e && e.message) || e) });
    return false;
  });

self.onmessage = async (event) => {
  const { id, request } = event.data;
  if (!(await ready)) {
    postMessage({ id, answer: JSON.stringify({ ok: false, message: "Python did not start" }) });
    return;
  }
  const t = performance.now();
  let answer;
  try {
    answer = call(request);
  } catch (e) {
    answer = JSON.stringify({ ok: false, message: `worker: ${(e && e.message) || e}` });
  }
  postMessage({ id, answer, ms: performance.now() - t });
  if (fresh) {
    fresh = false;
    setTimeout(() => {
      self.storeSnapshot().then(
        () => postMessage({ type: "snapshot-stored" }),
        () => postMessage({ type: "snapshot-skipped" }));
    }, 1000);
  }
};
