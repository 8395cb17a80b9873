/* Regie exit roadmap chart: risk after each step against the cumulative cost, drawn by
   plotly.js served by Regie itself. Data comes from a <script type="application/json">
   block named by data-source; nothing here contacts another host. */
(function () {
  "use strict";

  function draw() {
    var el = document.getElementById("roadmap-chart");
    if (!el || !window.Plotly) { return; }
    var source = document.getElementById(el.getAttribute("data-source"));
    var data;
    try { data = JSON.parse(source.textContent); } catch (e) { return; }
    var trace = {
      type: "scatter", mode: "lines+markers", line: { shape: "hv", color: "#154273" },
      x: data.cost, y: data.risk, text: data.titles,
      hovertemplate: "%{text}<br>EUR %{x:,.0f}: %{y:.2f}<extra></extra>"
    };
    var layout = {
      autosize: true,
      margin: { l: 80, r: 20, t: 10, b: 70 },
      xaxis: { title: { text: data.labels.x }, rangemode: "tozero", automargin: true },
      yaxis: { title: { text: data.labels.y }, rangemode: "tozero", automargin: true },
      font: { family: "system-ui, sans-serif", size: 13 }
    };
    window.Plotly.newPlot(el, [trace], layout, { displayModeBar: false, responsive: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
