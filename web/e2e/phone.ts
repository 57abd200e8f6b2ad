/** The phone every 网格通 browser test and bench emulates: a 390×844 touch screen, mobile Chromium, Chinese. */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' } as const;
