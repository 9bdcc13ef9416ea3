// Deploy…: opens the dialog that puts the environment on a CommuniGate server.
import { deployDialog } from '../panels/deploy/DeployDialog';
import type { Action } from './types';

export const deploy: Action = {
  name: 'deploy',
  label: 'Deploy…',
  enabled: (ctx) => ctx.api !== null,
  perform(ctx) {
    if (!ctx.api) {
      ctx.ui
        .getState()
        .notify('not connected to the IVR Studio server (open the URL that `ivr-studio serve` printed)', 'error');
      return;
    }
    deployDialog.setState({ open: true });
  },
};
