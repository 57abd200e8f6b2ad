/**
 * 15-digit grid codes: 6-digit GB/T 2260 county + 3-digit street/town + 3-digit
 * community (together the 12-digit 统计用区划代码) + 3-digit sequence in the community.
 */
export const GRID_CODE_PATTERN = /^\d{15}$/;
export const REGION_CODE_PATTERN = /^\d{6}(\d{3}){0,2}$/;

export interface GridCodeParts {
  countyCode: string;
  streetCode: string;
  communityCode: string;
  sequence: number;
}

export function isGridCode(code: string): boolean {
  return GRID_CODE_PATTERN.test(code) && Number(code.slice(12)) > 0;
}

export function parseGridCode(code: string): GridCodeParts {
  if (!isGridCode(code)) throw new Error(`not a 15-digit grid code: ${code}`);
  return {
    countyCode: code.slice(0, 6),
    streetCode: code.slice(0, 9),
    communityCode: code.slice(0, 12),
    sequence: Number(code.slice(12)),
  };
}

export function formatGridCode(communityCode: string, sequence: number): string {
  if (!/^\d{12}$/.test(communityCode)) throw new Error(`community code must have 12 digits: ${communityCode}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) throw new Error(`grid sequence out of range 1..999: ${sequence}`);
  return `${communityCode}${String(sequence).padStart(3, '0')}`;
}

/*
 * Grid levels and their codes.
 *
 * 基础网格 (base grid): the 15-digit code above. It is the code of DB11/T 2157 (北京,
 * 网格化城市管理系统单元网格划分) §5.2: 6-digit district (GB/T 2260) + 3-digit street +
 * 3-digit community + 3-digit sequence, the sequence numbered "从西向东、由北至南" inside the
 * community (§5.4); DB6101/T 3185-2024 (西安, 社会治理单元空间地址数据分类与编码) §5.1.1/§5.3
 * numbers its 基础网格 the same way and also defines 专属网格 (§5.1.2), every grid belonging
 * to one community (§5.2 b).
 *
 * 微网格 (micro grid): neither standard found publishes a digit rule for micro grids, so we
 * extend the base code the way CJ/T 349-2010 (数字社区管理与服务 网格划分与编码规则) §5.7 numbers
 * the parts of a subdivided unit: a 2-digit sequence appended, "从左到右、从上到下" (west→east,
 * north→south, kernel/numbering.ts). 17 digits = base grid code + 01..99.
 *
 * 专属网格 (dedicated grid of one unit): no digit rule found either; our documented choice is
 * 16 digits = 12-digit community code + 1-digit kind (EXCLUSIVE_KINDS below) + 3-digit sequence
 * of that kind in the community (reading order). The lengths (15 / 16 / 17) tell the levels
 * apart, so no code of one level can be read as another's.
 */
export const GRID_LEVELS = ['base', 'micro', 'exclusive'] as const;
export type GridLevel = (typeof GRID_LEVELS)[number];
export const GRID_LEVEL_LABELS: Readonly<Record<GridLevel, string>> = { base: '基础网格', micro: '微网格', exclusive: '专属网格' };

/** The kinds of 专属网格 and their code digit. */
export const EXCLUSIVE_KINDS = ['学校', '医院', '产业园区', '商务楼宇', '市场'] as const;
export type ExclusiveKind = (typeof EXCLUSIVE_KINDS)[number];
export const EXCLUSIVE_KIND_DIGIT: Readonly<Record<ExclusiveKind, string>> = { 学校: '1', 医院: '2', 产业园区: '3', 商务楼宇: '4', 市场: '5' };

export const MICRO_GRID_CODE_PATTERN = /^\d{17}$/;
export const EXCLUSIVE_GRID_CODE_PATTERN = /^\d{12}[1-5]\d{3}$/;
/** A code of any level (15, 16 or 17 digits). */
export const ANY_GRID_CODE_PATTERN = /^(\d{15}|\d{12}[1-5]\d{3}|\d{17})$/;

export function formatMicroGridCode(baseGridCode: string, sequence: number): string {
  if (!isGridCode(baseGridCode)) throw new Error(`not a 15-digit base grid code: ${baseGridCode}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 99) throw new Error(`micro grid sequence out of range 1..99: ${sequence}`);
  return `${baseGridCode}${String(sequence).padStart(2, '0')}`;
}

export function formatExclusiveGridCode(communityCode: string, kind: ExclusiveKind, sequence: number): string {
  if (!/^\d{12}$/.test(communityCode)) throw new Error(`community code must have 12 digits: ${communityCode}`);
  const digit = EXCLUSIVE_KIND_DIGIT[kind];
  if (!digit) throw new Error(`unknown 专属网格 kind: ${kind}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) throw new Error(`专属网格 sequence out of range 1..999: ${sequence}`);
  return `${communityCode}${digit}${String(sequence).padStart(3, '0')}`;
}

export type ParsedLevelCode =
  | { level: 'base'; communityCode: string; sequence: number }
  | { level: 'micro'; communityCode: string; baseGridCode: string; sequence: number }
  | { level: 'exclusive'; communityCode: string; kind: ExclusiveKind; sequence: number };

/** Reads a code of any level; null when it is none (zero sequences included). */
export function parseLevelCode(code: string): ParsedLevelCode | null {
  if (isGridCode(code)) return { level: 'base', communityCode: code.slice(0, 12), sequence: Number(code.slice(12)) };
  if (MICRO_GRID_CODE_PATTERN.test(code) && isGridCode(code.slice(0, 15)) && Number(code.slice(15)) > 0) {
    return { level: 'micro', communityCode: code.slice(0, 12), baseGridCode: code.slice(0, 15), sequence: Number(code.slice(15)) };
  }
  if (EXCLUSIVE_GRID_CODE_PATTERN.test(code) && Number(code.slice(13)) > 0) {
    const kind = EXCLUSIVE_KINDS.find((k) => EXCLUSIVE_KIND_DIGIT[k] === code[12]);
    if (kind) return { level: 'exclusive', communityCode: code.slice(0, 12), kind, sequence: Number(code.slice(13)) };
  }
  return null;
}
