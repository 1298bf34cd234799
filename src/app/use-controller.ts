/** Re-render when the controller says something changed. */
import { useSyncExternalStore } from 'react';
import type { TuiController } from '../commands/tui-controller.js';

export function useController(ctrl: TuiController): number {
  return useSyncExternalStore(ctrl.subscribe, ctrl.getVersion);
}
