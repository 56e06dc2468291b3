// The enterprise profile's R&D chart; its data comes from the json_script tag #rd-chart-data.
(function () {
  var el = document.getElementById("rd-chart");
  var data = JSON.parse(document.getElementById("rd-chart-data").textContent);
  // Figures are exact decimals in 万元; only the display is rounded (2 places, as in the table).
  function wan(v) { return Number(v).toLocaleString("zh-CN", {maximumFractionDigits: 2}); }
  var chart = echarts.init(el, null, {renderer: "svg"});
  chart.setOption({
    title: {text: "研发经费支出（万元）", left: 0, top: 0, textStyle: {fontSize: 13, fontWeight: "normal", color: "#5b6b85"}},
    grid: {left: 8, right: 16, top: 40, bottom: 8, containLabel: true},
    tooltip: {trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : wan(v) + " 万元"; }},
    xAxis: {type: "category", data: data.years, boundaryGap: true, axisTick: {alignWithLabel: true}},
    yAxis: {type: "value", splitLine: {lineStyle: {color: "#eef1f6"}}},
    series: [{type: "line", name: "研发经费支出", data: data.rd, connectNulls: false, symbolSize: 7,
              itemStyle: {color: "#12408c"}, areaStyle: {color: "rgba(18,64,140,.08)"},
              label: {show: data.years.length <= 6, position: "top", fontSize: 11,
                      formatter: function (p) { return wan(p.value); }}}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
