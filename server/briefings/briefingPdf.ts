/**
 * Why: the 月报 is printed to PDF by headless Chromium (playwright-core drives the
 * system's /usr/bin/chromium; CHROMIUM_PATH overrides). Without Chromium the request
 * gets a clear 503 problem, not a broken file.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { DomainError } from '../http/domainError';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export class ChromiumUnavailable extends DomainError {
  constructor(reason: string) {
    super(503, '无法生成 PDF', `服务器上的 Chromium 不可用（${reason}）：请安装 chromium 或设置 CHROMIUM_PATH`, {
      errors: [{ field: 'chromium', reason }],
    });
  }
}

export async function htmlToPdf(html: string): Promise<Buffer> {
  const path = chromiumPath();
  if (!existsSync(path)) throw new ChromiumUnavailable(`${path} 不存在`);
  let browser: Awaited<ReturnType<typeof chromium.launch>>;
  try {
    browser = await chromium.launch({ executablePath: path, args: CHROMIUM_ARGS, timeout: 60_000 });
  } catch (err) {
    throw new ChromiumUnavailable(`启动失败：${(err as Error).message.split('\n')[0]}`);
  }
  try {
    const page = await browser.newPage();
    // The page is self-contained (inline SVG, installed fonts): nothing to fetch.
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
