// Drives the web Company Portal in headless Chromium (Debian's chromium, no browser download).
// Usage: node portal.test.mjs <baseUrl> <userToken> <screenshotPath>
// Prints one line per check; exits 0 when all pass, 1 otherwise.
import { chromium } from "playwright-core";

const [baseUrl, token, screenshot] = process.argv.slice(2);
if (!baseUrl || !token || !screenshot) {
  console.error("usage: node portal.test.mjs <baseUrl> <token> <screenshotPath>");
  process.exit(2);
}
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const browser = await chromium.launch({ executablePath, headless: true });
let failed = false;
const check = (ok, what) => {
  console.log(`${ok ? "PASS" : "FAIL"} ${what}`);
  if (!ok) failed = true;
};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const installs = [];
  page.on("request", r => { if (r.method() === "POST" && r.url().includes("/install")) installs.push(r.url()); });
  await page.goto(`${baseUrl}/portal#token=${encodeURIComponent(token)}`);
  await page.waitForSelector("article.card", { timeout: 15000 });
  check(!page.url().includes("token="), "the token is removed from the address bar");
  check((await page.title()).includes("Company Portal"), "the page title names the Company Portal");
  const managedCard = page.locator('article[data-app="portal-docs"]');
  check((await managedCard.locator("h2").innerText()) === "App portal-docs", "the app name is shown");
  check((await managedCard.locator(".meta").innerText()).includes("Version 1.0.0"), "the version is shown");
  check((await managedCard.locator(".desc").innerText()).includes("The portal-docs app."), "the description is shown");
  const storeLink = page.locator('a[data-store="portal-store"]');
  check(await storeLink.count() === 1, "an app available on unmanaged devices has an 'Open in store' link");
  check(((await storeLink.getAttribute("href")) || "").startsWith("https://play.google.com/"), "the store link goes to the store");
  const install = page.locator('button[data-install="portal-docs"]');
  check(await install.count() === 1, "an app offered to the managed device has an Install button");
  await install.first().click();
  await page.waitForFunction(() => document.querySelector('[data-status="portal-docs"]').textContent.includes("Install requested"), null, { timeout: 15000 });
  check(installs.length === 1, "Install sent one install request");
  check(await install.first().isDisabled(), "the Install button is disabled after the request");
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`SCREENSHOT ${screenshot}`);
} catch (e) {
  console.log(`FAIL ${e.message}`);
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
