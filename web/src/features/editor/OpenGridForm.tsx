/** Opens a grid by its 15-digit code (the map click does the same). Remount it (key) when the open grid changes. */
import { useState } from 'react';
import { GRID_CODE_PATTERN } from '../../../../kernel/gridCode';

export interface OpenGridFormProps {
  code: string | null;
  onOpen: (code: string) => void;
  onInvalid: (notice: string) => void;
}

export function OpenGridForm({ code, onOpen, onInvalid }: OpenGridFormProps) {
  const [input, setInput] = useState(code ?? '');
  return (
    <form
      className="editor-open"
      onSubmit={(e) => {
        e.preventDefault();
        const c = input.trim();
        if (GRID_CODE_PATTERN.test(c)) onOpen(c);
        else onInvalid('网格编码应为 15 位数字');
      }}
    >
      <input value={input} onChange={(e) => setInput(e.target.value)} placeholder="输入网格编码，或在地图上点击网格" aria-label="网格编码" />
      <button type="submit" className="text-button">
        打开
      </button>
    </form>
  );
}
