/** Switches for the thematic layers over the grid map (incidents, service circles, estates …) and the grids' 星级 colouring. */
export interface ThematicLayerState {
  serviceCircles: boolean;
  incidents: boolean;
  patrols: boolean;
  estates: boolean;
  /** Grids coloured by the latest final star rating instead of by street. */
  finalStars: boolean;
}

const LABELS: Record<keyof ThematicLayerState, string> = {
  serviceCircles: '党群服务中心与15分钟服务圈',
  incidents: '网格事件',
  patrols: '网格员巡查轨迹',
  estates: '小区（党组织组建情况）',
  finalStars: '网格按最新认定星级着色',
};

export const NO_THEMATIC_LAYERS: ThematicLayerState = { serviceCircles: false, incidents: false, patrols: false, estates: false, finalStars: false };

export function ThematicLayers({ state, onChange }: { state: ThematicLayerState; onChange: (next: ThematicLayerState) => void }) {
  return (
    <fieldset className="thematic-layers" data-testid="thematic-layers">
      <legend>专题图层</legend>
      {(Object.keys(LABELS) as (keyof ThematicLayerState)[]).map((key) => (
        <label key={key}>
          <input type="checkbox" checked={state[key]} onChange={(e) => onChange({ ...state, [key]: e.target.checked })} />
          {LABELS[key]}
        </label>
      ))}
    </fieldset>
  );
}
