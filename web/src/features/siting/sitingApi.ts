/** Calls of the 选址分析 page through the typed client (types from server/routes/siting.ts). */
import { api, call, type Answer } from '../../api/client';
import type { FacilityKind } from '../../../../kernel/facilityKinds';

export type WhatIfAnswer = Answer<(typeof api.api.siting)['what-if']['$post']>;
export type SuggestAnswer = Answer<typeof api.api.siting.suggest.$get>;
export type PriorityAnswer = Answer<typeof api.api.siting.priority.$get>;
export type ScenarioList = Answer<typeof api.api.siting.scenarios.$get>;
export type CompareAnswer = Answer<typeof api.api.siting.scenarios.compare.$get>;
export type Facilities = Answer<typeof api.api.centres.$get>;

export interface DraftCandidate {
  name: string;
  kind: FacilityKind;
  position: [number, number];
}

export const fetchWhatIf = (candidates: DraftCandidate[]) => call(api.api.siting['what-if'].$post({ json: { candidates } }));
/** Candidate points of the suggestion (server/siting/suggest.ts). */
export type CandidateSource = 'nodes' | 'estates' | 'hexagons';
export const CANDIDATE_SOURCE_LABELS: Record<CandidateSource, string> = { nodes: '路网节点', estates: '小区中心', hexagons: '六边形网格' };
export const fetchSuggest = (kind: FacilityKind, count: number, source: CandidateSource, hexM: number) =>
  call(api.api.siting.suggest.$get({ query: { kind, count: String(count), source, ...(source === 'hexagons' ? { hexM: String(hexM) } : {}) } }));
export const fetchPriority = () => call(api.api.siting.priority.$get({ query: {} }));
export const fetchScenarios = () => call(api.api.siting.scenarios.$get());
export const saveScenario = (name: string, candidates: DraftCandidate[]) => call(api.api.siting.scenarios.$post({ json: { name, candidates } }));
export const fetchCompare = (ids: number[]) => call(api.api.siting.scenarios.compare.$get({ query: { ids: ids.join(',') } }));
export const fetchFacilities = () => call(api.api.centres.$get({ query: {} }));
