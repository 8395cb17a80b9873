/* Findings trend: drawn by plotly.js served by Regie; data from a JSON script block. */
(function () {
  "use strict";
  function draw() {
    var el = document.querySelector("[data-chart='findings-trend']");
    if (!el || !window.Plotly) { return; }
    var source = document.getElementById(el.getAttribute("data-source"));
    var data;
    try { data = JSON.parse(source.textContent); } catch (e) { return; }
    var colours = { fail: "#d52b1e", warn: "#e17000", info: "#154273" };
    var traces = ["fail", "warn", "info"].map(function (sev) {
      return { type: "scatter", mode: "lines+markers", name: data.labels[sev], x: data.days, y: data.series[sev],
               line: { color: colours[sev] } };
    });
    traces.push({ type: "scatter", mode: "lines", name: data.labels.accepted, x: data.days, y: data.accepted,
                  line: { color: "#777", dash: "dot" } });
    window.Plotly.newPlot(el, traces, {
      height: 320, margin: { l: 50, r: 20, t: 10, b: 40 },
      yaxis: { title: { text: data.labels.axis }, rangemode: "tozero" },
      legend: { orientation: "h", y: -0.2 }, font: { family: "system-ui, sans-serif", size: 13 }
    }, { displayModeBar: false, responsive: true });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
