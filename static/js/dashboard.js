// The dashboard's charts (ECharts, served by the app): every bar or point opens its records.
(function () {
  "use strict";
  var data = document.getElementById("dash-charts");
  if (!data || !window.echarts) { return; }
  var specs = JSON.parse(data.textContent);
  var palette = ["#12408c", "#d4802a", "#2e9b6f", "#b8242a", "#6f5bb5", "#3a8fc9"];
  var charts = [];

  function fmt(v) {
    if (v === null || v === undefined) { return "缺失"; }
    return Number(v).toLocaleString("zh-CN", {maximumFractionDigits: 2});
  }

  function optionFor(spec, narrow) {
    var axes = spec.units.map(function (unit, i) {
      var counts = spec.series.every(function (s) { return (spec.kind === "breakdown" || s.axis === i) ? !s.decimals : true; });
      return {type: "value", name: unit, position: i ? "right" : "left", splitLine: {show: i === 0},
              minInterval: counts ? 1 : undefined,
              nameTextStyle: {color: "#6b778c"}, axisLabel: {color: "#6b778c"}};
    });
    var horizontal = spec.kind === "breakdown";
    var category = {type: "category", data: spec.categories, axisTick: {alignWithLabel: true},
                    axisLabel: {color: "#4a5874", interval: horizontal ? 0 : "auto", width: horizontal ? (narrow ? 110 : 170) : undefined, overflow: "truncate"}};
    var series = spec.series.map(function (s, i) {
      return {
        name: s.name, type: s.type, yAxisIndex: horizontal ? 0 : Math.min(s.axis, axes.length - 1),
        data: s.values.map(function (v, j) { return {value: v, url: s.urls[j]}; }),
        barMaxWidth: 28, smooth: false, symbolSize: 8, connectNulls: false, cursor: "pointer",
        label: {show: horizontal, position: "right", color: "#1c2b4a"},
        itemStyle: {color: palette[i % palette.length], borderRadius: s.type === "bar" ? [3, 3, 0, 0] : 0},
        tooltip: {valueFormatter: function (v) { return fmt(v) + " " + s.unit; }}
      };
    });
    var empty = spec.series.every(function (s) { return s.values.every(function (v) { return !v; }); });
    return {
      color: palette,
      textStyle: {fontFamily: "inherit"},
      title: empty ? {text: "暂无数据", left: "center", top: "middle", textStyle: {color: "#9aa5b8", fontSize: 14, fontWeight: "normal"}} : undefined,
      grid: {left: 8, right: horizontal ? 36 : 8, top: spec.series.length > 1 ? 56 : 30, bottom: 8, containLabel: true},
      legend: {show: spec.series.length > 1, top: 0, itemWidth: 14, itemHeight: 10, textStyle: {fontSize: narrow ? 11 : 12}},
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, confine: true},
      xAxis: horizontal ? axes[0] : category,
      yAxis: horizontal ? Object.assign({}, category, {inverse: true}) : axes,
      series: series
    };
  }

  specs.forEach(function (spec) {
    var el = document.getElementById("chart-" + spec.slug);
    if (!el) { return; }
    if (spec.kind === "breakdown") {  // one row per part: the chart grows with the parts
      el.style.height = (spec.categories.length ? Math.max(180, 44 * spec.categories.length + 70) : 140) + "px";
    }
    var chart = echarts.init(el, null, {renderer: "canvas"});
    chart.setOption(optionFor(spec, el.clientWidth < 480));
    chart.on("click", function (p) {
      if (p.data && p.data.url) { window.location.href = p.data.url; }
    });
    el.setAttribute("data-ready", "1");
    charts.push({chart: chart, spec: spec, el: el});
  });

  var pending = null;
  function resize() {
    if (pending) { window.cancelAnimationFrame(pending); }
    pending = window.requestAnimationFrame(function () {
      charts.forEach(function (c) {
        c.chart.setOption(optionFor(c.spec, c.el.clientWidth < 480), {notMerge: true});
        c.chart.resize();
      });
    });
  }
  window.addEventListener("resize", resize);
  if (window.ResizeObserver) { charts.forEach(function (c) { new ResizeObserver(resize).observe(c.el); }); }
})();
