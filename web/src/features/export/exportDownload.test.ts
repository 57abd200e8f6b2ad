import { describe, expect, it } from 'vitest';
import { downloadExport, exportUrl, fileNameFrom, formatBytes, type ExportProgress } from './exportDownload';

describe('export download', () => {
  it('builds the API URL with only the given filters', () => {
    expect(exportUrl({ layer: 'grids', format: 'gpkg', crs: '4546' })).toBe('/api/exports/grids?format=gpkg&crs=4546');
    expect(exportUrl({ layer: 'incidents', format: 'csv', crs: 'gcj02', region: '450902005', from: '2025-01-01', to: '2025-02-01' })).toBe(
      '/api/exports/incidents?format=csv&crs=gcj02&region=450902005&from=2025-01-01&to=2025-02-01',
    );
  });

  it('takes the UTF-8 file name and strips path characters', () => {
    expect(fileNameFrom(`attachment; filename="grids_all_epsg4326.gpkg"; filename*=UTF-8''${encodeURIComponent('网格_grids_all_epsg4326.gpkg')}`, 'x')).toBe('网格_grids_all_epsg4326.gpkg');
    expect(fileNameFrom('attachment; filename="../../etc/passwd"', 'x')).toBe('_.._etc_passwd');
    expect(fileNameFrom(null, 'export')).toBe('export');
  });

  it('reports bytes as they stream and the announced feature count', async () => {
    const parts = [new Uint8Array(100), new Uint8Array(50)];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of parts) controller.enqueue(p);
        controller.close();
      },
    });
    const seen: ExportProgress[] = [];
    const { blob, fileName } = await downloadExport(new Response(body, { headers: { 'x-feature-count': '7', 'content-disposition': 'attachment; filename="a.geojson"' } }), (p) => seen.push(p));
    expect(blob.size).toBe(150);
    expect(fileName).toBe('a.geojson');
    expect(seen.map((p) => p.bytes)).toEqual([100, 150, 150]);
    expect(seen[0]).toMatchObject({ features: 7, total: null, fraction: null });
    expect(seen.at(-1)!.fraction).toBe(1);
  });

  it('turns a problem response into a Chinese error', async () => {
    const res = new Response(JSON.stringify({ title: '请求参数无效', detail: 'KML 只能使用经纬度坐标' }), { status: 400 });
    await expect(downloadExport(res, () => {})).rejects.toThrow('请求参数无效：KML 只能使用经纬度坐标');
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
  });
});
