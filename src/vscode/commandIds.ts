/** Every command the extension contributes; a test checks this list against package.json. */
export const COMMAND_IDS = [
  'onetwentyone.client.configure',
  'onetwentyone.environment.select',
  'onetwentyone.auth.signIn',
  'onetwentyone.auth.completeFromRedirectUrl',
  'onetwentyone.auth.useLoopbackRedirect',
  'onetwentyone.auth.addPersonalAccessToken',
  'onetwentyone.auth.signOut',
  'onetwentyone.auth.signOutAll',
  'onetwentyone.auth.refresh',
  'onetwentyone.auth.copyUserId',
  'onetwentyone.sandbox.try',
  'onetwentyone.sandbox.start',
  'onetwentyone.sandbox.stop',
  'onetwentyone.query.open',
  'onetwentyone.query.runQuantity',
  'onetwentyone.query.runSleep',
  'onetwentyone.query.fetchAll',
  'onetwentyone.query.export',
  'onetwentyone.endpoints.open',
  'onetwentyone.endpoints.enterMetric',
  'onetwentyone.history.rerun',
  'onetwentyone.history.clear',
  'onetwentyone.history.removeSaved',
  'onetwentyone.showLog',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

export const VIEW_IDS = ['onetwentyone.accounts', 'onetwentyone.endpoints', 'onetwentyone.history'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export const QUERY_PANEL_VIEW_TYPE = 'onetwentyone.query';
export const AUTH_PROVIDER_ID = 'onetwentyone';
