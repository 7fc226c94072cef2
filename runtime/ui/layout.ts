/** The page shell every UI page shares: head, skip link, header with navigation, main content. */
import { html, type Html } from "./html.ts";

/** Where the UI is mounted. */
export const UI_BASE = "/ui";

/** The sections of the navigation. */
export type Section = "runs" | "sweeps" | "models" | "pipeline" | "try";

const SECTIONS: { id: Section; label: string; href: string }[] = [
  { id: "runs", label: "Runs", href: `${UI_BASE}` },
  { id: "sweeps", label: "Sweeps", href: `${UI_BASE}/sweeps` },
  { id: "models", label: "Models", href: `${UI_BASE}/models` },
  { id: "pipeline", label: "Pipeline", href: `${UI_BASE}/pipeline` },
  { id: "try", label: "Try it", href: `${UI_BASE}/try` },
];

/** What a page puts in the shell. */
export interface PageContent {
  title: string;
  section: Section | undefined;
  body: Html;
  /** The served model (`train:3`), shown in the header; undefined when the UI runs without one. */
  served: string | undefined;
  /** Loads uPlot before the page script. */
  charts?: boolean;
  /** Uses the whole width of a wide screen (the runs table), instead of a readable column. */
  wide?: boolean;
}

/** The whole HTML document. */
export function page(content: PageContent): Html {
  const nav = SECTIONS.map(
    (s) =>
      html`<li><a href="${s.href}"${s.id === content.section ? html` aria-current="page"` : ""}>${s.label}</a></li>`,
  );
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${content.title} · cellforge</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${UI_BASE}/assets/ui.css">
${
  content.charts === true
    ? html`<link rel="stylesheet" href="${UI_BASE}/assets/uPlot.min.css">
<script src="${UI_BASE}/assets/uPlot.iife.min.js" defer></script>`
    : ""
}
<script src="${UI_BASE}/assets/ui.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="${UI_BASE}"><span class="brand-mark" aria-hidden="true">◆</span> cellforge</a>
  <nav aria-label="Sections"><ul>${nav}</ul></nav>
  <div class="serving">${
    content.served === undefined
      ? html`<span class="muted">no model served</span>`
      : html`<span class="dot" aria-hidden="true"></span> serving <a href="${UI_BASE}/try"><code>${content.served}</code></a> · <a href="/docs">API docs</a>`
  }</div>
</header>
<main id="main" tabindex="-1"${content.wide === true ? html` class="wide"` : ""}>
${content.body}
</main>
</body>
</html>
`;
}
