import { act, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ContractErrorOf } from '../../shared/contract/contract-error';
import type { DeploymentDetail } from '../../shared/contract/deployments';
import { useQuery } from '../../renderer/src/state/use-query';
import { memoryCore, renderWithApp } from './support/render-with-app';

/** The least a deployments.show answer has; only its id matters here. */
function detail(id: string): DeploymentDetail {
  return { id } as DeploymentDetail;
}

const notFound: ContractErrorOf<'not-found'> = {
  name: 'not-found',
  message: 'No deployment b is recorded.',
  details: { thing: 'deployment', name: 'b' },
};

describe('useQuery', () => {
  it('shows the answer to its request, and is loading until it comes', async () => {
    const core = memoryCore();
    const { result } = renderWithApp(() => useQuery('deployments.show', { id: 'a' }), core);
    expect(result.current).toMatchObject({ data: null, error: null, loading: true });
    await waitFor(() => expect(core.callsOf('deployments.show')).toHaveLength(1));
    expect(core.callsOf('deployments.show')[0]?.request).toEqual({ id: 'a' });
    act(() => core.callsOf('deployments.show')[0]?.answer(detail('a')));
    await waitFor(() => expect(result.current.data?.id).toBe('a'));
    expect(result.current.loading).toBe(false);
  });

  it('never shows the answer of an older request as the newer one’s', async () => {
    const core = memoryCore();
    const { result, rerender } = renderWithApp(
      ({ id }: { id: string }) => useQuery('deployments.show', { id }),
      core,
      { id: 'a' },
    );
    await waitFor(() => expect(core.callsOf('deployments.show')).toHaveLength(1));
    rerender({ id: 'b' });
    await waitFor(() => expect(core.callsOf('deployments.show')).toHaveLength(2));
    const [forA, forB] = core.callsOf('deployments.show');
    // The old request answers late: dropped, b is still loading.
    act(() => forA?.answer(detail('a')));
    await act(async () => {});
    expect(result.current).toMatchObject({ data: null, loading: true });
    act(() => forB?.answer(detail('b')));
    await waitFor(() => expect(result.current.data?.id).toBe('b'));
  });

  it('lets the newest call win when answers come back out of order', async () => {
    const core = memoryCore();
    const { result } = renderWithApp(() => useQuery('deployments.show', { id: 'a' }), core);
    await waitFor(() => expect(core.callsOf('deployments.show')).toHaveLength(1));
    act(() => result.current.reload());
    await waitFor(() => expect(core.callsOf('deployments.show')).toHaveLength(2));
    const [first, second] = core.callsOf('deployments.show');
    act(() => second?.answer({ ...detail('a'), revision: 2 }));
    await waitFor(() => expect(result.current.data?.revision).toBe(2));
    act(() => first?.answer({ ...detail('a'), revision: 1 }));
    await act(async () => {});
    expect(result.current.data?.revision).toBe(2);
  });

  it('asks again when the core says an area it names changed, and only then', async () => {
    const core = memoryCore();
    renderWithApp(() => useQuery('devices.list', {}, { refreshOn: ['devices'] }), core);
    await waitFor(() => expect(core.callsOf('devices.list')).toHaveLength(1));
    act(() => core.emit({ event: 'store.changed', payload: { what: ['catalog'] } }));
    expect(core.callsOf('devices.list')).toHaveLength(1);
    act(() => core.emit({ event: 'store.changed', payload: { what: ['catalog', 'devices'] } }));
    expect(core.callsOf('devices.list')).toHaveLength(2);
  });

  it('asks again when its refresh key changes, keeping the answer it has meanwhile', async () => {
    const core = memoryCore();
    const { result, rerender } = renderWithApp(
      ({ key }: { key: string }) => useQuery('deployments.show', { id: 'a' }, { refreshKey: key }),
      core,
      { key: 'one' },
    );
    await waitFor(() => expect(core.callsOf('deployments.show')).toHaveLength(1));
    act(() => core.callsOf('deployments.show')[0]?.answer(detail('a')));
    await waitFor(() => expect(result.current.data?.id).toBe('a'));
    rerender({ key: 'two' });
    await waitFor(() => expect(core.callsOf('deployments.show')).toHaveLength(2));
    expect(result.current).toMatchObject({ data: { id: 'a' }, loading: true });
  });

  it('keeps the error of its request, and an answer replaced from elsewhere clears it', async () => {
    const core = memoryCore();
    const { result } = renderWithApp(() => useQuery('deployments.show', { id: 'b' }), core);
    await waitFor(() => expect(core.callsOf('deployments.show')).toHaveLength(1));
    act(() => core.callsOf('deployments.show')[0]?.fail(notFound));
    await waitFor(() => expect(result.current.error).toEqual(notFound));
    expect(result.current).toMatchObject({ data: null, loading: false });
    act(() => result.current.replace(detail('b')));
    expect(result.current).toMatchObject({ data: { id: 'b' }, error: null, loading: false });
  });

  it('keeps the previous answer shown while a new request loads, when asked to', async () => {
    const core = memoryCore();
    const { result, rerender } = renderWithApp(
      ({ id }: { id: string }) => useQuery('deployments.show', { id }, { keepPrevious: true }),
      core,
      { id: 'a' },
    );
    await waitFor(() => expect(core.callsOf('deployments.show')).toHaveLength(1));
    act(() => core.callsOf('deployments.show')[0]?.answer(detail('a')));
    await waitFor(() => expect(result.current.data?.id).toBe('a'));
    rerender({ id: 'b' });
    expect(result.current).toMatchObject({ data: { id: 'a' }, loading: true });
  });

  it('asks nothing while there is no request', async () => {
    const core = memoryCore();
    const { result } = renderWithApp(() => useQuery('deployments.show', null), core);
    await act(async () => {});
    expect(core.callsOf('deployments.show')).toHaveLength(0);
    expect(result.current).toMatchObject({ data: null, error: null, loading: false });
  });
});
