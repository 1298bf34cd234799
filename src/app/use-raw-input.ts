/**
 * Raw keyboard input, byte for byte (escape sequences intact), for the workload's pane: what the
 * person types there goes to the workload as typed.
 */
import { useEffect } from 'react';
import { useStdin } from 'ink';

export function useRawInput(handler: (data: string) => void, active: boolean): void {
  const { internal_eventEmitter, setRawMode } = useStdin() as ReturnType<typeof useStdin> & {
    internal_eventEmitter?: NodeJS.EventEmitter;
  };
  useEffect(() => {
    if (!active) return;
    setRawMode(true);
    internal_eventEmitter?.on('input', handler);
    return () => {
      internal_eventEmitter?.removeListener('input', handler);
    };
  }, [active, handler, internal_eventEmitter, setRawMode]);
}
