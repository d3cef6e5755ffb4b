// Added by `xiezuo serve` to the HTML pages it serves, never to the built files: reloads the
// page when a rebuild changed it and shows the problems of a failed one over the last good
// page. Everything shown is set as text (textContent), so a diagnostic quoting markup shows it
// as written and can never run it.
(() => {
  "use strict";
  const script = document.currentScript;
  let shown = Number(script && script.dataset.generation);
  const here = pagePath(location.pathname);
  const events = new EventSource(new URL("/__xiezuo/events", script ? script.src : location.href));
  events.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    if (state.generation !== shown) {
      if (changedHere(state)) {
        events.close();
        location.reload();
        return;
      }
      shown = state.generation;
    }
    showOverlay(state.overlay);
  });

  // Whether a generation after the one shown changed this page, or what every page uses
  // (null), or may have: a restarted server, changes no longer all listed.
  function changedHere(state) {
    const changes = state.changes || [];
    if (state.generation < shown || !changes.length || changes[0][0] > shown + 1) return true;
    return changes.some(([generation, pages]) => generation > shown && (pages === null || pages.includes(here)));
  }

  function pagePath(pathname) {
    let path = pathname;
    try {
      path = decodeURIComponent(pathname);
    } catch (_) {
      // Not valid percent-encoding: compare it as it is.
    }
    return path.endsWith("/index.html") ? path.slice(0, -"index.html".length) : path;
  }

  const ID = "xiezuo-overlay";
  const CSS = `#${ID}{position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:70vh;
overflow:auto;box-sizing:border-box;margin:0;padding:1rem 1.25rem;background:#fff;color:#1a1a1a;
border-bottom:4px solid #b00020;box-shadow:0 2px 12px rgba(0,0,0,.35);font:16px/1.6 system-ui,sans-serif;text-align:left}
#${ID} h2{margin:0 0 .25rem;font-size:1.125rem;color:#b00020}
#${ID} p{margin:0 0 .5rem}
#${ID} ul{margin:0 0 .75rem;padding-left:1.25rem}
#${ID} li{white-space:pre-wrap;overflow-wrap:anywhere;font-family:ui-monospace,SFMono-Regular,Consolas,monospace;font-size:.9375rem}
#${ID} strong{color:#b00020}
#${ID} button{font:inherit;padding:.25rem .875rem;border:2px solid #1a1a1a;background:#fff;color:#1a1a1a;cursor:pointer}
#${ID} button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
@media print{#${ID}{display:none}}`;

  function element(tag, text) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showOverlay(overlay) {
    const old = document.getElementById(ID);
    if (old) old.remove();
    if (!overlay) return;
    if (!document.getElementById(ID + "-style")) {
      const style = element("style", CSS);
      style.id = ID + "-style";
      document.head.append(style);
    }
    const box = element("section");
    box.id = ID;
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", ID + "-title");
    const title = element("h2", overlay.title);
    title.id = ID + "-title";
    box.append(title, element("p", overlay.note));
    const list = element("ul");
    for (const item of overlay.items) {
      const line = element("li");
      line.append(element("strong", item.label), " " + item.text);
      list.append(line);
    }
    box.append(list);
    if (overlay.more) box.append(element("p", overlay.more));
    const close = element("button", overlay.close);
    close.type = "button";
    close.addEventListener("click", () => box.remove());
    box.append(close);
    document.body.prepend(box);
  }
})();
