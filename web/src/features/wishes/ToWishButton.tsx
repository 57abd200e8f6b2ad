/**
 * 转为微心愿 on an incident of the workbench (issue 16 point 5): a small need that suits a
 * volunteer rather than a department becomes a wish on its community's board; shown to
 * the community's staff only (kernel/wishFlow.ts isCommunityStaff), the server checks again.
 */
import { useMutation } from '@tanstack/react-query';
import { isCommunityStaff } from '../../../../kernel/wishFlow';
import { api, call } from '../../api/client';
import { useSession } from '../auth/session';

export function ToWishButton({ incidentId, communityCode }: { incidentId: number; communityCode: string | null }) {
  const user = useSession();
  const convert = useMutation({ mutationFn: () => call(api.api.wishes['from-incident'][':incidentId'].$post({ param: { incidentId: String(incidentId) }, json: {} })) });
  if (!communityCode || !isCommunityStaff(user, communityCode)) return null;
  return (
    <p className="wb-to-wish">
      {convert.data ? (
        <a href={`/wishes?community=${communityCode}`}>已转为微心愿 #{convert.data.id}，去心愿墙查看</a>
      ) : (
        <button type="button" className="wb-action" disabled={convert.isPending} onClick={() => convert.mutate()}>
          转为微心愿
        </button>
      )}
      {convert.error && <span className="wb-error"> {(convert.error as Error).message}</span>}
    </p>
  );
}
