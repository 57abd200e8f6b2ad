/**
 * The part of an import that is pure computation on the uploaded bytes: take
 * the file out of the body, read it (unzip, parse, decode) counting its
 * vertices against the cap, map the attributes, reproject and run the checks
 * that need no database. It runs in the import worker (parseWorker.ts) so a
 * large upload never blocks the event loop; what it returns is plain data
 * (structured-clone safe) with each candidate's geometry already serialised
 * for the database checks.
 */
import type { ImportLimits } from './limits';
import { prepareCandidates, prepared, type AttributeMapping, type PreparedCandidate } from './prepare';
import { readImportFile, type ImportFormat } from './readers';
import type { ImportIssue } from './report';
import { uploadedFile } from './upload';

export interface ParseOptions {
  format?: string;
  mapping: AttributeMapping;
  limits: ImportLimits;
}

export interface ParsedUpload {
  /** The multipart file's name, if it came as one. */
  fileName?: string;
  format: ImportFormat;
  crs: { id: string; epsg: number | null; name: string };
  /** Where the CRS came from, for the report. */
  crsSource: string;
  features: number;
  candidates: PreparedCandidate[];
  issues: ImportIssue[];
  /** The code field the mapping names (or `code`) when no feature has it. */
  missingField: string | null;
}

export async function parseUpload(body: Uint8Array, contentType: string, { format, mapping, limits }: ParseOptions): Promise<ParsedUpload> {
  const { bytes, fileName } = await uploadedFile(body, contentType);
  const file = readImportFile(bytes, format, limits);
  const { candidates, issues, missingField } = prepareCandidates(file, mapping);
  return {
    ...(fileName === undefined ? {} : { fileName }),
    format: file.format,
    crs: { id: file.crs.id, epsg: file.crs.epsg, name: file.crs.name },
    crsSource: file.crsSource,
    features: file.features.length,
    candidates: candidates.map(prepared),
    issues,
    missingField,
  };
}
