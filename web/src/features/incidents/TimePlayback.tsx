/**
 * Time playback control: 12 months of frames (weeks), play/pause, 1x/2x/4x,
 * a scrubber and a bar chart of counts per frame. The selected frame is owned by
 * the parent so layers and legend follow it.
 */
import { useEffect } from 'react';
import { nextFrame, SPEEDS, tickMs, type Frame, type PlaybackSpeed } from './playback';

export interface PlaybackState {
  playing: boolean;
  speed: PlaybackSpeed;
  /** null = the whole period (no playback window). */
  frame: number | null;
}

export function TimePlayback({ frames, state, onChange }: { frames: Frame[]; state: PlaybackState; onChange: (next: PlaybackState) => void }) {
  useEffect(() => {
    if (!state.playing || frames.length === 0) return;
    const timer = setTimeout(() => onChange({ ...state, frame: nextFrame(state.frame ?? -1, frames.length) }), tickMs(state.speed));
    return () => clearTimeout(timer);
  }, [state, frames.length, onChange]);

  const max = Math.max(1, ...frames.map((f) => f.count));
  const current = state.frame === null ? null : frames[state.frame];
  return (
    <div className="incident-playback" role="group" aria-label="时间回放" data-testid="incident-playback">
      <button type="button" onClick={() => onChange({ ...state, playing: !state.playing, frame: state.frame ?? 0 })} aria-pressed={state.playing} disabled={frames.length === 0}>
        {state.playing ? '暂停' : '播放'}
      </button>
      <span role="radiogroup" aria-label="播放速度">
        {SPEEDS.map((s) => (
          <button key={s} type="button" role="radio" aria-checked={state.speed === s} onClick={() => onChange({ ...state, speed: s })}>
            {s}x
          </button>
        ))}
      </span>
      <button type="button" onClick={() => onChange({ playing: false, speed: state.speed, frame: null })} disabled={state.frame === null}>
        全部
      </button>
      <input
        type="range"
        min={0}
        max={Math.max(0, frames.length - 1)}
        value={state.frame ?? 0}
        onChange={(e) => onChange({ ...state, playing: false, frame: Number(e.target.value) })}
        aria-label="回放位置"
        aria-valuetext={current?.label ?? '全部时段'}
        style={{ flex: 1 }}
      />
      <span className="incident-playback-label" aria-live="polite">
        {current ? `${current.label}：${current.count} 件` : `全部时段：${frames.reduce((a, f) => a + f.count, 0)} 件`}
      </span>
      <svg className="incident-playback-bars" viewBox={`0 0 ${frames.length} 20`} preserveAspectRatio="none" width="100%" height="24" aria-hidden="true">
        {frames.map((f) => (
          <rect key={f.index} x={f.index + 0.1} width={0.8} y={20 - (f.count / max) * 20} height={(f.count / max) * 20} fill={f.index === state.frame ? '#f03b20' : '#888'} />
        ))}
      </svg>
    </div>
  );
}
