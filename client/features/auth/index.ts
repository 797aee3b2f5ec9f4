export { useMe } from './api/use-auth.js';
export type { SessionUser } from './api/use-auth.js';
export { SignInScreen } from './components/sign-in-screen.js';
export { UserMenu } from './components/user-menu.js';
