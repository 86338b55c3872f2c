// Draws the dashboard's charts from the data the page carries (a JSON script element, no inline script).
// Each chart draws exactly the rows of the table beside it; a hidden value ("<5") is null and not drawn.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var charts = JSON.parse(source.textContent);
    var style = getComputedStyle(document.documentElement);
    var colour = style.getPropertyValue("--bs-primary").trim() || "#0d6efd";
    charts.forEach(function (chart) {
      var canvas = document.getElementById("chart-" + chart.id);
      if (!canvas) {
        return;
      }
      new window.Chart(canvas, {
        type: chart.kind,
        data: {
          labels: chart.labels,
          datasets: [
            {
              label: chart.name,
              data: chart.values,
              backgroundColor: colour,
              borderColor: colour,
              spanGaps: false,
            },
          ],
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          indexAxis: chart.kind === "bar" && chart.labels.length > 6 ? "y" : "x",
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
