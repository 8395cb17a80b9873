/* Regie analysis charts: drawn in the browser by plotly.js, served by Regie itself.
   Data comes from <script type="application/json"> blocks (never executed) named by
   data-source on each chart element; nothing here contacts another host. */
(function () {
  "use strict";

  function readData(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!source) { return null; }
    try { return JSON.parse(source.textContent); } catch (e) { return null; }
  }

  function concentration(el, data) {
    var traces = [
      { type: "bar", orientation: "h", name: data.labels.reliance, y: data.groups, x: data.reliance,
        marker: { color: "#154273" }, hovertemplate: "%{y}: %{x} %<extra></extra>" },
      { type: "bar", orientation: "h", name: data.labels.spend, y: data.groups, x: data.spend,
        marker: { color: "#e17000" }, hovertemplate: "%{y}: %{x} %<extra></extra>" }
    ];
    var layout = {
      barmode: "group",
      height: Math.max(220, 60 + data.groups.length * 44),
      margin: { l: 200, r: 20, t: 10, b: 40 },
      xaxis: { title: { text: data.labels.axis }, range: [0, 100] },
      yaxis: { autorange: "reversed", automargin: true },
      legend: { orientation: "h", y: -0.2 },
      font: { family: "system-ui, sans-serif", size: 13 }
    };
    window.Plotly.newPlot(el, traces, layout, { displayModeBar: false, responsive: true });
  }

  var charts = { concentration: concentration };

  function draw() {
    if (!window.Plotly) { return; }
    var els = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var kind = charts[el.getAttribute("data-chart")];
      var data = readData(el);
      if (kind && data && data.groups && data.groups.length) { kind(el, data); }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
