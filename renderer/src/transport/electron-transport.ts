import type { CommissionerBridge } from '../../../shared/contract/bridge';
import type { OperationName, RequestOf, ResponseOf } from '../../../shared/contract/operations';
import type { FilePurpose, PickedFile } from '../../../shared/contract/picked-file';
import { checkedEvent, checkedResult } from './contract-check';
import type { Transport, TransportEvent } from './transport';

/** The desktop app: the preload's `window.commissioner` carries calls and events over IPC. */
export class ElectronTransport implements Transport {
  readonly host = 'electron' as const;

  constructor(private readonly bridge: CommissionerBridge) {}

  async call<N extends OperationName>(op: N, request: RequestOf<N>): Promise<ResponseOf<N>> {
    return checkedResult(op, await this.bridge.call(op, request));
  }

  onEvent(listener: (event: TransportEvent) => void): () => void {
    return this.bridge.onEvent((message) => {
      const event = checkedEvent(message);
      if (event) listener(event);
    });
  }

  /** The native dialog of the main process; the purpose tells it whether to pick a folder. */
  pickFile(purpose: FilePurpose, _kind: 'file' | 'folder'): Promise<PickedFile | null> {
    return this.call('files.pick', { purpose });
  }
}
