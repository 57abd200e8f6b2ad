/**
 * The main map's 星级 mode (issue 16): grids coloured by the latest FINAL 五好 star rating
 * (server/partyService/starMap.ts; ratings in review or 公示 do not count), unrated grids in the
 * distinct grey, with a legend of how many organisations hold each rating. Hands the colour
 * expression to the parent, which gives it to the one map shell.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { api, call } from '../../api/client';
import { errorMessage } from '../../api/queries';
import type { ColourSpecification } from '../map/styleTypes';
import { STAR_COLOURS, STAR_LABELS } from '../screen/starColours';
import { finalStarColourExpression } from './finalStarColours';
import './starMap.css';

export function FinalStarsPanel({ onColour }: { onColour: (colour: ColourSpecification | null) => void }) {
  const ratings = useQuery({ queryKey: ['stars', 'latest-final'], queryFn: () => call(api.api.stars['latest-final'].$get({ query: {} })), staleTime: 60_000 });
  const colour = useMemo(() => (ratings.data ? finalStarColourExpression(ratings.data.ratings) : null), [ratings.data]);
  useEffect(() => onColour(colour), [colour, onColour]);
  useEffect(() => () => onColour(null), [onColour]);

  const list = ratings.data?.ratings ?? [];
  const counts = [1, 2, 3, 4, 5].map((s) => list.filter((r) => r.stars === s).length);
  const years = list.map((r) => r.year);
  return (
    <section className="final-stars" aria-label="最新认定星级图例" data-testid="final-stars">
      <h3>最新认定星级（五好）</h3>
      {ratings.isError ? (
        <p className="error-message">星级加载失败：{errorMessage(ratings.error)}</p>
      ) : !ratings.data ? (
        <p className="muted" role="status">
          正在加载星级…
        </p>
      ) : (
        <>
          <ul className="final-stars-legend" aria-label="图例：最新认定星级" data-testid="final-stars-legend">
            {[5, 4, 3, 2, 1].map((s) => (
              <li key={s} data-stars={s}>
                <span className="final-stars-swatch" style={{ background: STAR_COLOURS[s] }} />
                {STAR_LABELS[s]} <span className="muted">{counts[s - 1]} 个组织</span>
              </li>
            ))}
            <li data-stars={0}>
              <span className="final-stars-swatch unrated" style={{ background: STAR_COLOURS[0] }} />
              未评定（尚无最终认定）
            </li>
          </ul>
          <p className="muted" data-testid="final-stars-note">
            {list.length} 个组织已认定{years.length > 0 ? `（${Math.min(...years)}–${Math.max(...years)} 年度）` : ''}；网格取本网格党组织的最新认定，无则取所在社区的；审核中、公示中的评定不计。
          </p>
        </>
      )}
    </section>
  );
}
