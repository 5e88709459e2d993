// Drives Debian's Chromium (headless, through playwright-core as a DevTools-protocol client) against
// a running `normgraph serve`: the query page runs a named query and shows result rows, a shared
// link (?query=NAME&$param=VALUE&run=1) runs by itself, a norm's linked-data page lists its backers
// and draws its map, parameter boxes suggest from /search, the search box and /compare work; no
// page error, console error (a script the content security policy blocks is one) or outside request.
// Screenshots go to OUT_DIR. Usage: node query_page.cjs BASE_URL OUT_DIR
// (NORMGRAPH_NODE_MODULES: the node_modules folder holding playwright-core; CHROMIUM: the browser.)
"use strict";
const path = require("path");
const fs = require("fs");
const { chromium } = require(path.join(process.env.NORMGRAPH_NODE_MODULES, "playwright-core"));

function check(condition, what) {
  if (!condition) throw new Error("check failed: " + what);
}

(async () => {
  const [base, outDir] = process.argv.slice(2);
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on("pageerror", e => problems.push("page error: " + e));
  page.on("console", m => { if (m.type() === "error") problems.push("console: " + m.text()); });
  page.on("request", r => {
    const host = new URL(r.url()).hostname;
    if (host !== "127.0.0.1" && host !== "localhost") problems.push("request outside: " + r.url());
  });

  // 1. The query page: choose a named query, run it, see rows.
  await page.goto(base + "/");
  const options = await page.$$eval("#query-select option", os => os.map(o => o.value));
  check(options.includes("who-backs-norm"), "the dropdown lists who-backs-norm: " + options);
  await page.selectOption("#query-select", "who-backs-norm");
  const norm = await page.inputValue("#param-norm");
  check(norm.includes("gge2015-13f"), "the parameter input holds the example: " + norm);
  check((await page.inputValue("#editor")).includes("ng:strongest"), "the editor holds the query text");
  await page.click("#run");
  await page.waitForSelector("#results-table tbody tr.result-row", { timeout: 30000 });
  const rows = await page.$$eval("#results-table tbody tr", trs => trs.length);
  const firstRow = await page.$eval("#results-table tbody tr", tr => tr.innerText);
  const status = await page.textContent("#status");
  check(rows > 10, "who-backs-norm shows rows: " + rows);
  await page.screenshot({ path: path.join(outDir, "query-page.png") });

  // 2. A shared link runs by itself.
  await page.goto(base + "/?query=norms-backed-by&%24actor=state%3ACHN&run=1");
  await page.waitForSelector("#results[data-rows]", { timeout: 30000 });
  const chinaRows = Number(await page.getAttribute("#results", "data-rows"));
  check(chinaRows > 0, "norms-backed-by state:CHN shows rows: " + chinaRows);

  // 3. A result links to a linked-data page; a norm's page lists its backers.
  await page.goto(base + "/id/norm/gge2015-13f");
  await page.waitForSelector("#backers tbody tr");
  const title = await page.title();
  const backers = await page.$$eval("#backers tbody tr", trs => trs.length);
  check(backers === rows, `the norm page lists the same ${rows} backers: ${backers}`);
  await page.screenshot({ path: path.join(outDir, "norm-page.png"), fullPage: false });
  // The norm page's map: every state drawn, the 193 backers coloured (a consensus: level 3),
  // with the map in words.
  const shapes = await page.$$eval("svg.map path, svg.map circle", ns => ns.length);
  const coloured = await page.$$eval("svg.map .b3", ns => ns.length);
  check(shapes >= 200, "the map draws the states: " + shapes);
  check(coloured >= 190, "the map colours the backers: " + coloured);
  check((await page.textContent("details")).includes("The map in words"), "the map has its text equivalent");
  await page.click("#backers tbody tr td a");
  await page.waitForSelector("h1");
  const actorTitle = await page.title();

  // 4. A parameter box suggests from /search as one types words.
  await page.goto(base + "/");
  await page.selectOption("#query-select", "who-backs-norm");
  await page.fill("#param-norm", "");
  await page.type("#param-norm", "supply chain");
  await page.waitForSelector("#param-norm-choices option", { state: "attached", timeout: 10000 });
  const suggestion = await page.$eval("#param-norm-choices option", o => o.value);
  check(suggestion === "norm:gge2015-13i", "the first suggestion for 'supply chain' is 13(i): " + suggestion);

  // 5. Search from the box on every page.
  await page.goto(base + "/legend");
  await page.fill("form.find input[name=q]", "A/70/174");
  await page.press("form.find input[name=q]", "Enter");
  await page.waitForSelector("ol.hits li");
  const firstHit = await page.textContent("ol.hits li");
  check(firstHit.includes("instr:a-70-174"), "searching A/70/174 finds the report first: " + firstHit);

  // 6. Three actors side by side.
  await page.goto(base + "/compare?actors=state:CHN,state:USA,state:RUS");
  const compared = await page.$$eval("table.compare tbody tr", trs => trs.length);
  check(compared > 50, "the comparison lists the norms: " + compared);
  await page.screenshot({ path: path.join(outDir, "compare-page.png"), fullPage: false });

  await browser.close();
  check(problems.length === 0, problems.join("; "));
  console.log(JSON.stringify({ rows, firstRow, status, chinaRows, title, backers, actorTitle, shapes, coloured, suggestion, compared }));
})().catch(e => { console.error(String(e.stack || e)); process.exit(1); });
