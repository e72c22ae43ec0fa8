import { renderHook, type RenderHookResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { AppProvider } from '../../../renderer/src/state/app-state';
import { APP_INFO } from './app-info';
import { MemoryTransport } from './memory-transport';

/** A transport whose app.info and jobs.list answer at once (the provider asks them first). */
export function memoryCore(): MemoryTransport {
  return new MemoryTransport({ 'app.info': () => APP_INFO, 'jobs.list': () => [] });
}

/** A hook rendered inside the real AppProvider, over the given transport. */
export function renderWithApp<Props, Result>(
  hook: (props: Props) => Result,
  transport: MemoryTransport,
  initialProps?: Props,
): RenderHookResult<Result, Props> {
  return renderHook<Result, Props>(hook, {
    wrapper: ({ children }: { children: ReactNode }) => (
      <AppProvider transport={transport}>{children}</AppProvider>
    ),
    ...(initialProps !== undefined ? { initialProps } : {}),
  });
}
