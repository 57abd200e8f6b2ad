/**
 * The browser's photo byte helpers, on real images made by sharp: the EXIF time and
 * GPS of a phone JPEG survive into its resized copy (which a canvas writes without
 * EXIF), with the orientation reset to upright, and the result still decodes.
 */
import exifr from 'exifr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { exifSegment, fitWithin, sniffImageType, withExifSegment, withUprightOrientation } from './photoBytes';

const phoneJpeg = () =>
  sharp({ create: { width: 400, height: 300, channels: 3, background: '#a05020' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Phone' },
      IFD2: { DateTimeOriginal: '2026:11:30 09:15:42' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '22/1 38/1 2400/100', GPSLongitudeRef: 'E', GPSLongitude: '110/1 9/1 1800/100' },
    })
    // Held sideways, as phones store portrait shots.
    .withMetadata({ orientation: 6 })
    .toBuffer();
/** What a canvas gives: a JPEG with a JFIF header and no EXIF. */
const canvasJpeg = () =>
  sharp({ create: { width: 160, height: 120, channels: 3, background: '#2050a0' } })
    .jpeg()
    .toBuffer();

describe('photo bytes in the browser', () => {
  it('shrinks only what is larger than 1600 px, keeping the aspect', () => {
    expect(fitWithin(1600, 1200)).toBeNull();
    expect(fitWithin(4000, 3000)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3024, 4032)).toEqual({ width: 1200, height: 1600 });
    expect(fitWithin(20000, 10)).toEqual({ width: 1600, height: 1 });
  });

  it('carries EXIF time and GPS into the resized copy, upright, still a decodable JPEG', async () => {
    const original = new Uint8Array(await phoneJpeg());
    const exif = exifSegment(original);
    expect(exif).not.toBeNull();
    expect((await sharp(original).metadata()).orientation).toBe(6);
    const copy = withExifSegment(new Uint8Array(await canvasJpeg()), withUprightOrientation(exif!));
    expect(sniffImageType(copy)).toBe('image/jpeg');
    const meta = await sharp(copy).metadata();
    expect([meta.format, meta.width, meta.height, meta.orientation]).toEqual(['jpeg', 160, 120, 1]);
    await sharp(copy, { failOn: 'truncated' }).raw().toBuffer();
    const tags = (await exifr.parse(copy, { gps: true, reviveValues: false })) as Record<string, unknown>;
    expect(tags.DateTimeOriginal).toBe('2026:11:30 09:15:42');
    expect(tags.latitude).toBeCloseTo(22.64, 6);
    expect(tags.longitude).toBeCloseTo(110.155, 6);
    // The original segment itself is untouched.
    expect((await sharp(original).metadata()).orientation).toBe(6);
  });

  it('replaces EXIF a copy already has, and finds none in a PNG', async () => {
    const exif = exifSegment(new Uint8Array(await phoneJpeg()))!;
    const twice = withExifSegment(withExifSegment(new Uint8Array(await canvasJpeg()), exif), exif);
    expect(exifSegment(twice)).toEqual(exif);
    expect(twice.length).toBe(withExifSegment(new Uint8Array(await canvasJpeg()), exif).length);
    expect(
      exifSegment(
        new Uint8Array(
          await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
            .png()
            .toBuffer(),
        ),
      ),
    ).toBeNull();
  });
});
