// Display modes for elderly readers (适老化): large text and high contrast.
// Runs in <head> so the saved mode applies before first paint; no other script is needed to read.
(function () {
  var root = document.documentElement;
  var modes = ["large", "contrast"];
  function saved(mode) {
    try { return localStorage.getItem("xiezuo-" + mode) === "on"; } catch (e) { return false; }
  }
  root.classList.add("js");
  modes.forEach(function (m) { if (saved(m)) root.classList.add("mode-" + m); });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-mode]").forEach(function (button) {
      var mode = button.getAttribute("data-mode");
      button.setAttribute("aria-pressed", String(root.classList.contains("mode-" + mode)));
      button.addEventListener("click", function () {
        var on = root.classList.toggle("mode-" + mode);
        button.setAttribute("aria-pressed", String(on));
        try { localStorage.setItem("xiezuo-" + mode, on ? "on" : "off"); } catch (e) { /* private mode */ }
      });
    });
  });
})();
