import type { ClientRegistration } from '../../src/sandbox/types';

/** A client of the developer's own, registered with an https page of their app (never reachable here). */
export const OWN_CLIENT = {
  clientId: 'own-app-client',
  clientSecret: 'own-app-secret-0123456789',
  redirectUri: 'https://app.example.test/oauth/callback',
};

/** `OWN_CLIENT` as the sandbox registers it (`SandboxOptions.clients`). */
export const OWN_CLIENT_REGISTRATION: ClientRegistration = {
  clientId: OWN_CLIENT.clientId,
  clientSecret: OWN_CLIENT.clientSecret,
  redirectUris: [OWN_CLIENT.redirectUri],
};
