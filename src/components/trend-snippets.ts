/**
 * The overview's "Embed this chart" box: the national trend as an iframe (embedSnippet, as every export toolbar
 * makes it) and as a JavaScript module, each in a read-only box with a Copy button.
 */
import {EMBED_HEIGHTS, embedSnippet} from "./exports.js";

export function trendIframeSnippet(coverageWords: string): string {
  return embedSnippet({src: "./embed/vcse-trend", height: EMBED_HEIGHTS.trend}, `VCSE spending by financial year, ${coverageWords}`);
}

/** `siteRoot`: the site's address ("https://example.org/vcse/"), against which the module's address is made. */
export function trendModuleSnippet(siteRoot: string | URL): string {
  return `<div id="vcse-trend"></div>
<script type="module">
  import {VcseTrend} from "${new URL("embed/vcse-trend.js", siteRoot).href}";
  document.getElementById("vcse-trend").append(await VcseTrend({width: 640, measure: "cash"}));
</script>`;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string | null, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

export function snippetBox(label: string, text: string, testid: string): HTMLDivElement {
  const area = element("textarea", null);
  area.readOnly = true;
  area.rows = text.split("\n").length + 1;
  area.value = text;
  area.dataset.testid = testid;
  area.setAttribute("aria-label", label);
  const status = element("span", "export-status");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const button = element("button", null, "Copy");
  button.type = "button";
  button.onclick = async () => {
    area.select();
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "Copied";
    } catch {
      status.textContent = "Selected: press Ctrl+C (⌘C) to copy";
    }
  };
  return element("div", "snippet", element("p", null, element("strong", null, label)), area, element("div", "export-toolbar", button, status));
}
