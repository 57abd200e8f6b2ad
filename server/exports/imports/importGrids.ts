/**
 * Grid import: read → map/reproject → check → (unless dry run, and only with no
 * errors) write in one transaction. Checks are repeated inside the transaction
 * so a concurrent edit between dry run and commit cannot slip through.
 * A report with errors (dry run or not) is thrown as ImportRejected (422).
 * Reading, mapping and reprojecting run in the import worker (parseOffThread),
 * within the caps of limits.ts; the database checks and writes run here.
 */
import { withinJurisdiction, type SessionUser } from '../../../kernel/roles';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../../db/client';
import { executeRows } from '../../../db/client';
import { checkCandidates, type RunRows } from './checks';
import { writeImport } from './commit';
import { gridWriteTransaction } from '../../grids/gridWrites';
import { followBaseGrids } from '../../grids/microFollow';
import { rulesFromEnv, type Violation } from '../../grids/rules';
import { ImportError, ImportRejected } from './importError';
import { importLimits } from './limits';
import { parseOffThread } from './parseOffThread';
import type { AttributeMapping } from './prepare';
import type { UploadStream } from './upload';
import type { ImportIssue, ImportReport } from './report';

export interface ImportOptions {
  dryRun: boolean;
  format?: string;
  mapping: AttributeMapping;
  actor: string;
  /** Planners may import only grids of their own street or community. */
  user?: SessionUser | null;
}

/** Thrown inside the transaction to roll it back when the re-check finds errors. */
class RollBack extends Error {
  constructor(readonly issues: ImportIssue[]) {
    super('import has errors');
  }
}

/** A 微网格 rule the import would break, as a report line. */
function microIssue(v: Violation): ImportIssue {
  const at = v.geometry?.type === 'Point' ? (v.geometry.coordinates as [number, number]) : null;
  return { severity: 'error', kind: 'micro_grids', feature: null, code: v.gridCode ?? null, reason: `微网格无法随基础网格调整：${v.message}`, location: at, ...(v.areaM2 !== undefined ? { areaM2: v.areaM2 } : {}) };
}

/** The report of a dry run or a commit; throws ImportRejected when the file has errors (nothing written). */
export async function importGrids(db: DbHandle, upload: UploadStream, options: ImportOptions): Promise<ImportReport> {
  const report = await checkAndWrite(db, upload, options);
  if (report.errors > 0) throw new ImportRejected(report);
  return report;
}

async function checkAndWrite(db: DbHandle, upload: UploadStream, options: ImportOptions): Promise<ImportReport> {
  const file = await parseOffThread(upload, { format: options.format, mapping: options.mapping, limits: importLimits() });
  if (file.features === 0) throw new ImportError(422, '文件中没有要素', '文件中没有任何要素，没有可导入的网格');
  const { candidates, issues: fileIssues, missingField } = file;
  if (missingField) {
    const isCode = missingField === (options.mapping.code ?? 'code');
    const reason = isCode ? `文件中没有字段 ${missingField}，请用 mapping 参数指定网格编码字段，如 mapping=code:WGBM,name:WGMC` : `文件中没有字段 ${missingField}（字段对应中指定的属性字段），请检查字段名`;
    throw new ImportError(422, isCode ? '缺少网格编码字段' : '缺少属性字段', reason, [{ field: 'mapping', reason }]);
  }
  if (options.user) {
    const outside = [...new Set(candidates.map((c) => c.code.slice(0, 12)))].filter((community) => /^\d{12}$/.test(community) && !withinJurisdiction(options.user!, community));
    if (outside.length > 0) {
      const reason = `您的辖区（${options.user.jurisdictionCode ?? '无'}）不包括社区 ${outside.slice(0, 5).join('、')}${outside.length > 5 ? ' 等' : ''}`;
      throw new ImportError(403, '无权限', reason, [{ field: 'file', reason }]);
    }
  }
  // Read-only transaction: one snapshot for all checks. JIT off: PostGIS functions' high cost
  // estimates make PostgreSQL JIT-compile these small queries, which costs ~1 s each.
  const checked = await db.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    return checkCandidates((q) => executeRows(tx, q), candidates);
  });
  const issues = [...fileIssues, ...checked.issues].sort((a, b) => (a.feature ?? Infinity) - (b.feature ?? Infinity));
  const errors = issues.filter((i) => i.severity === 'error').length;
  const updates = candidates.filter((c) => checked.existingCodes.has(c.code)).length;
  const report: ImportReport = {
    dryRun: options.dryRun,
    committed: false,
    format: file.format,
    crs: { ...file.crs, source: file.crsSource },
    features: file.features,
    creates: candidates.length - updates,
    updates,
    errors,
    warnings: issues.length - errors,
    issues,
  };
  if (options.dryRun || errors > 0) return report;

  const note = `导入 ${file.fileName ?? file.format}（${file.crs.name}）`;
  try {
    const written = await gridWriteTransaction(
      db,
      async (tx, mark) => {
        const inTx: RunRows = (q) => executeRows(tx, q);
        await tx.execute(sql`SET LOCAL jit = off`);
        const again = await checkCandidates(inTx, candidates);
        if (again.issues.some((i) => i.severity === 'error')) throw new RollBack(again.issues);
        const written = await writeImport(inTx, candidates, options.actor, note);
        // The 微网格 of re-imported base grids follow their new outline, under the level's rules.
        const micro = await followBaseGrids(tx, mark, rulesFromEnv());
        if (micro.length > 0) throw new RollBack(micro.map(microIssue));
        return written;
      },
      // Imported grids may redraw a community's outline: its generalised outline is rebuilt.
      { outlines: true },
    );
    return { ...report, committed: true, creates: written.created, updates: written.updated, unchanged: written.unchanged };
  } catch (err) {
    if (err instanceof RollBack) {
      const errs = err.issues.filter((i) => i.severity === 'error').length;
      return { ...report, issues: err.issues, errors: errs, warnings: err.issues.length - errs };
    }
    throw err;
  }
}
