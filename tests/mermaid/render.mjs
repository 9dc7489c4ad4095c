// Parses and renders every `*.mmd` file of a folder with Mermaid itself, in a headless
// Debian Chromium, and writes each SVG beside it (`x.mmd` -> `x.svg`). Nothing is
// downloaded: Mermaid comes from node_modules (`npm ci` here), the browser is the system's.
//
//   node render.mjs DIR [CHROMIUM]
//
// Exits 1 naming each diagram Mermaid refused (parse or render error), 2 on bad usage.
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

const [dir, chromium = process.env.CHROMIUM || "/usr/bin/chromium"] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node render.mjs DIR [CHROMIUM]");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const mermaidJs = join(here, "node_modules", "mermaid", "dist", "mermaid.min.js");
const profile = mkdtempSync(join(tmpdir(), "mermaid-chromium-"));

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${profile}`,
  ],
});
let failed = 0;
try {
  const page = await browser.newPage();
  await page.setContent("<!doctype html><html><body></body></html>");
  await page.addScriptTag({ path: mermaidJs });
  await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }));
  const files = readdirSync(dir).filter((f) => f.endsWith(".mmd")).sort();
  for (const [i, file] of files.entries()) {
    const text = readFileSync(join(dir, file), "utf8");
    const result = await page.evaluate(
      async (text, id) => {
        try {
          // parse() throws the grammar's own error; render() lays the diagram out.
          await window.mermaid.parse(text);
          const { svg } = await window.mermaid.render(id, text);
          return { svg };
        } catch (e) {
          return { error: String(e && e.message ? e.message : e) };
        }
      },
      text,
      `diagram${i}`,
    );
    if (result.error) {
      failed += 1;
      console.error(`${file}: ${result.error}`);
    } else {
      writeFileSync(join(dir, file.replace(/\.mmd$/, ".svg")), result.svg);
      console.log(`${file}: rendered, ${result.svg.length} bytes of SVG`);
    }
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
