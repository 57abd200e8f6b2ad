import { describe, expect, it } from 'vitest';
import { issueText, reportSummary, sortedIssues } from './importIssues';
import { importUrl, outcomeOf, type ImportIssue, type ImportReport } from './importRequest';

const report = (over: Partial<ImportReport>): ImportReport => ({
  dryRun: true,
  committed: false,
  format: 'geojson',
  crs: { id: '4326', epsg: 4326, name: 'WGS 84', source: 'GeoJSON 默认' },
  features: 3,
  creates: 1,
  updates: 2,
  errors: 0,
  warnings: 0,
  issues: [],
  ...over,
});

describe('grid import report in the UI', () => {
  it('builds the request: dry run flag and a mapping only for the fields given', () => {
    expect(importUrl({ dryRun: true })).toBe('/api/exports/imports?dryRun=true');
    const url = new URL(importUrl({ dryRun: false, codeField: ' WGBM ', nameField: '' }), 'http://x');
    expect(url.searchParams.get('dryRun')).toBe('false');
    expect(JSON.parse(url.searchParams.get('mapping')!)).toEqual({ code: 'WGBM' });
  });

  it('reads 200 and 422 as reports and other answers as failures with their field reasons', () => {
    expect(outcomeOf(200, report({}) as never)).toEqual({ kind: 'report', report: report({}) });
    const withErrors = report({ errors: 1 });
    expect(outcomeOf(422, { title: '导入文件有错误', report: withErrors })).toEqual({ kind: 'report', report: withErrors });
    expect(outcomeOf(400, { title: '坐标系未知', detail: 'zip 中缺少 .prj 文件，无法确定坐标系', errors: [{ field: 'crs', reason: '缺少 .prj 文件' }] })).toEqual({
      kind: 'failed',
      status: 400,
      message: 'zip 中缺少 .prj 文件，无法确定坐标系',
      fields: [{ field: 'crs', reason: '缺少 .prj 文件' }],
    });
    expect(outcomeOf(0, null)).toMatchObject({ kind: 'failed', message: '网络错误，文件未上传' });
  });

  it('summarises: blocked by errors, ready, or done', () => {
    expect(reportSummary(report({ errors: 2, warnings: 1 }))).toBe('有 2 个错误、1 个提醒，不能导入。3 个要素：新建 1，更新 2。');
    expect(reportSummary(report({ warnings: 1 }))).toBe('检查通过（1 个提醒），可以导入。3 个要素：新建 1，更新 2。');
    expect(reportSummary(report({ dryRun: false, committed: true, unchanged: 0 }))).toBe('已导入。3 个要素：新建 1，更新 2，未变 0。');
  });

  it('lists errors before warnings, each in file order', () => {
    const issue = (severity: ImportIssue['severity'], feature: number | null): ImportIssue => ({ severity, kind: severity === 'error' ? 'bad_code' : 'gap', feature, code: null, reason: 'r', location: null });
    const sorted = sortedIssues([issue('warning', null), issue('error', 3), issue('error', 1)]);
    expect(sorted.map((i) => [i.severity, i.feature])).toEqual([
      ['error', 1],
      ['error', 3],
      ['warning', null],
    ]);
    expect(issueText({ ...issue('error', 2), code: '450902005001003', reason: '编码重复' })).toBe('第 2 个要素 450902005001003：编码重复');
    expect(issueText(issue('warning', null))).toBe('r');
  });
});
