import { DEMO_USERS, type DemoUser } from '../../src/sandbox/demoAccounts';

/** The sandbox's demo user `userId`; a typo in a test fails here, by name. */
export function demoUser(userId: string): DemoUser {
  const user = DEMO_USERS.find((u) => u.userId === userId);
  if (!user) throw new Error(`${userId} is not a demo user of the sandbox`);
  return user;
}
