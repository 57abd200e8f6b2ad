/**
 * The sample's history names its demo accounts by username (the accounts are created
 * after the data is loaded, so their ids are not known then). Once they exist, this
 * fills in the ids the loop works by: who wrote each step, who reported, to which grid
 * worker a case is dispatched, who handled and who verified it. Idempotent.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../db/client';

export async function linkSampleAccounts(db: DbHandle): Promise<void> {
  await db.db.transaction(async (tx) => {
    await tx.execute(sql`
      UPDATE incident_transitions t SET actor_user_id = u.id
      FROM users u WHERE t.actor_username = u.username AND t.actor_user_id IS NULL`);
    await tx.execute(sql`
      UPDATE incident_transitions t SET assignee_user_id = u.id
      FROM users u WHERE t.payload ->> 'assigneeUsername' = u.username AND t.assignee_user_id IS NULL`);
    await tx.execute(sql`
      WITH steps AS (
        SELECT incident_id,
               max(actor_user_id) FILTER (WHERE action = 'report') AS reporter,
               (array_agg(actor_user_id ORDER BY at DESC, id DESC) FILTER (WHERE action = 'handle'))[1] AS handler,
               (array_agg(actor_user_id ORDER BY at DESC, id DESC) FILTER (WHERE action = 'verify'))[1] AS verifier,
               (array_agg(assignee_user_id ORDER BY at DESC, id DESC) FILTER (WHERE action IN ('dispatch', 'redispatch')))[1] AS assignee
        FROM incident_transitions
        WHERE incident_id IN (SELECT incident_id FROM incident_transitions WHERE actor_user_id IS NOT NULL OR assignee_user_id IS NOT NULL)
        GROUP BY incident_id)
      UPDATE incidents i SET reporter_user_id = coalesce(i.reporter_user_id, s.reporter),
                             handler_user_id = coalesce(i.handler_user_id, s.handler),
                             verifier_user_id = coalesce(i.verifier_user_id, s.verifier),
                             assignee_user_id = CASE WHEN i.department_id IS NULL AND i.dispatched_at IS NOT NULL THEN coalesce(i.assignee_user_id, s.assignee) ELSE i.assignee_user_id END
      FROM steps s WHERE s.incident_id = i.id`);
    // 网格队伍: each sample grid worker account is the 专职网格员 of its first grid (name from the account).
    await tx.execute(sql`
      UPDATE grid_roster r SET user_id = u.id, name = regexp_replace(u.display_name, '^网格员|（示例）$', '', 'g')
      FROM users u JOIN LATERAL (SELECT min(grid_id) AS grid_id FROM user_grids ug WHERE ug.user_id = u.id) first ON true
      WHERE u.role = 'grid_worker' AND r.grid_id = first.grid_id AND r.role = 'full_time' AND r.user_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM grid_roster o WHERE o.user_id = u.id)`);
  });
}
