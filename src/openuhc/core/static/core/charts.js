// Draws every <canvas data-chart-config="ID"> with the Chart.js configuration in <script id="ID">.
(function () {
  function draw(root) {
    if (typeof Chart === "undefined") { return; }
    (root || document).querySelectorAll("canvas[data-chart-config]").forEach(function (canvas) {
      if (canvas.dataset.rendered === "true") { return; }
      var source = document.getElementById(canvas.dataset.chartConfig);
      if (!source) { return; }
      new Chart(canvas, JSON.parse(source.textContent));
      canvas.dataset.rendered = "true";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
