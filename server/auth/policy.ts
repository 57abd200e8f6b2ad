/**
 * Who may call what: one ordered table for the whole API, checked on the server for
 * every request (the UI only hides what this refuses). Jurisdiction — which streets
 * or communities a planner may edit — is checked where the region is known (editing).
 * Who reads people's names and phones is the second table, PERSONAL_DATA_POLICY.
 */
import { LOOP_ROLES, type Role } from '../../kernel/roles';

export type Access = 'public' | 'signedIn' | readonly Role[];
type MethodClass = 'READ' | 'WRITE' | 'ANY';

interface Rule {
  methods: MethodClass;
  pattern: RegExp;
  access: Access;
}

const EDITORS = ['planner', 'admin'] as const;

export const POLICY: readonly Rule[] = [
  { methods: 'READ', pattern: /^\/api\/health$/, access: 'public' },
  { methods: 'ANY', pattern: /^\/api\/auth\/(login|logout)$/, access: 'public' },
  { methods: 'ANY', pattern: /^\/api\/auth\//, access: 'signedIn' },
  { methods: 'ANY', pattern: /^\/api\/(users|audit)(\/|$)/, access: ['admin'] },
  // The 12345 hotline pushes cases with its API key (checked in server/hotline/keys.ts), never a session: no cookie, so no cross-site risk.
  { methods: 'WRITE', pattern: /^\/api\/hotline\/cases$/, access: 'public' },
  // API keys, the webhook delivery log: admins.
  { methods: 'ANY', pattern: /^\/api\/hotline(\/|$)/, access: ['admin'] },
  // The live stream of incident events: every signed-in reader, each event filtered by mayReadIncident.
  { methods: 'READ', pattern: /^\/api\/incidents\/events$/, access: 'signedIn' },
  { methods: 'WRITE', pattern: /^\/api\/exports\/imports(\/|$)/, access: EDITORS },
  { methods: 'READ', pattern: /^\/api\/exports(\/|$)/, access: ['analyst', 'admin'] },
  // Table imports (rosters, estates, organisations, …): editors; each row is checked against the importer's jurisdiction.
  { methods: 'WRITE', pattern: /^\/api\/imports(\/|$)/, access: EDITORS },
  // A grid's public page (/g/<code>): what its roster marks 公开, for residents without an account.
  { methods: 'READ', pattern: /^\/api\/public\/grids\/\d{15}(\/roster\/\d+\/photo)?$/, access: 'public' },
  // Party organisations, estates and rosters: editors write inside their jurisdiction (checked in server/party).
  { methods: 'WRITE', pattern: /^\/api\/party(\/|$)/, access: EDITORS },
  // The working calendar and the categories' deadlines bind every street: admins set them.
  { methods: 'WRITE', pattern: /^\/api\/calendar(\/|$)/, access: ['admin'] },
  { methods: 'WRITE', pattern: /^\/api\/incidents\/categories(\/|$)/, access: ['admin'] },
  // Photos of a step: whoever works the loop; which incident and which step is the photos module's rule (reader of the incident, actor of the step).
  { methods: 'WRITE', pattern: /^\/api\/incidents\/\d+\/photos$/, access: [...LOOP_ROLES, ...EDITORS] },
  // The images themselves: any signed-in user, then the incident's read rule (mayReadIncident).
  { methods: 'READ', pattern: /^\/api\/photos\/\d+(\/thumb)?$/, access: 'signedIn' },
  // 回访 by the resident through a one-time link: no account, the token is the credential.
  { methods: 'ANY', pattern: /^\/api\/public\/revisit\/[^/]+$/, access: 'public' },
  // The closed loop: every signed-in role may ask; the action table (kernel/loopActions.ts) decides per incident.
  { methods: 'WRITE', pattern: /^\/api\/incidents\/\d+\/actions$/, access: 'signedIn' },
  { methods: 'WRITE', pattern: /^\/api\/incidents\/(bulk-dispatch|\d+\/revisit-link)$/, access: ['dispatcher', 'admin'] },
  // Reporting: grid workers and dispatchers (hotline/walk-in cases) beside the editors.
  { methods: 'WRITE', pattern: /^\/api\/incidents\/?$/, access: [...EDITORS, 'grid_worker', 'dispatcher'] },
  { methods: 'WRITE', pattern: /^\/api\/departments(\/|$)/, access: ['admin'] },
  // 网格通 (issue 15): patrols and visits are written by grid workers only, each their own (checked in server/field/*).
  { methods: 'WRITE', pattern: /^\/api\/(patrols|visits)(\/|$)/, access: ['grid_worker'] },
  // A worker's own patrols and grids: grid workers (other roles have none).
  { methods: 'READ', pattern: /^\/api\/(patrols\/mine|me\/grids(\/locate)?)$/, access: ['grid_worker'] },
  // Tracks and visits of a community: readers by jurisdiction (server/field/fieldAccess.ts); department staff not at all.
  { methods: 'READ', pattern: /^\/api\/(patrols|visits)(\/|$)/, access: ['leader', 'planner', 'analyst', 'admin', 'grid_worker', 'dispatcher'] },
  { methods: 'WRITE', pattern: /^\/api\/(grids|incidents)(\/|$)/, access: EDITORS },
  // 微网格/专属网格 saves (jurisdiction checked in server/grids/subGrids.ts) and removing a foreign network (多网融合).
  { methods: 'WRITE', pattern: /^\/api\/(levels|fusion)(\/|$)/, access: EDITORS },
  // 楼栋 imports, household bands and 均衡: planners (jurisdiction checked in server/buildings) and admins.
  { methods: 'WRITE', pattern: /^\/api\/buildings(\/|$)/, access: EDITORS },
  // Planners manage the centres of their own streets/communities (checked in the centres route).
  { methods: 'WRITE', pattern: /^\/api\/centres(\/|$)/, access: EDITORS },
  // 选址分析: what-if (POST, writes nothing) and one's own scenarios, for those who decide where to build.
  { methods: 'ANY', pattern: /^\/api\/siting(\/|$)/, access: ['analyst', 'planner', 'leader', 'admin'] },
  { methods: 'WRITE', pattern: /^\/api\/(demonstrations|coverage|screen)(\/|$)/, access: ['admin'] },
  // 月报 generated on demand: leaders, analysts and admins (reading them is for every signed-in user).
  { methods: 'WRITE', pattern: /^\/api\/briefings\/?$/, access: ['leader', 'analyst', 'admin'] },
  // Progress of the background walking-circle job (server/coverage/isochroneJob.ts), on the admin page.
  { methods: 'READ', pattern: /^\/api\/coverage\/isochrones\/status$/, access: ['admin'] },
  // Party service (issue 16): 双报到 registers and the 三清单 by community staff — jurisdiction checked in server/partyService.
  { methods: 'WRITE', pattern: /^\/api\/(dual-report|service-lists)(\/|$)/, access: ['planner', 'dispatcher', 'admin'] },
  // 为民红绳/微心愿: anyone signed in may ask to move one; kernel/wishFlow.ts decides (claim: working roles; complete: the claimant; confirm: the community).
  { methods: 'WRITE', pattern: /^\/api\/wishes\/\d+\/actions$/, access: 'signedIn' },
  { methods: 'WRITE', pattern: /^\/api\/wishes(\/|$)/, access: ['planner', 'dispatcher', 'admin'] },
  // 星级: objections by anyone signed in during 公示, review/final by the street (kernel/starRating.ts); self-assessment by planners.
  { methods: 'WRITE', pattern: /^\/api\/stars\/\d+\/actions$/, access: 'signedIn' },
  { methods: 'WRITE', pattern: /^\/api\/stars\/?$/, access: ['planner', 'admin'] },
  { methods: 'READ', pattern: /^\/(api|tiles)\//, access: 'signedIn' },
  // Anything written later without its own rule is for admins only.
  { methods: 'WRITE', pattern: /^\/(api|tiles)\//, access: ['admin'] },
];

const isRead = (method: string) => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';

/** The web app's own files (/, /editor, /assets/…) are public; the data behind them is not. */
export function accessFor(method: string, path: string): Access {
  const cls: MethodClass = isRead(method) ? 'READ' : 'WRITE';
  const rule = POLICY.find((r) => (r.methods === 'ANY' || r.methods === cls) && r.pattern.test(path));
  if (rule) return rule.access;
  return path.startsWith('/api/') || path.startsWith('/tiles/') ? ['admin'] : 'public';
}

/**
 * Who reads people (names of secretaries, grid workers, party members; their phone
 * numbers): the second half of the policy, applied record by record by
 * server/auth/personalData.ts. `names`: where the role reads them — everywhere, only
 * inside its jurisdiction (withinJurisdiction, kernel/roles.ts), or nowhere. Phone
 * numbers are read where names are, always masked; `revealPhones` roles may ask for
 * them unmasked (?reveal=phone), and every such request is audited.
 */
export interface PersonalDataRule {
  names: 'everywhere' | 'jurisdiction' | 'nowhere';
  revealPhones: boolean;
}

export const PERSONAL_DATA_POLICY: Readonly<Record<Role, PersonalDataRule>> = {
  // Oversight of the whole city: who leads which grid, yes; calling people is not their work.
  leader: { names: 'everywhere', revealPhones: false },
  // Organise the work of their own streets/communities, which means contacting its people.
  planner: { names: 'jurisdiction', revealPhones: true },
  // Statistics and GIS files that leave the system: counts suffice, names would only travel.
  analyst: { names: 'nowhere', revealPhones: false },
  // Maintain the data and answer for it.
  admin: { names: 'everywhere', revealPhones: true },
  // Knock on the doors of their own grids and call their people; other grids are not theirs.
  grid_worker: { names: 'jurisdiction', revealPhones: true },
  // A command centre calls reporters and grid staff of its community/street to dispatch and 回访.
  dispatcher: { names: 'jurisdiction', revealPhones: true },
  // Department staff contact the grid's people about a case through the dispatcher; names help, numbers stay masked.
  dept_staff: { names: 'everywhere', revealPhones: false },
};
