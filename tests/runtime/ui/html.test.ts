import { describe, expect, it } from "vitest";
import { escapeHtml, html, jsonScript, trusted } from "../../../runtime/ui/html.ts";

describe("html templates", () => {
  it("escapes every interpolated value, so a run name or a tag never becomes markup", () => {
    const name = `<script>alert("x")</script> & 'friends'`;
    expect(html`<td title="${name}">${name}</td>`.text).toBe(
      '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;</td>',
    );
  });

  it("keeps nested templates and trusted markup, joins arrays and renders nothing for null, undefined and false", () => {
    const rows = ["a<b", "c"].map((v) => html`<li>${v}</li>`);
    expect(html`<ul>${rows}</ul>${null}${undefined}${false}${trusted("<hr>")}${0}`.text).toBe(
      "<ul><li>a&lt;b</li><li>c</li></ul><hr>0",
    );
    expect(escapeHtml("plain")).toBe("plain");
  });

  it("embeds data for the page script that cannot close its script element", () => {
    const text = jsonScript("data", { note: "</script><script>alert(1)</script>" }).text;
    expect(text).not.toContain("</script><script>");
    const json = /<script type="application\/json" id="data">(.*)<\/script>$/.exec(text)?.[1];
    expect(JSON.parse(json!)).toEqual({ note: "</script><script>alert(1)</script>" });
  });
});
