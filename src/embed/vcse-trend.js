/**
 * Exported module (Framework's embed feature): another site can import this file and render the chart.
 *
 *   <div id="vcse-trend"></div>
 *   <script type="module">
 *     import {VcseTrend} from "https://<this site>/embed/vcse-trend.js";
 *     document.getElementById("vcse-trend").append(await VcseTrend({width: 640, measure: "cash"}));
 *   </script>
 */
import {FileAttachment} from "observablehq:stdlib";
import {trendFigure} from "../components/trend-figure.js";

export async function VcseTrend({width = 640, measure = "cash"} = {}) {
  const doc = await FileAttachment("../data/vcse-trend.json").json();
  return trendFigure(doc, {width, measure, href: new URL("../", import.meta.url).href});
}
