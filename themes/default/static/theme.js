// Reading aids for elderly readers (适老化): the 大字 and 高对比 modes, an article's 字号 and its
// 打印 button, each remembered across pages. Runs in <head> so a saved mode applies before the
// first paint. Every page reads without this script; it only adds these controls.
(function () {
  var root = document.documentElement;
  var sizes = ["large", "medium", "small"];
  function load(key) {
    try { return localStorage.getItem("xiezuo-" + key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { localStorage.setItem("xiezuo-" + key, value); } catch (e) { /* private mode */ }
  }
  function press(buttons, pressed) {
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(pressed(b))); });
  }
  root.classList.add("js");
  ["large", "contrast"].forEach(function (m) { if (load(m) === "on") root.classList.add("mode-" + m); });
  var size = load("size");
  if (size === "large" || size === "small") root.classList.add("size-" + size);

  // A sideways scroller (a wide table) says so while it has more to show: CSS shows a cue on
  // `.is-scrollable`, and without this script on every scroller of a narrow screen.
  function markScrollers() {
    document.querySelectorAll(".table-scroll").forEach(function (el) {
      el.classList.toggle("is-scrollable", el.scrollWidth > el.clientWidth + 1);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var modes = document.querySelectorAll("button[data-mode]");
    press(modes, function (b) { return root.classList.contains("mode-" + b.getAttribute("data-mode")); });
    modes.forEach(function (button) {
      button.addEventListener("click", function () {
        var mode = button.getAttribute("data-mode");
        var on = root.classList.toggle("mode-" + mode);
        button.setAttribute("aria-pressed", String(on));
        save(mode, on ? "on" : "off");
        markScrollers();
      });
    });
    var sizeButtons = document.querySelectorAll("button[data-size]");
    function current() {
      return sizes.filter(function (s) { return root.classList.contains("size-" + s); })[0] || "medium";
    }
    press(sizeButtons, function (b) { return b.getAttribute("data-size") === current(); });
    sizeButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        var chosen = button.getAttribute("data-size");
        sizes.forEach(function (s) { root.classList.toggle("size-" + s, s === chosen && s !== "medium"); });
        press(sizeButtons, function (b) { return b === button; });
        save("size", chosen);
        markScrollers();
      });
    });
    document.querySelectorAll("button[data-action=print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    markScrollers();
    window.addEventListener("resize", markScrollers);
  });
})();
