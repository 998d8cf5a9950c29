import { client } from './client.js';

/** The inspector page: plain HTML, CSS and one script, served from memory (no build step, no dependency). */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="hookproof-token" content="__TOKEN__">
<title>hookproof inspector</title>
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header>
  <h1>hookproof inspector</h1>
  <span id="vendor"></span> deliveries to <code id="receiver"></code> · <span id="forward"></span> · <span id="live" role="status">connecting…</span>
</header>
<nav aria-label="filters">
  <label>Vendor <select id="f-vendor"><option value="">all</option></select></label>
  <label>Type <select id="f-type"><option value="">all</option></select></label>
  <label>Verdict <select id="f-verdict"><option value="">all</option><option value="verified">verified</option><option value="duplicate">duplicate</option><option value="rejected">refused</option></select></label>
  <span id="count"></span>
  <button type="button" id="diff-btn" data-testid="diff-btn" disabled>Diff marked</button>
  <a id="export" download>Export JSON</a>
</nav>
<main>
  <div id="list-wrap">
  <table id="list" aria-label="deliveries">
    <thead><tr><th><span class="sr">compare</span></th><th>#</th><th>time</th><th>vendor</th><th>type</th><th>verdict</th><th>status</th><th>duration</th></tr></thead>
    <tbody id="rows"></tbody>
  </table>
  </div>
  <article id="detail" aria-live="polite"></article>
</main>
</body>
</html>
`;

export const PAGE_CSS = `:root{color-scheme:light dark;--ok:#1a7f37;--dup:#9a6700;--bad:#cf222e;--line:#8884;font:14px/1.45 system-ui,sans-serif}
body{margin:0}header,nav{padding:.5rem 1rem;border-bottom:1px solid var(--line)}h1{font-size:1.1rem;display:inline;margin-right:1rem}
nav{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}main{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);min-height:80vh}select{max-width:14rem}#list-wrap{overflow:auto}
#list{border-collapse:collapse;width:100%;align-self:start;font-size:13px}#list th,#list td{padding:.2rem .35rem;text-align:left;border-bottom:1px solid var(--line);white-space:nowrap;max-width:12rem;overflow:hidden;text-overflow:ellipsis}
#list tr[data-seq]{cursor:pointer}#list tr[aria-selected=true]{background:#0969da22}#list tr:focus{outline:2px solid #0969da;outline-offset:-2px}
.v-verified .verdict,.badge.v-verified{color:var(--ok)}.v-duplicate .verdict,.badge.v-duplicate{color:var(--dup)}.v-rejected .verdict,.badge.v-rejected{color:var(--bad)}
.flag{color:var(--dup);font-size:.8em}#detail{padding:0 1rem 2rem;border-left:1px solid var(--line);overflow:auto}#detail h3{margin:1rem 0 .3rem;font-size:.95rem}
pre{background:#8881;padding:.5rem;overflow:auto;max-height:20rem;white-space:pre-wrap;word-break:break-all;margin:0}.headers th{text-align:left;padding-right:1rem;vertical-align:top;white-space:nowrap}.headers td{word-break:break-all}
.cause{font-weight:600;color:var(--bad)}.actions{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}textarea{width:100%;min-height:12rem;font-family:monospace}
#repeat{width:4rem}.diff td,.diff th{padding:.2rem .5rem;text-align:left;border-bottom:1px solid var(--line)}.diff .added{color:var(--ok)}.diff .removed{color:var(--bad)}.diff .changed{color:var(--dup)}
.sr{position:absolute;left:-9999px}.hint{color:#888}
`;

export const PAGE_JS = `'use strict';\n(${client.toString()})();\n`;
