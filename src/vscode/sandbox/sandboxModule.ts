import type { AreaModule } from '../areaModule';
import type { ShellHost } from '../servicesContract';

/** Placeholder until the sandbox glue lands (owner: sandbox area). */
export interface SandboxModule extends AreaModule {
  /** Base URL of the sandbox running inside VS Code, if any. */
  readonly runningBaseUrl: string | undefined;
}

export function createSandboxModule(_host: ShellHost): SandboxModule {
  return { commands: {}, runningBaseUrl: undefined, dispose: () => undefined };
}
