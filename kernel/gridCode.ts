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
