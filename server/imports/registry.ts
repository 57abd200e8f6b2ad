/**
 * Every importable entity by its key (the `:entity` of /api/imports/:entity). Other
 * features add theirs here — one line each — and get the dry run, the report, the
 * all-or-nothing commit and the templates for free.
 */
import { estateImport } from '../party/estateImport';
import { orgImport } from '../party/orgImport';
import { rosterImport } from '../party/rosterImport';
import { memberImport, unitImport } from '../partyService/unitImport';
import type { ImportEntity } from './importEntity';

export const IMPORT_ENTITIES: readonly ImportEntity[] = [orgImport, estateImport, rosterImport, unitImport, memberImport];

export const importEntity = (key: string): ImportEntity | undefined => IMPORT_ENTITIES.find((e) => e.key === key);
