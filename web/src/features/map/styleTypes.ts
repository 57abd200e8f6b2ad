/**
 * Style-spec types. maplibre-gl 6 does not re-export them, and the style-spec
 * package is only a transitive dependency, so derive them from MapOptions.
 */
import type { MapOptions } from 'maplibre-gl';

export type StyleSpecification = Exclude<MapOptions['style'], string | undefined>;
export type LayerSpecification = StyleSpecification['layers'][number];
export type SourceSpecification = StyleSpecification['sources'][string];
type FillLayer = Extract<LayerSpecification, { type: 'fill' }>;
/** A colour value: constant or expression. */
export type ColourSpecification = NonNullable<NonNullable<FillLayer['paint']>['fill-color']>;
export type FilterSpecification = NonNullable<FillLayer['filter']>;
type HeatmapLayer = Extract<LayerSpecification, { type: 'heatmap' }>;
/** A heatmap layer's paint values (weight, colour ramp). */
export type HeatmapPaint = NonNullable<HeatmapLayer['paint']>;
