/** Why: the estates layer on the main map and its legend colour by 组建情况 from one table, so the two cannot disagree. */
import { ESTATE_ORG_STATUS, ESTATE_ORG_LABELS, type EstateOrgStatus } from '../../../../kernel/partyOrgs';

export type Rgb = [number, number, number];

/** 单独组建 party red, 联合组建 gold, 未组建 a cool grey that reads as "missing". */
export const ESTATE_STATUS_COLOURS: Record<EstateOrgStatus, Rgb> = { single: [226, 72, 61], joint: [242, 193, 78], none: [138, 150, 170] };

export const cssColour = ([r, g, b]: Rgb) => `rgb(${r} ${g} ${b})`;

export const ESTATE_LEGEND = ESTATE_ORG_STATUS.map((s) => ({ status: s, label: ESTATE_ORG_LABELS[s], colour: cssColour(ESTATE_STATUS_COLOURS[s]) }));

/** First zoom of the estates layer: a community fills the view and its estates are legible. */
export const ESTATE_MIN_ZOOM = 13;
