/** deck.gl TextLayers for street, community and grid-code labels. */
import { TextLayer } from '@deck.gl/layers';
import type { LabelDatum } from './labels';

/** The CJK font installed with the system; the canvas font atlas is rendered from it. */
export const LABEL_FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

type Rgba = [number, number, number, number];
const HALO: Rgba = [8, 14, 26, 235];

interface LabelStyle {
  size: number;
  colour: Rgba;
  weight: number | string;
}

function textLayer(id: string, data: LabelDatum[], visible: boolean, style: LabelStyle) {
  // An empty TextLayer still builds a (zero-size) font atlas, which WebGL rejects.
  if (data.length === 0) return null;
  return new TextLayer<LabelDatum>({
    id,
    data,
    visible,
    pickable: false,
    characterSet: 'auto',
    fontFamily: LABEL_FONT,
    fontWeight: style.weight,
    // SDF glyphs allow the dark halo that keeps text readable over coloured grids.
    fontSettings: { sdf: true, fontSize: 64, buffer: 10, radius: 16 },
    outlineWidth: 5,
    outlineColor: HALO,
    getPosition: (d) => d.position,
    getText: (d) => d.text,
    getSize: style.size,
    sizeUnits: 'pixels',
    getColor: style.colour,
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    billboard: true,
  });
}

export interface LabelLayerInput {
  streets: LabelDatum[];
  communities: LabelDatum[];
  grids: LabelDatum[];
  visibility: { streets: boolean; communities: boolean; grids: boolean };
}

export function buildLabelLayers({ streets, communities, grids, visibility }: LabelLayerInput) {
  return [
    textLayer('grid-code-labels', grids, visibility.grids, { size: 13, colour: [255, 222, 140, 255], weight: 600 }),
    textLayer('community-labels', communities, visibility.communities, { size: 14, colour: [214, 225, 243, 255], weight: 500 }),
    textLayer('street-labels', streets, visibility.streets, { size: 19, colour: [250, 251, 255, 255], weight: 700 }),
  ].filter((layer): layer is NonNullable<typeof layer> => layer !== null);
}
