/** The shortcut help popover (? or the ⌨ button), listing SHORTCUTS. */
import { SHORTCUTS } from './shortcuts';

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <div className="wb-help" role="dialog" aria-label="键盘快捷键" data-testid="shortcut-help">
      <div className="wb-help-head">
        <strong>键盘快捷键</strong>
        <button type="button" className="wb-close" aria-label="关闭" onClick={onClose}>
          ×
        </button>
      </div>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.command}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">在输入框中时，除 Esc 外快捷键不生效；表单内 Ctrl+Enter 提交。</p>
    </div>
  );
}
