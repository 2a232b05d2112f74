// Loads libsodium-wrappers-sumo from this site (/static/vendor/, listed in web/vendor.txt) and
// resolves with it once ready. Version 0.7.15 ships only UMD builds, so the two files run as
// classic scripts: libsodium-sumo sets `libsodium`, then the wrappers set `sodium`. Under the
// site's Content-Security-Policy WebAssembly may be refused; libsodium then falls back to its
// built-in JavaScript build (slower, same results).
const VENDOR = '/static/vendor/';
const FILES = [
  'libsodium-sumo/dist/modules-sumo/libsodium-sumo.js',
  'libsodium-wrappers-sumo/dist/modules-sumo/libsodium-wrappers.js',
];

function addScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

let loading = null;

export function loadSodium() {
  if (!loading) {
    loading = (async () => {
      if (!globalThis.sodium) {
        for (const f of FILES) await addScript(VENDOR + f);
      }
      await globalThis.sodium.ready;
      return globalThis.sodium;
    })();
  }
  return loading;
}
