/**
 * Chinese names of the history rows' `action` (LOOP-CONTRACT: every write of the
 * loop is a row in incident_transitions), including the imported and legacy ones.
 */
const STEP_LABELS: Record<string, string> = {
  report: '上报',
  register: '立案受理',
  dispatch: '派遣',
  redispatch: '改派',
  sign: '签收',
  return: '申请退单',
  return_approved: '同意退单',
  return_refused: '驳回退单',
  urge: '督办',
  handle: '处置反馈',
  extension_request: '申请延期',
  extension_approved: '同意延期',
  extension_refused: '驳回延期',
  suspension_request: '申请缓办',
  suspension_approved: '同意缓办',
  suspension_refused: '驳回缓办',
  resumption: '恢复办理',
  whistle: '吹哨',
  report_in: '报到',
  verify: '核实通过',
  rework: '核实不通过（返工）',
  close: '结案',
  revisit: '回访',
  stage: '阶段变更',
  escalation: '上报升级',
  extension: '延期',
  suspension: '缓办',
};

export const stepLabel = (action: string | null | undefined): string => (action ? (STEP_LABELS[action] ?? action) : '阶段变更');
