/** The closed loop of an incident (数字城管 GB/T 30428 practice), in order. */
export const INCIDENT_STAGES = ['collect', 'register', 'dispatch', 'handle', 'feedback', 'close', 'evaluate'] as const;
export type IncidentStage = (typeof INCIDENT_STAGES)[number];

export const STAGE_LABELS: Record<IncidentStage, string> = {
  collect: '信息收集',
  register: '立案',
  dispatch: '派遣',
  handle: '处置',
  feedback: '反馈',
  close: '核实结案',
  evaluate: '评价',
};

export const INCIDENT_SOURCES = { grid: '网格员上报', hongsheng: '为民红绳', hotline: '12345热线' } as const;
export type IncidentSource = keyof typeof INCIDENT_SOURCES;

export const ESCALATION_LEVELS = { grid: '网格', community: '社区', street: '街道', department: '职能部门（吹哨报到）' } as const;
export type EscalationLevel = keyof typeof ESCALATION_LEVELS;
