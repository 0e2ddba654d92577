import { ISynthesisSession } from 'cdktf';
// cdktf's hook for writing files next to a stack's Terraform during
// synthesis. It is not re-exported from the package root; this is the one
// module of the library that imports it.
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { IConstruct } from 'constructs';

/**
 * Runs `write` when a real `App` synthesizes the construct's stack (what
 * `cdktf synth` and `cdktf deploy` run), never under cdktf's `Testing`:
 * `Testing.synth` runs no custom synthesis, and `Testing.app()` and
 * `Testing.fullSynth` stub the manifest's version as `stubbed`.
 */
export function onRealSynthesis(construct: IConstruct, write: (session: ISynthesisSession) => void): void {
  addCustomSynthesis(construct, {
    onSynthesize: (session: ISynthesisSession) => {
      if (session.manifest.version === 'stubbed') return;
      write(session);
    },
  });
}

/** Runs `write` on every synthesis of the construct's stack that writes files (App.synth, Testing.fullSynth). */
export function onSynthesis(construct: IConstruct, write: (session: ISynthesisSession) => void): void {
  addCustomSynthesis(construct, { onSynthesize: write });
}
