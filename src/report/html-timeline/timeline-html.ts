// timelineHtml wraps a run's timeline SVG in one self-contained page: the drawing, its buttons,
// the hover box, inline CSS and the inline script, and nothing fetched from anywhere, so the file
// opens from a run directory, an e-mail or an archive years later. No framework: the page is the
// static SVG plus one small script (timeline-script.ts).
import type { TimelineData } from './timeline-data.ts';
import { timelineSvg, xml } from './timeline-svg.ts';
import { TIMELINE_SCRIPT } from './timeline-script.ts';

const STYLE = `body { font: 13px 'DejaVu Sans', Arial, sans-serif; margin: 8px; color: #222222; }
nav { margin: 4px 0 6px; }
nav button { font: inherit; margin-right: 4px; }
#view { margin-left: 10px; color: #555555; }
#timeline { cursor: grab; user-select: none; touch-action: none; }
#tip { position: absolute; background: #ffffe8; border: 1px solid #999999; padding: 3px 6px; pointer-events: none; white-space: pre; }
p.help { color: #555555; margin: 4px 0; }`;

export function timelineHtml(d: TimelineData): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>${xml(d.title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<nav>
<button id="zoom-in" type="button" title="zoom in">+</button><button id="zoom-out" type="button" title="zoom out">&#8722;</button><button id="pan-left" type="button" title="earlier">&#8592;</button><button id="pan-right" type="button" title="later">&#8594;</button><button id="reset" type="button">whole run</button>
<span id="view"></span>
</nav>
${timelineSvg(d)}<p class="help">Wheel to zoom at the pointer, drag to pan, point at a band, dot or mark to read it. Add #from=A&amp;to=B to the address to open seconds A to B.</p>
<div id="tip" hidden></div>
<script>
${TIMELINE_SCRIPT}</script>
</body>
</html>
`;
}
