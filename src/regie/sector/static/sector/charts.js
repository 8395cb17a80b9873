/* Regie sector charts (plotly.js served by Regie). Data comes from a non-executed
   application/json block named by data-source; labels from data-label-* attributes. */
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    var els = document.querySelectorAll("[data-chart='sector-reliance']");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var source = document.getElementById(el.getAttribute("data-source"));
      var data = null;
      try { data = JSON.parse(source.textContent); } catch (e) { data = null; }
      if (!data || !data.groups || !data.groups.length) { continue; }
      var traces = [
        { type: "bar", orientation: "h", name: el.getAttribute("data-label-orgs"), y: data.groups, x: data.orgs,
          marker: { color: "#154273" } },
        { type: "bar", orientation: "h", name: el.getAttribute("data-label-processes"), y: data.groups, x: data.processes,
          marker: { color: "#e17000" } }
      ];
      window.Plotly.newPlot(el, traces, {
        barmode: "group", height: Math.max(220, 60 + data.groups.length * 44),
        margin: { l: 220, r: 20, t: 10, b: 40 }, xaxis: { range: [0, 100] },
        yaxis: { autorange: "reversed", automargin: true }, legend: { orientation: "h", y: -0.2 },
        font: { family: "system-ui, sans-serif", size: 13 }
      }, { displayModeBar: false, responsive: true });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
